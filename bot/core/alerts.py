"""Alerts as the bot understands them: parsed from what Alertmanager, Grafana or a PagerDuty-style
sender posts, routed to a pipeline, given a severity and a dedup identity. Pure: no I/O, no clock.

An alert payload becomes `Signal`s, one per cause: the same cause always gets the same identity, so
repeats fold into one incident and a "resolved" finds the incident its "firing" opened.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.core.incidents.model import LINK_LIMIT, SUMMARY_LIMIT

STILL_FIRING_EVERY = timedelta(minutes=10)  # the thread hears "still firing" at most this often
REOPEN_WITHIN = timedelta(hours=24)  # a cause firing again this soon reopens its incident
TRIAGE = "triage"  # the pipeline key of an alert no pipeline claims: the on-call primary triages it
SEVERITY_LABELS = {"critical": "sev1", "warning": "sev3"}  # Alertmanager's conventional labels
PAGERDUTY_SEVERITIES = {"critical": "sev1", "error": "sev2", "warning": "sev3", "info": "sev3"}
DEFAULT_SEVERITY = "sev2"
INTEGRATION_KINDS = ("alertmanager", "generic", "heartbeat")  # what can send to the bot

Text = Annotated[str, StringConstraints(max_length=10_000)]


class BadAlert(ValueError):
    """A payload the bot cannot take, with a one-line reason for the sender."""


class _Lenient(BaseModel):
    # Grafana and newer Alertmanagers add fields: what is not used here is accepted and ignored.
    model_config = ConfigDict(extra="ignore", strict=False)


class AlertmanagerAlert(_Lenient):
    status: Literal["firing", "resolved"]
    labels: dict[str, Text]
    annotations: dict[str, Text] = {}
    startsAt: datetime | None = None  # Alertmanager spells its fields so
    endsAt: datetime | None = None
    fingerprint: Text = ""
    generatorURL: Text = ""


class AlertmanagerPayload(_Lenient):
    """Alertmanager's webhook payload, version 4; Grafana's webhook contact point sends a superset."""

    status: Literal["firing", "resolved"]
    groupKey: Text = ""
    alerts: Annotated[list[AlertmanagerAlert], Field(min_length=1, max_length=10_000)]


class PagerDutyPayload(_Lenient):
    summary: Text
    severity: Text | None = None
    source: Text | None = None
    custom_details: Any = None


class PagerDutyLink(_Lenient):
    href: Text
    text: Text = ""


class GenericEvent(_Lenient):
    """A PagerDuty Events v2 event, also in the flat form a `curl` line writes (`summary` at the top)."""

    event_action: Literal["trigger", "resolve"] = "trigger"
    summary: Text | None = None
    pipeline: Text | None = None
    severity: Text | None = None
    dedup_key: Annotated[str, StringConstraints(max_length=255)] | None = None
    link: Text | None = None
    details: Any = None
    payload: PagerDutyPayload | None = None
    links: list[PagerDutyLink] = []


@dataclass(frozen=True)
class Signal:
    """One cause reported by a source: firing or resolved, with what its thread shows."""

    identity: str  # the same for every report of the same cause from one source
    firing: bool
    summary: str
    pipeline_hint: str | None = None  # the label or field that names a pipeline
    severity: str | None = None  # sev1..sev3, or None for the integration's or the default
    description: str = ""
    runbook_url: str | None = None
    link: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    resolution: str = ""  # what a "resolved" says it resolved with, when not just the source's word


def _load(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadAlert(f"the body is not JSON: {error}") from None


def _reason(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "the body"
    return f"{where}: {first['msg']}"


def _parsed(model: type[BaseModel], body: bytes) -> Any:
    data = _load(body)
    if not isinstance(data, dict):
        raise BadAlert("the body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise BadAlert(_reason(error)) from None


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def severity_of(label: str | None) -> str | None:
    """`critical` is sev1, `warning` sev3, sev1..sev3 as written; anything else the default (None)."""
    if label is None:
        return None
    word = label.strip().lower()
    return word if word in ("sev1", "sev2", "sev3") else SEVERITY_LABELS.get(word)


def parse_alertmanager(body: bytes) -> list[Signal]:
    """A signal per alert group and `pipeline` label: Alertmanager's grouping names the cause."""
    payload: AlertmanagerPayload = _parsed(AlertmanagerPayload, body)
    by_pipeline: dict[str | None, list[AlertmanagerAlert]] = {}
    for alert in payload.alerts:
        by_pipeline.setdefault(alert.labels.get("pipeline"), []).append(alert)
    return [_group_signal(payload.groupKey, hint, alerts) for hint, alerts in by_pipeline.items()]


