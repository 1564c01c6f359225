"""Strongroom: a secrets manager that speaks the HashiCorp Vault / OpenBao HTTP API."""

__version__ = "0.1.0"

__all__ = ["__version__"]
