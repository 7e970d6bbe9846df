"""Alert intake: integrations with secret URLs, alerts and heartbeats that open incidents."""
