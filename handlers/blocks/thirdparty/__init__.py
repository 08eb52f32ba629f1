"""Block Kit for third parties: sharing agreements, summaries, request reminders."""
