"""Tables the spine needs: the outbox, the audit log and the run ledger."""
