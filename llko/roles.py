"""The three roles of DESIGN.md ("Who uses it, for what"), by code, with the name the screens give them. Core: the
accounts decide who has which role, the audit names it in its sentences."""

ROLES = {"coordinator": "Coördinator", "provider": "Opvanginitiatief", "policy": "Beleid"}
