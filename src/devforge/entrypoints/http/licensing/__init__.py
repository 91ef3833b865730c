"""HTTP routes of the licensing context: ``/api/licenses`` and ``/api/licensing``."""
