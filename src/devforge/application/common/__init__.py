"""Ports and services every context shares: transactions, the outbox, time, cache, limits, queue, mail, files."""
