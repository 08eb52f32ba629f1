"""Block Kit for customer care: complaint, survey and praise cards, modals, replies."""
