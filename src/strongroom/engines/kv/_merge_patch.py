"""JSON Merge Patch (RFC 7386), as kv v2 PATCH applies it to a version's data. Pure."""

from __future__ import annotations

from strongroom.types import JSON


def merge_patch(target: JSON, patch: JSON) -> JSON:
    """Apply `patch` to `target` without modifying either.

    An object patch merges member by member (null removes a member, recursively); any other
    patch value, arrays included, replaces the target wholesale.
    """
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


__all__ = ["merge_patch"]
