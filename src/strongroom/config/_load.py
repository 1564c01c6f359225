"""Reading config files and directories from disk (Vault's LoadConfig / LoadConfigDir).

Owns the path rules: a file is HCL or JSON by extension (otherwise JSON if it starts with
"{"), and a directory contributes its `*.hcl` and `*.json` files, sorted by name, not
recursing and skipping hidden files (editor lock files such as `.#server.hcl`).
OSError and bad encodings become ConfigError here. Parsing and merging belong to the other
modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from strongroom.config._model import ServerConfig
from strongroom.config._server import ConfigFile, merge_files, parse_file, validate_config
from strongroom.config._syntax import parse_hcl, parse_json
from strongroom.errors import ConfigError

Format = Literal["hcl", "json"]
_EXTENSIONS: dict[str, Format] = {".hcl": "hcl", ".json": "json"}


def load_config(paths: Sequence[str], *, dev: bool = False) -> ServerConfig:
    """Load, merge and validate the config files and directories in `paths`, in order.

    Without `dev`, a storage stanza and at least one listener are required.
    """
    if isinstance(paths, str):  # a lone str is a Sequence[str] too; refuse the trap
        raise TypeError("load_config takes a sequence of paths, not a single string")
    if not paths and not dev:
        raise ConfigError("no configuration file given")
    files = [_parse_path(file) for path in paths for file in _expand(Path(path))]
    config = merge_files(files)
    validate_config(config, dev=dev)
    return config


def parse_config_text(text: str, *, filename: str, fmt: Format) -> ServerConfig:
    """Parse one file's text into a ServerConfig without the cross-file checks.

    The result has defaults for everything the text leaves out; it may lack storage or
    listeners, which `load_config` would reject.
    """
    return merge_files([_parse_text(text, filename, fmt)])


def _parse_text(text: str, filename: str, fmt: Format) -> ConfigFile:
    root = parse_json(text, filename) if fmt == "json" else parse_hcl(text, filename)
    return parse_file(root)


def _expand(path: Path) -> list[Path]:
    if path.is_dir():
        try:
            entries = sorted(path.iterdir(), key=lambda entry: entry.name)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read directory: {exc.strerror}") from None
        return [
            entry
            for entry in entries
            if entry.suffix.lower() in _EXTENSIONS
            and not entry.name.startswith(".")
            and entry.is_file()
        ]
    if not path.exists():
        raise ConfigError(f"{path}: no such file or directory")
    return [path]


def _parse_path(path: Path) -> ConfigFile:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a UTF-8 text file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read file: {exc.strerror}") from None
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        fmt = "json" if text.lstrip().startswith("{") else "hcl"
    return _parse_text(text, str(path), fmt)


__all__ = ["Format", "load_config", "parse_config_text"]
