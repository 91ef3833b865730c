"""Payment providers behind billing's ``PaymentGateway``: Stripe, the embedded sandbox and memory."""
