"""Block Kit for the rhythm: meeting replies and reminders, agreement and minutes modals, deadline DMs."""
