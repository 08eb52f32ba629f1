"""Block Kit for accounts: replies to adding, linking and listing them, and to changing their settings."""
