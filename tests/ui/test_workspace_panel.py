"""The redemption-fee workspace, driven through its lot table like a user would.

Golden cases G1-G9 come from DOMAIN.md §3 (rate 1.00%, 60 days or less, NAV 10.00), whose
rule text is 002:96-103. The expected fees are written by hand from that rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from janus_gui.core.models import FeeRule, ShareClass
from janus_gui.ui.workspace import dialogs
from janus_gui.ui.workspace.dialogs import SaveChoice
from janus_gui.ui.workspace.panel import WorkspacePanel
from janus_gui.workspace.rows import COL_DATE, COL_LOT_ID, COL_SHARES
from tests.helpers.golden_rule import RULE_CITATION, SERVICE_II_RULE
from tests.helpers.workspace_files import saved_parts


def _service_ii_rule(_repo, _pid, _cls, _day) -> FeeRule:
    return SERVICE_II_RULE


@pytest.fixture
def panel(qtbot, repo) -> WorkspacePanel:
    widget = WorkspacePanel(repo, fee_rule_for=_service_ii_rule)
    qtbot.addWidget(widget)
    widget.preset("P4", ShareClass.SERVICE_II, dt.date(2023, 3, 2))
    return widget


def type_lots(panel: WorkspacePanel, lots: list[tuple[str, str]]) -> None:
    """Add rows and type into their cells through the view's model, as the editor does."""
    view_model = panel.table.model()
    for date_text, shares in lots:
        panel.add_button.click()
        row = panel.table.currentIndex().row()
        view_model.setData(view_model.index(row, COL_DATE), date_text)
        view_model.setData(view_model.index(row, COL_SHARES), shares)


def set_request(panel: WorkspacePanel, redeem: dt.date, shares: str, nav: str = "10.00") -> None:
    panel.inputs.redeem_date.setDate(redeem)
    panel.inputs.quantity.setText(shares)
    panel.inputs.nav.setText(nav)


GOLDEN = [
    ("G1", [("2023-01-01", "100"), ("2023-02-15", "50")], dt.date(2023, 3, 2), "120", "12.00"),
    ("G2", [("2023-01-01", "100"), ("2023-02-15", "50")], dt.date(2023, 3, 3), "120", "2.00"),
    ("G3", [("2024-01-01", "100")], dt.date(2024, 3, 1), "100", "10.00"),
    ("G4", [("2024-01-01", "100")], dt.date(2024, 3, 2), "100", "0.00"),
    ("G5", [("2023-05-10", "100")], dt.date(2023, 5, 10), "100", "10.00"),
    ("G6", [("2023-01-01", "100"), ("2023-02-10", "100")], dt.date(2023, 3, 12), "150", "5.00"),
    ("G7", [("2023-01-01", "100.000")], dt.date(2023, 1, 31), "33.333", "3.33"),
    (
        "G8",
        [("2023-01-01", "10.250"), ("2023-01-01", "10.250")],
        dt.date(2023, 1, 20),
        "20.500",
        "2.05",
    ),
    ("G9", [("2023-01-01", "10.250")], dt.date(2023, 1, 20), "10.250", "1.03"),
]


@pytest.mark.parametrize(
    ("case", "lots", "redeem", "shares", "fee"), GOLDEN, ids=[g[0] for g in GOLDEN]
)
def test_golden_cases_entered_through_the_table(
    qtbot, panel: WorkspacePanel, case: str, lots, redeem: dt.date, shares: str, fee: str
) -> None:
    with qtbot.waitSignal(panel.result_computed, timeout=5000) as blocker:
        type_lots(panel, lots)
        set_request(panel, redeem, shares)
    outcome = blocker.args[0]
    assert outcome.result.total_fee == Decimal(fee), case
    assert panel.summary.headline.text() == f"Fee that may apply (maximum): ${fee}"


def test_g1_walk_totals_and_breakdown(qtbot, panel: WorkspacePanel) -> None:
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        type_lots(panel, GOLDEN[0][1])
        set_request(panel, dt.date(2023, 3, 2), "120")
    result = panel.outcome().result
    assert [(s.seq, s.days_held, s.shares_redeemed) for s in result.lots] == [
        (1, 60, Decimal("100.000")),
        (2, 15, Decimal("20.000")),
    ]
    labels = panel.summary.total_labels
    assert labels["value"].text() == "$1,200.00"
    assert labels["subject"].text() == "120.000"
    assert labels["net"].text() == "$1,188.00"
    assert labels["remaining"].text() == "30.000"
    assert panel.steps_model.rowCount() == 2
    assert panel.steps_model.index(0, 4).data() == "60"
    assert panel.timeline.lot_count() == 2
    # planner: on day 60 nothing is free yet; lot 1 (100 shares) is free from day 61
    planner = panel.summary.planner.text()
    assert "0.000 of 150.000 shares can be redeemed without a fee" in planner
    assert "Next fee-free date: 2023-03-03 (100.000 shares fee-free then)" in planner
    assert "rounded once, half up, to $12.00" in panel.method.label.text()


