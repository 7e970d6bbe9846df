"""Every action_id and callback_id the app sends or listens for, in one place."""

from __future__ import annotations

import re
from enum import StrEnum


class ActionId(StrEnum):
    SHOW_RUNBOOK = "runbook.show"
    TICK_CHECKLIST = "checklist.tick"
    VOLUNTEER = "absence.volunteer"
    ACK_INCIDENT = "incident.ack"
    ESCALATE_INCIDENT = "incident.escalate"
    RESOLVE_INCIDENT = "incident.resolve"
    REOPEN_INCIDENT = "incident.reopen"
    JOIN_INCIDENT = "incident.join"  # a second declarer joins the incident already open
    DECLARE_ANYWAY = "incident.declare_anyway"  # ... or declares a new one after all
    DECLARE_INCIDENT_VIEW = "incident.declare_view"  # callback id of the declaration modal
    RESOLVE_INCIDENT_VIEW = "incident.resolve_view"  # callback id of the resolution modal
    INCIDENT_FROM_MESSAGE = "incident.from_message"  # callback id of the message shortcut
    APPROVE_SWAP = "swap.approve"
    DECLINE_SWAP = "swap.decline"
    SWAP_VIEW = "swap.request_view"  # callback id of the /swap modal
    SWAP_TEAMMATE = "teammate"  # the /swap modal's teammate select: its block id is read back too


def matching(action: ActionId) -> re.Pattern[str]:
    """The listener pattern of an action; buttons sharing a block carry a `#n` suffix (see actions())."""
    return re.compile(rf"^{re.escape(action.value)}(#\d+)?$")
