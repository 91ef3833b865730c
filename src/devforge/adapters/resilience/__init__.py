"""Cross-cutting adapters for living through outages."""
