"""SMS: the outbox and everything that sends or receives text messages."""
