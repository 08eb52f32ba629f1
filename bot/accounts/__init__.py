"""Accounts (customers, suppliers, third parties): adding them, linking channels, per-account settings, and
the words of `/account` for their kinds and roles. The 360° view of an account is in bot.overview."""
