"""Marketplace: publishers ship extensions; every version passes an automated review that fails closed."""
