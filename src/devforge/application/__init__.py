"""Use cases: one module per command or query, each driving the domain through ports."""
