"""Local stand-ins for external services (S3 via moto, CloudFlare, DNS), started by the tests."""
