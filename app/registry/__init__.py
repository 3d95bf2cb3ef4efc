"""The handset registry: who is calling, and the rules for IMEIs and numbers."""
