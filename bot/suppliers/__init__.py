"""Suppliers (供应商关系管理): selection, audits and their schedule, support contracts, disputes and
coordination between suppliers during an outage."""
