"""Secrets engines: each a `framework.Backend` built from declared paths."""
