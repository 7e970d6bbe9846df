"""Capabilities, one package each: their services (use cases), each owning its transaction."""
