"""HTTP routes of the extension marketplace."""
