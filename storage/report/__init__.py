"""The service report's tables: drafts and submitted reports, and each account's named section choices."""
