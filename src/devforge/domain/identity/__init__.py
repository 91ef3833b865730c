"""Identity: who a caller is (accounts, credentials, sessions) and what role they hold."""
