"""The engine stays pure: no Slack, no database, nothing that could read a clock for it."""

import subprocess
import sys


def test_engine_imports_no_slack_or_sqlalchemy() -> None:
    code = (
        "import sys, bot.schedule, bot.schedule.resolve, bot.schedule.holidays, bot.schedule.rotation;"
        "edges = ('slack_bolt', 'slack_sdk', 'sqlalchemy', 'aiohttp');"
        "bad = [m for m in sys.modules if m.split('.')[0] in edges];"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
