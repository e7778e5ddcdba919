"""Typed settings: defaults, round trips, and invalid stored values falling back with a warning."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from janus_gui.ui.settings import FIELDS, MAX_RECENT_QUERIES, AppSettings


def _store(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


def test_defaults_when_nothing_is_stored(app_settings: AppSettings):
    assert app_settings.get("last_as_of") is None
    assert app_settings.get("last_portfolio_id") == ""
    assert app_settings.get("recent_queries") == []
    assert app_settings.get("window_geometry").isEmpty()


def test_values_survive_a_new_settings_object(settings_file: Path):
    first = AppSettings(_store(settings_file))
    first.set("last_as_of", dt.date(2012, 4, 20))
    first.set("last_portfolio_id", "P4")
    first.set("last_share_class", "Service II")
    first.set("splitter_state", QByteArray(b"\x00\x01\xff"))
    first.sync()
    second = AppSettings(_store(settings_file))
    assert second.get("last_as_of") == dt.date(2012, 4, 20)
    assert second.get("last_portfolio_id") == "P4"
    assert second.get("last_share_class") == "Service II"
    assert bytes(second.get("splitter_state").data()) == b"\x00\x01\xff"


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("last_as_of", "2012-13-45"),
        ("last_as_of", "1066-10-14"),
        ("last_portfolio_id", "DROP TABLE"),
        ("last_share_class", "Platinum"),
        ("recent_queries", "not json"),
        ("recent_queries", "[1, 2]"),
    ],
)
def test_invalid_stored_values_fall_back_with_a_warning(
    settings_file: Path, caplog: pytest.LogCaptureFixture, name: str, stored: str
):
    raw = _store(settings_file)
    raw.setValue(FIELDS[name].key, stored)
    raw.sync()
    settings = AppSettings(_store(settings_file))
    with caplog.at_level(logging.WARNING, logger="janus_gui.ui.settings"):
        value = settings.get(name)
    assert value == FIELDS[name].default
    assert any(FIELDS[name].key in r.getMessage() for r in caplog.records)


def test_recent_queries_put_the_latest_first_without_duplicates(app_settings: AppSettings):
    for query in ["JAIG", "overseas", "jaig", "  471021709  "]:
        app_settings.add_recent_query(query)
    assert app_settings.get("recent_queries") == ["471021709", "jaig", "overseas"]


def test_recent_queries_keep_at_most_the_limit(app_settings: AppSettings):
    for number in range(MAX_RECENT_QUERIES + 5):
        app_settings.add_recent_query(f"query {number}")
    recent = app_settings.get("recent_queries")
    assert len(recent) == MAX_RECENT_QUERIES
    assert recent[0] == f"query {MAX_RECENT_QUERIES + 4}"


def test_blank_query_is_not_recorded(app_settings: AppSettings):
    app_settings.add_recent_query("   ")
    assert app_settings.get("recent_queries") == []


def test_none_removes_a_value(app_settings: AppSettings):
    app_settings.set("last_as_of", dt.date(1999, 10, 26))
    app_settings.set("last_as_of", None)
    assert app_settings.get("last_as_of") is None


def test_default_store_is_an_ini_file_in_user_scope():
    settings = AppSettings()
    assert settings.file_name.endswith(".ini")


def test_returned_defaults_are_copies(app_settings: AppSettings):
    app_settings.get("recent_queries").append("changed")
    assert app_settings.get("recent_queries") == []
