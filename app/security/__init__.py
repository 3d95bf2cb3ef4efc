"""Secrets handling: PINs, tokens."""
