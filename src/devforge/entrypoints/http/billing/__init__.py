"""``/api/payments``: pricing, checkout, the provider webhook and orders."""
