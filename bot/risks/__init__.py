"""Risks (风险与控制): the register per account, seeded from the notes' catalog, with reviews and signals."""
