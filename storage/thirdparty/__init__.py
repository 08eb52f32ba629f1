"""Third-party tables and queries: sharing agreements (sharing), their requests of us (requests)."""
