"""The tables. Alembic owns them (migrations/); repositories turn rows into core values."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def person_fk() -> ForeignKey:
    return ForeignKey("people.id", ondelete="CASCADE")


def rotation_fk() -> ForeignKey:
    return ForeignKey("rotations.name", ondelete="CASCADE")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class TeamSettings(Base):
    __tablename__ = "team_settings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1: one team per database
    timezone: Mapped[str] = mapped_column(String(64))
    holiday_country: Mapped[str] = mapped_column(String(3))
    holiday_subdivision: Mapped[str | None] = mapped_column(String(10))
    # Holiday name -> weight; None until a team file names its own (the defaults apply).
    holiday_big_days: Mapped[dict[str, int] | None] = mapped_column(JSON)
    # Bumped by every import that changes something, so readers can keep the team cached until then.
    revision: Mapped[int] = mapped_column(Integer, default=0)


class CompanyHoliday(Base):
    __tablename__ = "company_holidays"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class PinnedHoliday(Base):
    __tablename__ = "pinned_holidays"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(64), person_fk())


class HolidayCoverRow(Base):
    """Who covered a rotation's holiday, recorded when the bot announced it: later years plan from it.

    No foreign keys: the record outlives a rotation or a person leaving the team file.
    """

    __tablename__ = "holiday_covers"
    rotation: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(64))


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    slack_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    admin: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order in the team file


class PipelineRow(Base):
    __tablename__ = "pipelines"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    area: Mapped[str] = mapped_column(String(50))
    investor_facing: Mapped[bool] = mapped_column(Boolean, default=False)
    primary_id: Mapped[str] = mapped_column(String(64), person_fk())
    secondary_id: Mapped[str] = mapped_column(String(64), person_fk())
    runbook: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    escalation: Mapped[list[Any]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    heartbeat: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # when its job must report


class RotationRow(Base):
    __tablename__ = "rotations"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(80))
    unit: Mapped[str] = mapped_column(String(10))
    length: Mapped[int] = mapped_column(Integer)
    handoff_weekday: Mapped[int] = mapped_column(Integer)
    handoff_time: Mapped[time] = mapped_column(Time)
    timezone: Mapped[str | None] = mapped_column(String(64))
    start: Mapped[date] = mapped_column(Date)
    user_group: Mapped[str | None] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)


class RotationMember(Base):
    __tablename__ = "rotation_members"
    __table_args__ = (UniqueConstraint("rotation", "person_id"),)
    rotation: Mapped[str] = mapped_column(String(64), rotation_fk(), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(64), person_fk())


class BackupPair(Base):
    __tablename__ = "rotation_backup_pairs"
    rotation: Mapped[str] = mapped_column(String(64), rotation_fk(), primary_key=True)
    primary_id: Mapped[str] = mapped_column(String(64), person_fk(), primary_key=True)
    backup_id: Mapped[str] = mapped_column(String(64), person_fk())


class AbsenceRow(Base):
    __tablename__ = "absences"
    __table_args__ = (Index("ix_absences_span", "ends_at", "starts_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(String(64), person_fk(), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))


class OverrideRow(Base):
    __tablename__ = "overrides"
    __table_args__ = (Index("ix_overrides_span", "rotation", "ends_at", "starts_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # newest wins
    rotation: Mapped[str] = mapped_column(String(64), rotation_fk())
    role: Mapped[str] = mapped_column(String(10))
    person_id: Mapped[str] = mapped_column(String(64), person_fk(), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    # A volunteer's cover for an absence: it goes (or ends) with the absence.
    absence_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("absences.id", ondelete="CASCADE"), index=True
    )


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # import, slack, cli, scheduler
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")


class CalendarFeed(Base):
    __tablename__ = "calendar_feeds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(String(64), person_fk(), index=True)
    rotation: Mapped[str | None] = mapped_column(String(64), rotation_fk())  # None: the person's own shifts
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256; the secret is never kept
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CalendarEventRevision(Base):
    """What a calendar feed last showed of one event, so its SEQUENCE and DTSTAMP change only with it."""

    __tablename__ = "calendar_event_revisions"
    uid: Mapped[str] = mapped_column(String(255), primary_key=True)
    shown: Mapped[str] = mapped_column(String(255))  # the holder and the times, as last shown
    sequence: Mapped[int] = mapped_column(Integer)
    revised_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PostLedger(Base):
    """Scheduled posts, claimed under a unique key before they are sent: each is sent once."""

    __tablename__ = "post_ledger"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # job:subject:period
    job: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(10))  # claimed, held, sent
    claimed_by: Mapped[str] = mapped_column(String(64))
    lease_until: Mapped[datetime] = mapped_column(UTCDateTime)  # a claim past this was abandoned
    channel: Mapped[str | None] = mapped_column(String(80))
    ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ChecklistItem(Base):
    """One box of a pipeline's month-end checklist; ticking records who and when."""

    __tablename__ = "checklist_items"
    period: Mapped[str] = mapped_column(String(7), primary_key=True)  # 2026-11
    # No foreign key: a pipeline dropped from the team file leaves its past checklists as history.
    pipeline: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(300))
    ticked_by: Mapped[str | None] = mapped_column(String(64))
    ticked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HandoffNote(Base):
    """What the outgoing primary wants the next shift to know; shown in the coming handoff post."""

    __tablename__ = "handoff_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rotation: Mapped[str] = mapped_column(String(64), rotation_fk(), index=True)
    handoff_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the handoff the note is for
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IncidentRow(Base):
    """A declared incident; stored before anything is posted, so Slack failing loses nothing."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # idempotency: one incident per request
    # No foreign key: an incident outlives its pipeline's removal from the team file.
    pipeline: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(4))
    summary: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), index=True)  # open, resolved
    declared_by: Mapped[str] = mapped_column(String(64))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(80))
    ts: Mapped[str | None] = mapped_column(String(32))  # the root message, once posted
    acked_by: Mapped[str | None] = mapped_column(String(64))
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    link: Mapped[str | None] = mapped_column(String(500))
    level: Mapped[int] = mapped_column(Integer, default=0)  # escalation levels called so far
    level_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the escalation timer counts from here
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(String(300))


class IncidentEventRow(Base):
    """An incident's timeline: every event, stored with its change; `posted` once the thread has it."""

    __tablename__ = "incident_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(String(500), default="")
    level: Mapped[int | None] = mapped_column(Integer)
    posted: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