def test_same_day_ties_follow_row_order_not_size(qtbot, panel: WorkspacePanel) -> None:
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        type_lots(panel, [("2023-01-01", "5"), ("2023-01-01", "50")])
        set_request(panel, dt.date(2023, 1, 20), "6")
    steps = panel.outcome().result.lots
    assert [(s.seq, s.shares_redeemed) for s in steps] == [
        (1, Decimal("5.000")),
        (2, Decimal("1.000")),
    ]


def test_invalid_rows_are_flagged_excluded_and_counted(qtbot, panel: WorkspacePanel) -> None:
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        type_lots(
            panel,
            [("2023-01-01", "100"), ("2023-13-01", "5"), ("2023-02-15", "50"), ("x", "-1")],
        )
        set_request(panel, dt.date(2023, 3, 2), "120")
    assert panel.model.invalid_count() == 2
    assert not panel.excluded_row.isHidden()
    assert panel.excluded_label.text() == "2 rows excluded — see red cells"
    assert panel.outcome().result.total_fee == Decimal("12.00")  # G1: bad rows left out
    notes = panel.summary.notes.text()
    assert "2 lot-table rows with errors left out of this computation" in notes


def test_amount_and_all_modes(qtbot, panel: WorkspacePanel) -> None:
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        type_lots(panel, GOLDEN[0][1])
        panel.inputs.mode.setCurrentIndex(panel.inputs.mode.findText("Dollar amount"))
        set_request(panel, dt.date(2023, 3, 3), "1,200.00")  # the switch cleared the box
    # $1,200 at 10.00 = 120 shares: G2 again
    assert panel.outcome().result.total_fee == Decimal("2.00")
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        panel.inputs.mode.setCurrentIndex(panel.inputs.mode.findText("All shares held"))
    # all 150: lot 1 free (day 61), lot 2 day 16: 50 x 10.00 x 1% = 5.00
    assert panel.outcome().result.total_fee == Decimal("5.00")
    assert not panel.inputs.quantity.isEnabled()


def test_overselling_is_reported_in_place(qtbot, panel: WorkspacePanel) -> None:
    with qtbot.waitSignal(panel.computation_failed, timeout=5000) as blocker:
        type_lots(panel, [("2023-01-01", "10")])
        set_request(panel, dt.date(2023, 3, 2), "11")
    assert "only 10.000 are held" in blocker.args[0]
    assert "only 10.000 are held" in panel.summary.headline.text()
    assert panel.outcome() is None


def test_bad_nav_is_reported_in_place(qtbot, panel: WorkspacePanel) -> None:
    with qtbot.waitSignal(panel.computation_failed, timeout=5000) as blocker:
        type_lots(panel, [("2023-01-01", "10")])
        set_request(panel, dt.date(2023, 3, 2), "5", nav="ten")
    assert "NAV" in blocker.args[0]


def test_converted_service_ii_has_no_fee_with_the_catalog_reason(qtbot, repo) -> None:
    panel = WorkspacePanel(repo)  # the real as-of rule from the catalog
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        panel.preset("P4", ShareClass.SERVICE_II, dt.date(2012, 5, 1))
        type_lots(panel, [("2012-04-20", "100")])
        set_request(panel, dt.date(2012, 5, 1), "100")
    outcome = panel.outcome()
    assert outcome.result.total_fee == Decimal("0.00")
    assert panel.summary.headline.text() == "No redemption fee applies: $0.00"
    text = panel.summary.rule.text()
    assert "2012-04-27" in text
    assert "002:128-131" in text


def test_citation_link_emits_source_requested(qtbot, panel: WorkspacePanel) -> None:
    with qtbot.waitSignal(panel.result_computed, timeout=5000):
        type_lots(panel, GOLDEN[0][1])
        set_request(panel, dt.date(2023, 3, 2), "120")
    assert "[002:96-103]" in panel.summary.rule.text()
    with qtbot.waitSignal(panel.source_requested) as blocker:
        panel.summary.rule.linkActivated.emit("cite:0")
    assert blocker.args[0] == RULE_CITATION


def test_paste_of_1000_rows_from_the_clipboard(qtbot, panel: WorkspacePanel) -> None:
    lines = ["Purchase Date\tShares\tLot ID"]
    for i in range(1000):
        day = dt.date(2022, 1, 1) + dt.timedelta(days=i % 365)
        lines.append(f"{day.isoformat()}\t{i % 7 + 1}.5\tL{i}")
    QGuiApplication.clipboard().setText("\n".join(lines) + "\n")
    with qtbot.waitSignal(panel.result_computed, timeout=10000):
        set_request(panel, dt.date(2023, 3, 2), "10")
        panel.table.setFocus()
        panel.paste_button.click()
    assert panel.model.rowCount() == 1000
    assert panel.model.invalid_count() == 0
    assert panel.model.row_at(999).lot_id == "L999"
    assert panel.lot_count_label.text() == "1,000 rows"


