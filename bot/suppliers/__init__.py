"""Suppliers (供应商关系管理), free of Slack: selection (evaluation), audits and their schedule (audits,
audit_schedule), support contracts (contracts, contract_terms), disputes (disputes, dispute_listing),
coordination between suppliers during an outage (coordination), pure scoring rules (scoring) and the
cards they queue in the outbox (cards)."""
