"""The analytics store's adapters: ClickHouse (production), chDB (embedded, ClickHouse in the
process: the same SQL) and memory (unit tests); and the dedup claims."""