def test_paste_without_header_comma_separated_flags_bad_rows(qtbot, panel: WorkspacePanel):
    added = panel.paste_text('2023-01-01,100,A\n2023-02-15,"1,050.5",B\nnot-a-date,7,C\n')
    assert added == 3
    assert panel.model.row_at(1).shares == Decimal("1050.500")
    assert panel.model.invalid_count() == 1
    assert "not a date" in panel.model.row_at(2).errors[COL_DATE]
    assert panel.excluded_label.text() == "1 row excluded — see red cells"


def test_delete_rows_from_the_table(qtbot, panel: WorkspacePanel) -> None:
    panel.paste_text("2023-01-01\t1\tA\n2023-01-02\t2\tB\n2023-01-03\t3\tC\n")
    panel.table.selectRow(1)
    panel.delete_button.click()
    assert [panel.model.row_at(i).lot_id for i in range(2)] == ["A", "C"]


def test_save_and_open_round_trip(qtbot, panel: WorkspacePanel, repo, tmp_path: Path) -> None:
    type_lots(panel, [("2023-01-01", "100"), ("bad", "50")])
    panel.table.model().setData(panel.table.model().index(0, COL_LOT_ID), "first")
    set_request(panel, dt.date(2023, 3, 2), "60")
    target = tmp_path / "saved.janusws"
    assert panel.has_unsaved_changes()
    with qtbot.waitSignal(panel.workspace_saved, timeout=5000):
        assert panel.save_workspace_file(target)
        assert panel.has_unsaved_changes()  # cleared only once the file is written
    assert not panel.has_unsaved_changes()
    saved, lots = saved_parts(target)
    assert saved["format"] == "janus-gui-workspace" and saved["version"] == 2
    assert lots[1]["purchase_date"] == "bad"
    other = WorkspacePanel(repo, fee_rule_for=_service_ii_rule)
    qtbot.addWidget(other)
    with (
        qtbot.waitSignal(other.result_computed, timeout=5000),
        qtbot.waitSignal(other.workspace_loaded, timeout=5000),
    ):
        assert other.open_workspace_file(target)
    assert other.model.rowCount() == 2
    assert other.model.invalid_count() == 1
    assert other.model.row_at(0).lot_id == "first"
    assert other.inputs.quantity.text() == "60"
    assert other.inputs.portfolio_id() == "P4"
    assert other.inputs.share_class_value() == ShareClass.SERVICE_II
    assert other.outcome().result.total_fee == Decimal("6.00")
    assert not other.has_unsaved_changes()


def test_opening_a_bad_file_reports_in_the_status_line(qtbot, panel, tmp_path: Path) -> None:
    bad = tmp_path / "bad.janusws"
    bad.write_text('{"format": "something-else"}', encoding="utf-8")
    with qtbot.waitSignal(panel.file_failed, timeout=5000) as failed:
        assert panel.open_workspace_file(bad)  # reading starts; the failure comes after
    assert "not a Janus workspace" in failed.args[0]
    assert "not a Janus workspace" in panel.status.text()


def test_confirm_close_asks_only_when_there_are_changes(qtbot, panel, monkeypatch, tmp_path):
    asked: list[str] = []

    def answer(choice: SaveChoice):
        def ask(_parent) -> SaveChoice:
            asked.append(choice.value)
            return choice

        return ask

    with qtbot.waitSignal(panel.workspace_saved, timeout=5000):
        panel.save_workspace_file(tmp_path / "clean.janusws")
    assert panel.confirm_close() is True
    assert asked == []
    panel.paste_text("2023-01-01\t1\tA\n")
    monkeypatch.setattr(dialogs, "ask_save_changes", answer(SaveChoice.CANCEL))
    assert panel.confirm_close() is False
    monkeypatch.setattr(dialogs, "ask_save_changes", answer(SaveChoice.DISCARD))
    assert panel.confirm_close() is True
    monkeypatch.setattr(dialogs, "ask_save_changes", answer(SaveChoice.SAVE))
    assert panel.confirm_close() is True  # saved to the file it came from
    assert asked == ["cancel", "discard", "save"]
    assert not panel.has_unsaved_changes()
    assert "A" in (tmp_path / "clean.janusws").read_text(encoding="utf-8")


