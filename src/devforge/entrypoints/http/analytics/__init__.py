"""The analytics context's HTTP shell."""
