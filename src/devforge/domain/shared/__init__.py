"""The shared kernel: the few building blocks every context uses (event and error bases)."""
