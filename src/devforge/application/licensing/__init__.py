"""Licensing use cases: products, policies, license keys, activation, validation."""
