"""Scheduled rituals: what is due when, and sending each post exactly once through the ledger."""
