"""Compliance verdicts (R11): per provider and obligation over a period, and the advice they lead to (R9)."""
