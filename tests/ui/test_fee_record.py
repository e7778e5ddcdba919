"""The fee record as filed: PDF export, File ▸ Print and ``janus-gui fee --pdf``, read back.

Lots are written by hand: one purchase of 10 shares every 5 days from 2012-01-02 up to the
redemption date, lot ids ``L01``..``L22`` (2012-04-17 is the last). Redeeming 125 shares on
2012-04-20 takes L01..L12 whole and 5 of L13, so the record must list the lots redeemed, the
partial lot and the 9 lots never reached.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from janus_gui import __version__, cli
from janus_gui.core.models import ShareClass
from janus_gui.ui import printed
from janus_gui.ui.workspace import report
from tests.helpers.pdf_check import A4_POINTS, LETTER_POINTS, read_pdf, same_size

REDEEM = dt.date(2012, 4, 20)
LOT_IDS = [f"L{n:02d}" for n in range(1, 31)]  # those after the redemption date are dropped
LOTS_CSV = "purchase_date,shares,lot_id\n" + "".join(
    f"{(dt.date(2012, 1, 2) + dt.timedelta(days=5 * i)).isoformat()},10,{lot}\n"
    for i, lot in enumerate(LOT_IDS)
    if dt.date(2012, 1, 2) + dt.timedelta(days=5 * i) <= REDEEM
)
HELD_IDS = [lot for lot in LOT_IDS if f",{lot}\n" in LOTS_CSV]


@pytest.fixture
def lots_file(tmp_path: Path) -> Path:
    path = tmp_path / "lots.csv"
    path.write_text(LOTS_CSV, encoding="utf-8")
    return path


@pytest.fixture
def computed(qtbot, main_window, lots_file: Path, monkeypatch):
    """The main window's workspace with the 2012 Service II rule and the lots computed."""
    from janus_gui.ui.workspace.dialogs import ImportPreviewDialog

    monkeypatch.setattr(ImportPreviewDialog, "ask", classmethod(lambda cls, *a: True))
    main_window.open_workspace("P4", ShareClass.SERVICE_II, REDEEM)
    panel = main_window.workspace
    panel.inputs.quantity.setText("125")
    panel.inputs.nav.setText("10.00")
    with qtbot.waitSignal(panel.import_finished, timeout=10000):
        panel.import_lots_file(lots_file)
    qtbot.waitUntil(lambda: panel.outcome() is not None and len(panel.outcome().result.lots) == 13)
    return main_window


def _check_record(path: Path, repo, paper: tuple[float, float]) -> None:
    facts = read_pdf(path)
    assert all(same_size(size, paper) for size in facts.sizes), facts.sizes
    assert min(points for points, _ in facts.run_points) >= 8.0
    body = [points for points, text in facts.run_points if text.strip() in HELD_IDS]
    assert body and min(body) >= 9.0  # the lot tables are body text
    words = facts.text.split()
    for lot in HELD_IDS:
        assert lot in words, lot
    count = len(facts.pages)
    for number, page in enumerate(facts.pages, start=1):
        assert f"Page {number} of {count}" in page
        assert "Overseas Portfolio (P4) · Service II · redemption on 2012-04-20" in page
        assert f"Rules Desk {__version__}" in page
        assert repo.meta()["content_sha256"] in page.replace(" ", "")
    assert "Lots still held after the redemption, 10" in facts.text
    assert "002:96-103" in facts.text


def test_pdf_export_starts_in_documents_with_a_suggested_name_and_paper_choice(
    qtbot, computed, monkeypatch, tmp_path: Path, repo
):
    from janus_gui.ui import dialogs

    asked: list[tuple[str, str, str]] = []
    target = tmp_path / "filed" / "record"

    def choose_a4(_parent, _caption, suggested, filters, selected):
        asked.append((suggested, filters, selected))
        return str(target), "PDF, A4 paper (*.pdf)"

    monkeypatch.setattr(dialogs, "ask_save_path_and_filter", choose_a4)
    with qtbot.waitSignal(computed.workspace.record_exported, timeout=30000):
        computed.export_pdf_action.trigger()
    suggested, filters, _selected = asked[0]
    assert Path(suggested).name == "Overseas-ServiceII-2012-04-20-fee.pdf"
    assert Path(suggested).parent == dialogs.documents_folder()
    assert "Letter" in filters and "A4" in filters
    written = target.with_suffix(".pdf")
    _check_record(written, repo, A4_POINTS)
    # the next export starts in the folder used last
    computed.export_csv_action.trigger()
    assert Path(asked[1][0]).parent == written.parent
    assert Path(asked[1][0]).name == "Overseas-ServiceII-2012-04-20-fee.csv"


