"""Redis adapters: the cache and rate limiter shared by every API process and worker.

Each takes a ``redis.asyncio.Redis`` built once per process (APP scope, with
``decode_responses=False``) and a key prefix, so several deployments can share one server."""
