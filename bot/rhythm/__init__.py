"""The rhythm of regular communication (定期沟通): service agreements, meetings and their reminders,
minutes, the review agenda, action items and report deadlines; the /meeting grammar (commands) and the
cards the rhythm hands the outbox (cards)."""
