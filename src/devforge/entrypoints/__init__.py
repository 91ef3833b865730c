"""Thin shells that drive the application: HTTP (Litestar), the worker, the CLI."""
