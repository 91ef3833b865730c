"""SQLAlchemy 2 (async) persistence: SQLite (aiosqlite) in the embedded profile, PostgreSQL
(asyncpg) in production. Tables and row<->domain mapping live here, never in the domain."""
