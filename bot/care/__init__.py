"""Customer care (客户关系管理): complaints (commands, rules, lists, SLA clocks and alerts, the account flag and
settings), case surveys and their schedule, praise, contacts, and the cards they queue in the outbox (cards.py)."""
