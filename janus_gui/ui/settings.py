"""Typed application settings over ``QSettings`` (INI format, user scope).

Every key is declared once in ``FIELDS`` with its default, how to read the stored value, how to
write it, and a validator. A stored value that cannot be read or fails validation falls back to
the default and is logged, so a damaged settings file never stops the app from starting.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from janus_gui import APP_ID
from janus_gui.core.models import ShareClass

logger = logging.getLogger(__name__)

MAX_RECENT_QUERIES = 10
_PORTFOLIO_ID = re.compile(r"^P[0-9]{1,3}$")


def _to_bytes(value: Any) -> QByteArray:
    if isinstance(value, QByteArray):
        return value
    if isinstance(value, bytes | bytearray):
        return QByteArray(bytes(value))
    raise TypeError(f"expected bytes, got {type(value).__name__}")


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _to_query_list(value: Any) -> list[str]:
    items = json.loads(value) if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise TypeError("expected a list of strings")
    return items


def _dump_same(value: Any) -> Any:
    return value


def _always(_value: Any) -> bool:
    return True


@dataclass(frozen=True)
class Field:
    """One setting: its key in the file, default, reader, writer and validator."""

    key: str
    default: Any
    cast: Callable[[Any], Any]
    dump: Callable[[Any], Any] = _dump_same
    validator: Callable[[Any], bool] = _always


FIELDS: dict[str, Field] = {
    "window_geometry": Field("window/geometry", QByteArray(), _to_bytes),
    "window_state": Field("window/state", QByteArray(), _to_bytes),
    "splitter_state": Field("window/splitter", QByteArray(), _to_bytes),
    "detail_splitter_state": Field("window/detail_splitter", QByteArray(), _to_bytes),
    "last_portfolio_id": Field(
        "selection/portfolio_id",
        "",
        str,
        validator=lambda v: v == "" or bool(_PORTFOLIO_ID.match(v)),
    ),
    "last_share_class": Field(
        "selection/share_class",
        "",
        str,
        validator=lambda v: v == "" or v in {c.value for c in ShareClass},
    ),
    "last_as_of": Field(
        "selection/as_of",
        None,
        _to_date,
        dump=lambda d: d.isoformat() if d else "",
        validator=lambda d: dt.date(1900, 1, 1) <= d <= dt.date(2100, 12, 31),
    ),
    "last_export_folder": Field("files/last_export_folder", "", str),
    "recent_queries": Field(
        "search/recent",
        [],
        _to_query_list,
        dump=lambda items: json.dumps(list(items)[:MAX_RECENT_QUERIES]),
        validator=lambda items: len(items) <= MAX_RECENT_QUERIES * 2,
    ),
}


class AppSettings:
    """Typed access to the user's settings. Pass a ``QSettings`` to redirect (tests)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_ID, APP_ID
        )

    @property
    def file_name(self) -> str:
        """Where the settings are stored."""
        return self._store.fileName()

    def get(self, name: str) -> Any:
        """The stored value of ``name``, or its default when missing or invalid."""
        field = FIELDS[name]
        raw = self._store.value(field.key)
        if raw is None or raw == "":
            return _fresh(field.default)
        try:
            value = field.cast(raw)
            valid = field.validator(value)
        except (TypeError, ValueError) as exc:
            logger.warning(
                "setting %s has an unreadable value %r (%s); using default", field.key, raw, exc
            )
            return _fresh(field.default)
        if not valid:
            logger.warning("setting %s has an invalid value %r; using default", field.key, raw)
            return _fresh(field.default)
        return value

    def set(self, name: str, value: Any) -> None:
        """Store ``value`` under ``name`` (``None`` removes the key)."""
        field = FIELDS[name]
        if value is None:
            self._store.remove(field.key)
        else:
            self._store.setValue(field.key, field.dump(value))

    def add_recent_query(self, query: str) -> None:
        """Put ``query`` first in the recent list, without duplicates."""
        text = " ".join(query.split())
        if not text:
            return
        recent = [q for q in self.get("recent_queries") if q.casefold() != text.casefold()]
        self.set("recent_queries", [text, *recent][:MAX_RECENT_QUERIES])

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._store.sync()


def _fresh(default: Any) -> Any:
    """A copy of mutable defaults so callers cannot change the table."""
    if isinstance(default, list):
        return list(default)
    if isinstance(default, QByteArray):
        return QByteArray(default)
    return default
