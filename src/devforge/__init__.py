"""Dev Forge Services: the backend that sells, licenses, distributes and supports the Dev Forge editor."""