def test_letter_is_the_us_default_and_the_record_reads_back(
    qtbot, computed, monkeypatch, tmp_path, repo
):
    from janus_gui.ui import dialogs

    monkeypatch.setattr(printed, "default_paper", lambda: printed.PaperSize.LETTER)
    out = tmp_path / "letter.pdf"
    monkeypatch.setattr(dialogs, "ask_save_path_and_filter", lambda *_a: (str(out), _a[-1]))
    with qtbot.waitSignal(computed.workspace.record_exported, timeout=30000):
        computed.export_pdf_action.trigger()
    _check_record(out, repo, LETTER_POINTS)


@pytest.mark.parametrize(
    ("locale", "paper"),
    [
        ("en_US", "Letter"),
        ("en_CA", "Letter"),
        ("fr_CA", "Letter"),
        ("de_DE", "A4"),
        ("en_GB", "A4"),
    ],
)
def test_paper_follows_the_locale(locale: str, paper: str) -> None:
    assert printed.default_paper(QLocale(locale)).value == paper


def test_print_renders_the_same_record_on_the_printer(computed, monkeypatch, tmp_path, repo):
    from PySide6.QtPrintSupport import QPrinter

    from janus_gui.ui import dialogs

    out = tmp_path / "printed.pdf"

    def printer_to_file(_parent, paper):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setPageSize(paper.page_size())
        return printer

    monkeypatch.setattr(printed, "default_paper", lambda: printed.PaperSize.LETTER)
    monkeypatch.setattr(dialogs, "ask_printer", printer_to_file)
    computed.print_action.trigger()
    _check_record(out, repo, LETTER_POINTS)


def test_print_without_a_result_says_so(main_window, monkeypatch):
    from janus_gui.ui import dialogs

    monkeypatch.setattr(dialogs, "ask_printer", lambda *_a: pytest.fail("no dialog expected"))
    main_window.print_action.trigger()
    assert "Nothing to print" in main_window.statusBar().currentMessage()


def test_csv_export_lists_every_lot_and_the_record_facts(computed, tmp_path: Path, repo):
    out = tmp_path / "all.csv"
    assert computed.workspace.export_csv(out)
    rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
    header, body = rows[0], rows[1:]
    lots = [r for r in body if len(r) == len(header)]
    assert [r[1] for r in lots] == HELD_IDS  # 13 walked (one partially), 9 never reached
    partial = lots[12]
    assert partial[1] == "L13" and partial[4] == "5.000" and partial[10] == "5.000"
    assert lots[13][4] == "0.000" and lots[13][10] == "10.000"
    labelled = {r[0]: r[1] for r in body if len(r) == 2}
    assert labelled["app_version"] == __version__
    assert labelled["database_content_sha_256"] == repo.meta()["content_sha256"]
    assert labelled["citation"] == "002:96-103"
    assert labelled["rows_excluded"] == "0"
    assert dt.datetime.fromisoformat(labelled["computed_at_utc"]).tzinfo is not None
    assert any(r[:1] == ["note"] for r in body)


def _fee_argv(lots: Path) -> list[str]:
    """``fee`` on the lot file: Overseas Service II, 125 shares on 2012-04-20 at NAV 10.00."""
    return [
        "fee", "--lots", str(lots), "--portfolio", "P4", "--share-class", "Service II",
        "--redeem-date", "2012-04-20", "--shares", "125", "--nav", "10.00",
    ]  # fmt: skip


def test_cli_writes_the_same_record_without_a_window(lots_file: Path, tmp_path, capsys, repo):
    out = tmp_path / "cli.pdf"
    code = cli.main([*_fee_argv(lots_file), "--pdf", str(out), "--paper", "Letter"])
    assert code == 0
    captured = capsys.readouterr()
    assert "Fee that may apply" in captured.out
    assert "Wrote the fee record" in captured.err
    _check_record(out, repo, LETTER_POINTS)


def test_cli_pdf_to_a_folder_fails_cleanly(lots_file: Path, tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main([*_fee_argv(lots_file), "--pdf", str(tmp_path)])
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "error:" in captured.err


def test_cli_pdf_with_a_ledger_is_refused(tmp_path, capsys):
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("type,date,shares\npurchase,2012-01-02,10\n", encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        cli.main(
            [
                "fee",
                "--ledger",
                str(ledger),
                "--portfolio",
                "P4",
                "--share-class",
                "Service II",
                "--pdf",
                str(tmp_path / "x.pdf"),
            ]
        )
    assert caught.value.code == 2
    assert "use it with --lots" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_suggested_names() -> None:
    day = dt.date(2012, 4, 20)
    assert (
        report.suggested_name(
            "Janus Aspen Series Overseas Portfolio (P4)", "Service II", day, ".pdf"
        )
        == "Overseas-ServiceII-2012-04-20-fee.pdf"
    )
    assert (
        report.suggested_name("International Growth Portfolio (P4)", "Institutional", day, ".csv")
        == "InternationalGrowth-Institutional-2012-04-20-fee.csv"
    )
