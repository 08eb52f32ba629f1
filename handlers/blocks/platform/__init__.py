"""Block Kit for the app itself: help, /rapport replies, admin notices."""
