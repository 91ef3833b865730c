"""The HTTP shell: Litestar controllers decode with msgspec, call one use case, encode."""
