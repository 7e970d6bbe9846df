"""Incidents as plain values: what one is, who it must reach, and when it escalates. No I/O here."""
