"""Every action_id and callback_id the app sends or listens for, in one place."""

from __future__ import annotations

import re
from enum import StrEnum


class ActionId(StrEnum):
    SHOW_RUNBOOK = "runbook.show"
    TICK_CHECKLIST = "checklist.tick"
    VOLUNTEER = "absence.volunteer"
    ACK_INCIDENT = "incident.ack"


def matching(action: ActionId) -> re.Pattern[str]:
    """The listener pattern of an action; buttons sharing a block carry a `#n` suffix (see actions())."""
    return re.compile(rf"^{re.escape(action.value)}(#\d+)?$")
