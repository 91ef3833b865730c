"""Billing use cases: orders, checkout, payments, refunds, subscriptions, documents."""
