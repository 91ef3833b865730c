"""dishka providers: shared infrastructure per profile, and one set per bounded context."""
