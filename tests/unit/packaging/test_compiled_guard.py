"""strongroom/_compiled.py: a compiled module older than its source stops the import in a
source checkout (an edit would otherwise be silently ignored)."""

from __future__ import annotations

import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from strongroom._compiled import check_checkout, stale_modules

SO = EXTENSION_SUFFIXES[0]


def _checkout(tmp_path: Path) -> Path:
    (tmp_path / "setup.py").write_text("")
    (tmp_path / ".git").mkdir()
    package = tmp_path / "src" / "pkg"
    (package / "sub").mkdir(parents=True)
    for name in ("a", "sub/b"):
        (package / f"{name}.py").write_text("x = 1\n")
        (package / f"{name}{SO}").write_bytes(b"")
    (package / "plain.py").write_text("")
    return package


def _age(path: Path, seconds: float) -> None:
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))


def test_fresh_compiled_modules_pass(tmp_path: Path) -> None:
    package = _checkout(tmp_path)
    for source in package.rglob("*.py"):
        _age(source, 10)
    assert stale_modules(package) == []
    check_checkout(package)


def test_an_edited_source_stops_the_import(tmp_path: Path) -> None:
    package = _checkout(tmp_path)
    _age(package / "a.py", 10)
    _age(package / f"sub/b{SO}", 10)  # b.py is newer: edited after the build
    assert stale_modules(package) == [str(package / "sub" / "b.py")]
    with pytest.raises(ImportError, match=r"sub/b\.py"):
        check_checkout(package)


def test_outside_a_checkout_nothing_is_checked(tmp_path: Path) -> None:
    package = _checkout(tmp_path)
    (tmp_path / ".git").rmdir()
    _age(package / f"a{SO}", 10)
    check_checkout(package)  # an installed package: file times are the installer's
