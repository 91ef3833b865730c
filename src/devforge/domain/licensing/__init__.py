"""Licensing: products, policies (templates), licenses and the machines they are activated on.

Pure rules only. Keys are hashed, signed and cached by ports of the application layer; here a
key is just its readable, self-checking text.
"""
