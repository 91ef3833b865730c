"""The analytics context: events from the editor and facts from the other contexts, stored on an
analytics engine and counted."""
