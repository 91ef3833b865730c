"""Marketplace application layer."""
