"""The local shell: the real Bolt app and handlers in a text console, with nothing sent to Slack."""

from bot.shell.console import run_shell

__all__ = ["run_shell"]
