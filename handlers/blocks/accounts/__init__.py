"""Block Kit for accounts: replies, the 360° view, settings."""
