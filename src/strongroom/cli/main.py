"""The `strongroom` command: `server`, `version` (Vault-style single-dash flags)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from strongroom import __version__
from strongroom.errors import ConfigError

VERSION_TEXT = f"Strongroom v{__version__} (OpenBao API 2.7.2)"


def _server_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="strongroom server", prefix_chars="-", description="Start a Strongroom server."
    )
    parser.add_argument(
        "-config",
        "--config",
        action="append",
        default=[],
        metavar="PATH",
        help="config file or directory (.hcl/.json); may repeat",
    )
    parser.add_argument("-dev", "--dev", action="store_true", help="in-memory, unsealed dev server")
    parser.add_argument("-dev-root-token-id", "--dev-root-token-id", default=None)
    parser.add_argument("-dev-listen-address", "--dev-listen-address", default="127.0.0.1:8200")
    parser.add_argument("-log-level", "--log-level", default=None)
    parser.add_argument("-log-format", "--log-format", default=None)
    return parser


def server_command(argv: Sequence[str]) -> int:
    from dataclasses import replace

    from strongroom.cli.server import DevOptions, dev_config, run
    from strongroom.config import ServerConfig, load_config

    args = _server_parser().parse_args(list(argv))
    try:
        if args.dev:
            base = load_config(args.config, dev=True) if args.config else ServerConfig()
            dev = DevOptions(
                root_token_id=args.dev_root_token_id, listen_address=args.dev_listen_address
            )
            config = dev_config(dev, base)
        else:
            if not args.config:
                print(
                    "Error: a configuration file must be given with -config, or use -dev",
                    file=sys.stderr,
                )
                return 1
            config = load_config(args.config)
            dev = None
        if args.log_level:
            config = replace(config, log_level=args.log_level.lower())
        if args.log_format:
            config = replace(config, log_format=args.log_format)
        return run(config, dev)
    except ConfigError as exc:
        print(f"Error initializing core: {exc}", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `strongroom` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "-help", "--help", "help"):
        print(
            "Usage: strongroom <command> [args]\n\nCommands:\n"
            "    server     Start a Strongroom server\n"
            "    version    Print the version"
        )
        return 0 if args else 1
    command, rest = args[0], args[1:]
    if command in ("version", "-version", "--version", "-v"):
        print(VERSION_TEXT)
        return 0
    if command == "server":
        return server_command(rest)
    if command == "audit" and rest[:1] == ["verify"]:
        from strongroom.cli.audit_verify import verify_command

        return verify_command(rest[1:])
    print(f"Unknown command: {command}", file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
