"""Accounts: passwords, roles, provider links, logins and locks."""
