"""In-memory adapters: the fakes unit tests run the domain on, honouring each port's contract
(rollback included), so a use case behaves the same here as on SQLite or PostgreSQL."""
