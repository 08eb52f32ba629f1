"""Accounts (customers, suppliers, third parties): adding, linking channels, per-account settings and
the words for their kinds and roles."""
