"""The worker shell: queue consumers, the outbox relay and periodic jobs."""
