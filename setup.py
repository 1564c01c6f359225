"""Builds the hot pure modules with mypyc (compiled by default; `STRONGROOM_PURE=1` at install
time keeps every module pure Python). See docs/performance.md for what this buys and
strongroom/_compiled.py for the guard against compiled modules older than their source."""

from __future__ import annotations

import os

from setuptools import setup

COMPILED = [
    "src/strongroom/audit/_values.py",
    "src/strongroom/audit/format.py",
    "src/strongroom/audit/_record_cache.py",
    "src/strongroom/audit/chain.py",
    "src/strongroom/core/pipeline.py",
    "src/strongroom/core/audit_step.py",
    "src/strongroom/http/render.py",
    "src/strongroom/framework/field_data.py",
    "src/strongroom/framework/field.py",
    "src/strongroom/telemetry/_window.py",
    "src/strongroom/tokens/store.py",
    "src/strongroom/policy/_acl.py",
    "src/strongroom/http/app.py",
    "src/strongroom/audit/broker.py",
    "src/strongroom/core/router.py",
    "src/strongroom/telemetry/metrics.py",
    "src/strongroom/engines/transit/path_encrypt.py",
    "src/strongroom/engines/transit/_keyuse.py",
    "src/strongroom/engines/transit/_batch.py",
    "src/strongroom/engines/transit/_encoding.py",
    "src/strongroom/engines/transit/_envelope.py",
    "src/strongroom/engines/transit/_crypto.py",
]


def _ext_modules() -> list[object]:
    if os.environ.get("STRONGROOM_PURE") == "1":
        return []
    from mypyc.build import mypycify

    return list(mypycify(COMPILED, opt_level="3"))


setup(ext_modules=_ext_modules())
