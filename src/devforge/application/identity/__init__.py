"""Identity use cases: sign up, sign in, keep a session alive, sign out, say who is calling."""
