"""Risks (风险与控制): the register of each account's risks, their controls and reviews."""
