"""Auth methods: each a `framework.Backend` built from declared paths."""
