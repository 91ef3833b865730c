"""File storage adapters: blobs by key on the local disk (an S3 adapter can sit beside it)."""