def _group_signal(group: str, hint: str | None, alerts: Sequence[AlertmanagerAlert]) -> Signal:
    firing = [a for a in alerts if a.status == "firing"]
    shown = (firing or list(alerts))[0]
    # Without a group key (a hand-made payload), the alerts' fingerprints name the cause.
    cause = group or ",".join(sorted(a.fingerprint or _label_digest(a.labels) for a in alerts))
    summary = shown.annotations.get("summary") or shown.labels.get("alertname") or "alert"
    if len(firing) > 1:
        summary = f"{summary} (and {len(firing) - 1} more)"
    return Signal(
        identity=digest("alertmanager", cause, hint or ""),
        firing=bool(firing),
        summary=summary[:SUMMARY_LIMIT],
        pipeline_hint=hint,
        severity=min(  # the worst: "sev1" sorts first
            (s for s in (severity_of(a.labels.get("severity")) for a in firing or alerts) if s),
            default=None,
        ),
        description=shown.annotations.get("description", ""),
        runbook_url=shown.annotations.get("runbook_url") or None,
        link=shown.generatorURL[:LINK_LIMIT] or None,
        labels=dict(shown.labels),
    )


def _label_digest(labels: Mapping[str, str]) -> str:
    return digest(*(f"{k}={v}" for k, v in sorted(labels.items())))


def parse_generic(body: bytes) -> Signal:
    """A PagerDuty-style event; without a `dedup_key`, the same summary on the same pipeline folds."""
    event: GenericEvent = _parsed(GenericEvent, body)
    nested = event.payload
    summary = event.summary or (nested.summary if nested else None)
    if event.event_action == "trigger" and not (summary and summary.strip()):
        raise BadAlert("summary: a trigger needs a summary (one line saying what broke)")
    if event.event_action == "resolve" and not event.dedup_key and not summary:
        raise BadAlert("dedup_key: a resolve needs the dedup_key (or the summary) of what it resolves")
    severity_word = event.severity or (nested.severity if nested else None)
    severity = _generic_severity(severity_word)
    link = event.link or (event.links[0].href if event.links else None)
    details = event.details if event.details is not None else (nested.custom_details if nested else None)
    # A dedup_key names the cause alone, so a resolve need not repeat the trigger's pipeline.
    cause = ("key", event.dedup_key) if event.dedup_key else ("summary", summary or "", event.pipeline or "")
    return Signal(
        identity=digest("generic", *cause),
        firing=event.event_action == "trigger",
        summary=(summary or "").strip()[:SUMMARY_LIMIT],
        pipeline_hint=event.pipeline,
        severity=severity,
        description=_details_text(details),
        link=link[:LINK_LIMIT] if link else None,
    )


def _generic_severity(word: str | None) -> str | None:
    if word is None:
        return None
    mapped = severity_of(word) or PAGERDUTY_SEVERITIES.get(word.strip().lower())
    if mapped is None:
        known = "sev1, sev2, sev3, critical, error, warning or info"
        raise BadAlert(f"severity: {word[:40]!r} is not one of {known}")
    return mapped


def _details_text(details: Any) -> str:
    if details is None:
        return ""
    return details if isinstance(details, str) else json.dumps(details, sort_keys=True)[:2000]


def pipeline_for(hint: str | None, names: Iterable[tuple[str, Sequence[str]]]) -> str | None:
    """The key of the pipeline a label names by its key, name or an alias (case aside); `names`: each
    pipeline's key with its other names. No fuzzy matching: a machine's typo must not misroute."""
    if not hint or not hint.strip():
        return None
    wanted = hint.strip().casefold()
    return next(
        (key for key, other in names if wanted in {key.casefold(), *(n.casefold() for n in other)}), None
    )


def route(signal: Signal, *, fallback: str | None, names: Iterable[tuple[str, Sequence[str]]]) -> str:
    """The label's pipeline, else the integration's own, else triage: an alert is never dropped."""
    listed = list(names)
    return pipeline_for(signal.pipeline_hint, listed) or pipeline_for(fallback, listed) or TRIAGE


def still_firing_due(last_update: datetime, now: datetime) -> bool:
    """Whether a repeat may tell the thread it is still firing: at most once per STILL_FIRING_EVERY
    since the last thing the source made the thread say (its declaration or reopening included)."""
    return now - last_update >= STILL_FIRING_EVERY


def reopens(resolved_at: datetime | None, now: datetime) -> bool:
    """Whether a cause firing again reopens its resolved incident rather than opening another."""
    return resolved_at is not None and now - resolved_at <= REOPEN_WITHIN
