"""Properties of ACL evaluation over random policies and paths (hypothesis).

Policies are drawn from a small alphabet so that rules collide often. Note what is *not* a
property: adding a policy can take capabilities away even without deny or parameter rules,
because a more specific pattern replaces the one that applied (`secret/*` read, then
`secret/foo` list: `secret/foo` is now list only). Monotonicity holds for rules on patterns
that are already present, which is what `test_same_patterns_only_add` checks.
"""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.policy import ACL, CAPABILITY_NAMES, Policy, parse_policy
from strongroom.policy._pattern import compile_pattern

SEGMENTS = st.sampled_from(["a", "b", "ab", ""])
GRANTS = [name for name in CAPABILITY_NAMES if name != "deny"]
OPERATIONS = ["create", "read", "update", "patch", "delete", "list", "scan"]


@st.composite
def patterns(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(SEGMENTS, st.just("+")), min_size=1, max_size=4))
    text = "/".join(parts)
    ending = draw(st.sampled_from(["", "", "*", "/", "/*"]))
    return text + ("" if ending == "*" and text.endswith("+") else ending)  # "+*" is refused


@st.composite
def request_paths(draw: st.DrawFn) -> str:
    text = "/".join(draw(st.lists(SEGMENTS, min_size=1, max_size=5)))
    text += draw(st.sampled_from(["", "/"]))
    return text if text.strip("/") else "a"


def capability_lists(deny: bool = True) -> st.SearchStrategy[list[str]]:
    names = st.lists(st.sampled_from(GRANTS), max_size=4, unique=True)
    if not deny:
        return names
    return st.one_of(names, names.map(lambda grants: [*grants, "deny"]))


def stanza(pattern: str, capabilities: list[str]) -> str:
    return f"path {json.dumps(pattern)} {{ capabilities = {json.dumps(capabilities)} }}"


@st.composite
def policies(draw: st.DrawFn, deny: bool = True) -> Policy:
    rules = draw(st.lists(st.tuples(patterns(), capability_lists(deny)), min_size=1, max_size=5))
    return parse_policy("p", "\n".join(stanza(p, c) for p, c in rules))


def granted(rules: ACL, path: str) -> set[str]:
    return set(rules.capabilities(path)) - {"deny"}


@given(st.sampled_from(["help", *OPERATIONS]), request_paths(), st.dictionaries(SEGMENTS, SEGMENTS))
def test_root_allows_everything(operation: str, path: str, data: dict[str, str]) -> None:
    root = ACL.root()
    decision = root.allowed(operation, path, data)
    assert decision.allowed and decision.sudo
    assert root.capabilities(path) == ["root"]


@given(request_paths(), capability_lists(deny=False), capability_lists(deny=True))
def test_exact_rule_beats_any_glob(path: str, exact: list[str], glob: list[str]) -> None:
    trimmed = path.strip("/") or "a"
    globs = [stanza(trimmed[:cut] + "*", glob) for cut in range(len(trimmed) + 1)]
    plus = stanza("/".join("+" for _ in trimmed.split("/")), glob)
    rules = ACL(
        [parse_policy("g", "\n".join([*globs, plus])), parse_policy("e", stanza(trimmed, exact))]
    )
    expected = sorted(set(exact)) or ["deny"]
    assert rules.capabilities(trimmed) == expected


@given(st.lists(policies(), min_size=1, max_size=3), st.lists(request_paths(), max_size=8))
def test_policy_order_does_not_matter(chosen: list[Policy], paths: list[str]) -> None:
    forward, backward = ACL(chosen), ACL(chosen[::-1])
    for path in paths:
        assert forward.capabilities(path) == backward.capabilities(path)


@settings(max_examples=200)
@given(policies(), st.data(), st.lists(request_paths(), min_size=1, max_size=8))
def test_same_patterns_only_add(base: Policy, data: st.DataObject, paths: list[str]) -> None:
    existing = sorted({rule.pattern for rule in base.rules})
    extra = data.draw(
        st.lists(st.tuples(st.sampled_from(existing), capability_lists(deny=False)), min_size=1)
    )
    added = parse_policy("q", "\n".join(stanza(p, c) for p, c in extra))
    before, after = ACL([base]), ACL([base, added])
    for path in paths:
        assert granted(before, path) <= granted(after, path)


@given(st.lists(policies(), min_size=1, max_size=3), request_paths(), st.sampled_from(OPERATIONS))
def test_allowed_agrees_with_capabilities(chosen: list[Policy], path: str, operation: str) -> None:
    # Without parameter rules the two differ only in the list-only trailing-slash fallbacks.
    rules = ACL(chosen)
    if path.endswith("/") and operation not in ("list", "scan"):
        path = path.rstrip("/") or "a"
    assert rules.allowed(operation, path).allowed == (operation in rules.capabilities(path))


@given(patterns(), request_paths())
def test_pattern_matching_agrees_with_a_regex(pattern: str, path: str) -> None:
    glob = pattern.endswith("*")
    body = pattern[:-1] if glob else pattern
    pieces = ["[^/]*" if part == "+" else re.escape(part) for part in body.split("/")]
    reference = "/".join(pieces) + (".*" if glob else "")
    assert compile_pattern(pattern).matches(path) == bool(re.fullmatch(reference, path, re.S))
