"""Security adapters: Argon2id password hashing and signed JWT access tokens."""
