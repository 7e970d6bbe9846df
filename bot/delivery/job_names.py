"""The names `run-job` knows the jobs by, apart from the jobs themselves so that the command line can
offer them without importing the jobs (and Slack's libraries with them)."""

POST_JOBS = ("handoff", "reminders", "month-end")  # the scheduled posts
ESCALATION_JOB = "incidents"
SWAP_EXPIRY_JOB = "swaps"
VOLUNTEER_JOB = "volunteers"
HEARTBEAT_JOB = "heartbeats"
SWEEP_JOBS = (ESCALATION_JOB, SWAP_EXPIRY_JOB, VOLUNTEER_JOB, HEARTBEAT_JOB)  # the minute tick's sweeps
