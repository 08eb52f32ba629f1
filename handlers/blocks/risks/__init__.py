"""Block Kit for risks."""
