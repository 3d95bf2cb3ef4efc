"""SMS commands: the sender checks and dispatch (`dispatch.decide`), one module per group of handlers."""
