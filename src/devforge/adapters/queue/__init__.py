"""The job queue on taskiq: its in-memory broker in the embedded profile and tests, a Redis
stream (acknowledged, so a crashed worker's jobs are redelivered) in production."""
