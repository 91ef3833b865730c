"""Mail adapters: SMTP for production, a Maildir on disk for development and demos.

Both send the same MIME message, built in ``mime.py``."""
