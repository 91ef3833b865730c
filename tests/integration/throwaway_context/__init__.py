"""A throwaway context, built the way a new context is: its own files (application, adapters,
HTTP shell, and the context module ``context.py``) plus one line in the list of contexts
(``tests/integration/test_adding_a_context.py``). Nothing in ``src`` knows it."""
