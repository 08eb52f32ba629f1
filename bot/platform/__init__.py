"""The spine every domain leans on: settings, app assembly, HTTP and CLI, the Slack port, the outbox,
the scheduler's tick, errors, translation, text safety and who is who."""