def test_confirm_close_save_without_a_file_asks_for_a_path(qtbot, panel, monkeypatch, tmp_path):
    panel.paste_text("2023-01-01\t1\tA\n")
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda _parent: SaveChoice.SAVE)
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *_args: "")
    assert panel.confirm_close() is False  # the user cancelled the file dialog
    target = tmp_path / "chosen.janusws"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *_args: str(target))
    assert panel.confirm_close() is True
    assert target.is_file()


@pytest.mark.parametrize(
    ("redeem", "fee"),
    [(dt.date(2012, 4, 1), "12.00"), (dt.date(2012, 4, 2), "2.00")],
)
def test_catalog_service_ii_rule_gives_g1_and_g2_in_2012(
    qtbot, repo, redeem: dt.date, fee: str
) -> None:
    # G1/G2 moved into the documented Service II period: 2012-02-01 -> 2012-04-01 is 60 days
    # (29 in leap-year February + 31 in March); 2012-03-17 -> 2012-04-01 is 15 days.
    panel = WorkspacePanel(repo)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.result_computed, timeout=5000) as blocker:
        panel.preset("P4", ShareClass.SERVICE_II, redeem)
        type_lots(panel, [("2012-02-01", "100"), ("2012-03-17", "50")])
        set_request(panel, redeem, "120")
    outcome = blocker.args[0]
    assert outcome.result.total_fee == Decimal(fee)
    assert outcome.rule.citation.label() == "002:96-103"
    assert "[002:96-103]" in panel.summary.rule.text()


def test_preset_of_an_empty_workspace_is_not_an_unsaved_change(qtbot, repo) -> None:
    fresh = WorkspacePanel(repo, fee_rule_for=_service_ii_rule)
    qtbot.addWidget(fresh)
    fresh.preset("P4", ShareClass.SERVICE_II, dt.date(2023, 3, 2))
    assert fresh.inputs.portfolio_id() == "P4"
    assert not fresh.has_unsaved_changes()
    assert fresh.confirm_close() is True  # no save prompt for an empty workspace


def test_preset_with_lots_in_the_table_is_an_unsaved_change(qtbot, repo, tmp_path) -> None:
    fresh = WorkspacePanel(repo, fee_rule_for=_service_ii_rule)
    qtbot.addWidget(fresh)
    fresh.paste_text("2023-01-01\t100\tA\n")
    with qtbot.waitSignal(fresh.workspace_saved, timeout=5000):
        assert fresh.save_workspace_file(tmp_path / "lots.janusws")
    assert not fresh.has_unsaved_changes()
    fresh.preset("P4", ShareClass.SERVICE_II, dt.date(2023, 3, 2))
    assert fresh.has_unsaved_changes()


def test_failed_save_is_reported_in_the_status_line_and_keeps_the_changes_unsaved(
    qtbot, panel: WorkspacePanel, tmp_path
) -> None:
    panel.paste_text("2023-01-01\t1\tA\n")
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "w.janusws"
    with qtbot.waitSignal(panel.file_failed, timeout=5000) as failed:
        assert panel.save_workspace_file(target)
    assert failed.args[0].startswith("Could not save w.janusws: ")
    assert panel.status.text() == failed.args[0]
    assert panel.has_unsaved_changes()
    assert panel.current_file() is None
    assert panel.progress.isHidden()


def test_a_change_made_while_saving_stays_unsaved(qtbot, panel: WorkspacePanel, tmp_path) -> None:
    panel.paste_text("2023-01-01\t1\tA\n")
    target = tmp_path / "w.janusws"
    with qtbot.waitSignal(panel.workspace_saved, timeout=5000):
        assert panel.save_workspace_file(target)
        panel.paste_text("2023-01-02\t2\tLATE\n")  # after the snapshot, before the write ends
    assert panel.has_unsaved_changes()
    assert "LATE" not in target.read_text(encoding="utf-8")
    assert panel.current_file() == target


def test_a_second_file_task_waits_for_the_first(qtbot, panel: WorkspacePanel, tmp_path) -> None:
    panel.paste_text("2023-01-01\t1\tA\n")
    with qtbot.waitSignal(panel.workspace_saved, timeout=5000):
        assert panel.save_workspace_file(tmp_path / "one.janusws")
        assert panel.save_workspace_file(tmp_path / "two.janusws") is False
        assert panel.status.text() == "Wait until the running import, save or open has finished."
    assert not (tmp_path / "two.janusws").exists()


def test_closing_during_a_save_waits_for_it_and_asks_nothing(
    qtbot, panel: WorkspacePanel, monkeypatch, tmp_path
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda _parent: asked.append("?"))
    panel.paste_text("2023-01-01\t1\tA\n")
    assert panel.save_workspace_file(tmp_path / "w.janusws")
    assert panel.confirm_close() is True
    assert asked == []
    assert not panel.has_unsaved_changes()
    assert saved_parts(tmp_path / "w.janusws")[1][0]["lot_id"] == "A"
