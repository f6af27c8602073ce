"""Providers: the childcare initiatives (master data shared by every feature)."""
