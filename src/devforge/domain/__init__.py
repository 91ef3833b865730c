"""Pure business rules, one package per bounded context. Imports only the standard library."""
