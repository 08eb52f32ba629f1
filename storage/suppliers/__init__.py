"""Supplier tables and queries: evaluations and audits, contracts, disputes, coordination."""
