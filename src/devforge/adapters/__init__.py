"""Adapters: the technologies that serve the application's ports. Each is named technology + role."""