# Shift swaps and cover (issue 4)


class SwapRequestRow(Base):
    """A request to swap or hand over shifts; approval is a compare-and-set on `state`."""

    __tablename__ = "swap_requests"
    __table_args__ = (Index("ix_swap_requests_state_expires", "state", "expires_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rotation: Mapped[str] = mapped_column(String(64), rotation_fk())
    requester_id: Mapped[str] = mapped_column(String(64), person_fk())
    teammate_id: Mapped[str] = mapped_column(String(64), person_fk())
    mode: Mapped[str] = mapped_column(String(10))  # exchange, cover
    give_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the requester's time
    give_ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    take_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the teammate's (exchange)
    take_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shift_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)  # of the whole shift `give` is part of
    reason: Mapped[str] = mapped_column(String(200), default="")
    # pending, approved, declined, cancelled, expired, reversed
    state: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the earliest shift start in it
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    dm_channel: Mapped[str | None] = mapped_column(String(80))  # the teammate's request message
    dm_ts: Mapped[str | None] = mapped_column(String(32))
    override_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # written on approval


class VolunteerCallRow(Base):
    """An "I'll cover" call under an absence; closed once at its deadline, when the engine's choice stands."""

    __tablename__ = "volunteer_calls"
    __table_args__ = (Index("ix_volunteer_calls_state_deadline", "state", "deadline"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    absence_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("absences.id", ondelete="CASCADE"), index=True
    )
    rotation: Mapped[str] = mapped_column(String(64), rotation_fk())
    channel: Mapped[str] = mapped_column(String(80))
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    offers: Mapped[list[Any]] = mapped_column(JSON, default=list)  # the offered stretches, as posted
    state: Mapped[str] = mapped_column(String(10))  # open, closed
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ts: Mapped[str | None] = mapped_column(String(32))  # the channel post asking, once sent


class EmailLookupRow(Base):
    """What Slack answered for a team member's email when the team file gives no Slack id.

    Kept apart from `people`, which mirrors the team file: an export never writes these ids back.
    """

    __tablename__ = "email_lookups"
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    slack_id: Mapped[str | None] = mapped_column(String(32))  # None: no Slack user has this email
    looked_up_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Alert intake and heartbeats (issue 12)


class IntegrationRow(Base):
    """A door for alerts: reached by a secret URL, of which only the SHA-256 is kept."""

    __tablename__ = "integrations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # alertmanager, generic, heartbeat
    pipeline: Mapped[str | None] = mapped_column(String(64))  # where alerts naming none go
    severity: Mapped[str | None] = mapped_column(String(4))  # overrides the alerts' own
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertRow(Base):
    """Every alert received, stored before it is answered; `incident_id` once it is routed."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    integration: Mapped[str] = mapped_column(String(64), index=True)
    source_key: Mapped[str] = mapped_column(String(200), index=True)  # the cause: see AlertSourceRow
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    firing: Mapped[bool] = mapped_column(Boolean)
    summary: Mapped[str] = mapped_column(String(500))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # labels, description, links
    incident_id: Mapped[int | None] = mapped_column(Integer, index=True)


class AlertSourceRow(Base):
    """One cause from one integration and the incident it opened: repeats fold into it. They are
    counted from the alerts received, so a storm writes no row of its own here."""

    __tablename__ = "alert_sources"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # integration + dedup identity
    incident_id: Mapped[int] = mapped_column(Integer, index=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime)  # it opened or reopened its incident then
    last_update_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the thread last heard of it
    source_resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shown: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # what the thread shows of it


class HeartbeatRow(Base):
    """When a pipeline's job last reported in."""

    __tablename__ = "heartbeats"
    pipeline: Mapped[str] = mapped_column(String(64), primary_key=True)
    integration: Mapped[str] = mapped_column(String(64))  # the one it last reported through
    last_ping_at: Mapped[datetime] = mapped_column(UTCDateTime)
