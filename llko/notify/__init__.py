"""R13: alerts that reach people — the provider reminder and the coordinator's digest, never twice, never lost."""
