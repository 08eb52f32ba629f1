"""Block Kit for the service report: the drafted report DM, its Edit and submit modal, the replies."""
