"""Third-party tables and queries: sharing agreements and requests."""
