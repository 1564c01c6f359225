"""The guard against running compiled modules older than their source.

`setup.py` compiles the hot modules with mypyc, and Python imports a compiled module in place
of the `.py` beside it. In a source checkout (an editable install) a `.py` edited after the
install would then be silently ignored, so importing Strongroom refuses to go on while any
compiled module is older than its source. Installed packages are not checked: their file
times are the installer's, not an edit's.
"""

from __future__ import annotations

import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path


def stale_modules(package: Path) -> list[str]:
    """The `.py` files under `package` that are newer than the compiled module beside them."""
    stale = []
    for directory, _, files in os.walk(package):
        names = set(files)
        for name in files:
            suffix = next((s for s in EXTENSION_SUFFIXES if name.endswith(s)), None)
            if suffix is None:
                continue
            source = name[: -len(suffix)] + ".py"
            if source not in names:
                continue
            compiled, original = Path(directory, name), Path(directory, source)
            if original.stat().st_mtime > compiled.stat().st_mtime:
                stale.append(str(original))
    return sorted(stale)


def check_checkout(package: Path) -> None:
    """ImportError when `package` sits in a source checkout with stale compiled modules."""
    checkout = package.parent.parent
    if not (checkout / "setup.py").is_file() or not (checkout / ".git").exists():
        return
    stale = stale_modules(package)
    if stale:
        raise ImportError(
            "strongroom: these sources changed after their compiled modules were built: "
            + ", ".join(stale)
            + ". Run `pip install -e .` again (or `STRONGROOM_PURE=1 pip install -e .` and "
            "delete the `.so` files to run the sources uncompiled)."
        )


__all__ = ["check_checkout", "stale_modules"]
