"""The composition root: settings, and which adapter serves which port in each profile."""
