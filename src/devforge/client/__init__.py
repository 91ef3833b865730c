"""Code that ships to clients: it imports nothing from devforge, only the standard library and
``cryptography``, so a client copies or installs it without the server (import-linter checks)."""
