"""Strongroom: a secrets manager that speaks the HashiCorp Vault / OpenBao HTTP API."""

from pathlib import Path

from strongroom._compiled import check_checkout

__version__ = "0.1.0"

check_checkout(Path(__file__).resolve().parent)

__all__ = ["__version__"]
