"""The ``devforge`` command."""
