"""How the CLI tells a user's mistake (exit 2) from a failure (exit 1)."""


class UsageError(Exception):
    """The user asked for something that cannot be: a bad argument, an unknown name."""


class CommandFailed(Exception):
    """The command was right but could not be carried out (database down, file unreadable)."""
