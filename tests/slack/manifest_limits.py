"""Slack's app manifest rules (api.slack.com/reference/manifests), as a strict model.

Every field Slack accepts in the sections this app uses, with the lengths, patterns and counts of
Slack's published manifest schema; an unknown key is refused, as Slack refuses it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Url = Annotated[str, StringConstraints(pattern=r"^https?://", max_length=3500)]
EventName = Annotated[str, StringConstraints(max_length=50)]
Scope = Annotated[str, StringConstraints(max_length=50)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class DisplayInformation(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=35)]
    description: Annotated[str, StringConstraints(min_length=1, max_length=140)] | None = None
    background_color: (
        Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$")] | None
    ) = None
    long_description: Annotated[str, StringConstraints(min_length=175, max_length=4000)] | None = None


class AppHome(Strict):
    home_tab_enabled: bool | None = None
    messages_tab_enabled: bool | None = None
    messages_tab_read_only_enabled: bool | None = None


class BotUser(Strict):
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    always_online: bool | None = None


class SlashCommand(Strict):
    command: Annotated[str, StringConstraints(pattern=r"^/", min_length=2, max_length=32)]
    url: Annotated[str, StringConstraints(pattern=r"^https?://", max_length=3000)] | None = None
    description: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    usage_hint: Annotated[str, StringConstraints(min_length=1, max_length=1000)] | None = None
    should_escape: bool | None = None


class Shortcut(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=24)]
    type: Literal["message", "global"]
    callback_id: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    description: Annotated[str, StringConstraints(min_length=1, max_length=150)]


class Features(Strict):
    app_home: AppHome | None = None
    bot_user: BotUser | None = None
    slash_commands: Annotated[list[SlashCommand], Field(min_length=1, max_length=50)] | None = None
    shortcuts: Annotated[list[Shortcut], Field(min_length=1, max_length=10)] | None = None


class Scopes(Strict):
    bot: Annotated[list[Scope], Field(max_length=255)] | None = None
    user: Annotated[list[Scope], Field(max_length=255)] | None = None


class OauthConfig(Strict):
    redirect_urls: (
        Annotated[list[Annotated[str, StringConstraints(max_length=2500)]], Field(max_length=1000)] | None
    ) = None
    scopes: Scopes | None = None
    token_management_enabled: bool | None = None


class EventSubscriptions(Strict):
    request_url: Url | None = None
    bot_events: Annotated[list[EventName], Field(max_length=100)] | None = None
    user_events: Annotated[list[EventName], Field(max_length=100)] | None = None


class Interactivity(Strict):
    is_enabled: bool
    request_url: Url | None = None
    message_menu_options_url: Url | None = None


class AppSettings(Strict):
    event_subscriptions: EventSubscriptions | None = None
    interactivity: Interactivity | None = None
    org_deploy_enabled: bool | None = None
    socket_mode_enabled: bool | None = None
    token_rotation_enabled: bool | None = None


class Manifest(Strict):
    display_information: DisplayInformation
    features: Features | None = None
    oauth_config: OauthConfig | None = None
    settings: AppSettings | None = None
