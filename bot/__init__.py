"""oncall-bot: a Slack bot that runs a data team's on-call."""
