"""Log lines: plain text by default; with LOG_FORMAT=json one JSON object a line, for a log pipeline,
each carrying the request from Slack or the scheduled job it was written for."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import TextIO

from bot.settings import Settings

TEXT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# What the code running now works for (request, request_id, job); tasks started meanwhile inherit it.
_CONTEXT: ContextVar[Mapping[str, str]] = ContextVar("log_context", default=MappingProxyType({}))


@contextmanager
def bound(**fields: str) -> Iterator[None]:
    """Every line logged within (and in the tasks started within) carries these fields."""
    token = _CONTEXT.set(MappingProxyType({**_CONTEXT.get(), **fields}))
    try:
        yield
    finally:
        _CONTEXT.reset(token)


class ContextFilter(logging.Filter):
    """Puts the bound fields on each record, where the JSON formatter finds them."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in _CONTEXT.get().items():
            setattr(record, name, value)
        return True


def log_handler(log_format: str, stream: TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter  # only here: text logs need not import it

        fields = {"levelname": "level", "name": "logger"}
        handler.setFormatter(
            JsonFormatter("{levelname}{name}{message}", style="{", timestamp=True, rename_fields=fields)
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT))
    handler.addFilter(ContextFilter())
    return handler


def configure(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level.upper(), handlers=[log_handler(settings.log_format)])
    logging.getLogger("alembic").setLevel(logging.WARNING)  # the commands say what they migrated
