"""The class rule sheet as filed: every fact with its standing and citation, read back with pypdf.

Cases from the sources:
- Overseas Service II on 2012-04-20: the 2012 plan speaks for the date (002:96-103, the 1.00%
  redemption fee on shares held 60 days or less), so the fee is documented; the 1999 name
  "International Growth Portfolio" is last documented 2000-04-30 (004:197), so it is carried.
- Overseas Institutional on 2013-12-31: CUSIP 471021709 first printed at 000:25 and its ticker
  JAIG at 001:19.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from janus_gui import __version__, cli
from janus_gui.core.asof import class_rules, rule_support
from janus_gui.core.models import ShareClass
from janus_gui.ui import printed, rule_sheet
from tests.helpers.citation_check import SOURCES_DIR, cited_text
from tests.helpers.pdf_check import A4_POINTS, LETTER_POINTS, read_pdf, same_size

BEFORE_CONVERSION = dt.date(2012, 4, 20)


@pytest.fixture(autouse=True)
def _one_application(qapp):
    """The window tests need a QApplication: create it before the command line would create
    its bare QGuiApplication (``printed.ensure_gui_application``)."""
    return qapp


def _squeezed(text: str) -> str:
    return "".join(text.split())  # Qt may place words apart without space glyphs


def _check_sheet(path: Path, repo, rules, paper) -> str:
    facts = read_pdf(path)
    assert all(same_size(size, paper) for size in facts.sizes), facts.sizes
    assert min(points for points, _ in facts.run_points) >= 8.0
    body = [points for points, text in facts.run_points if text.strip() == "documented"]
    assert body and min(body) >= 9.0
    count = len(facts.pages)
    digest = repo.meta()["content_sha256"]
    for number, page in enumerate(facts.pages, start=1):
        assert f"Page {number} of {count}" in page
        assert f"as of {rules.as_of.isoformat()}" in page
        assert f"Rules Desk {__version__}" in page
        assert digest in page.replace(" ", "")
    text = _squeezed(facts.text)
    # every rule in force, with its citation and its standing on the date
    for rule in rules.rules:
        assert rule.citation.label() in text, rule.rule_id
        assert _squeezed(rule.citation.quote[:40]) in text, rule.rule_id
        assert rule_support(rules, rule).standing.value.replace("_", "") in text.lower()
    for name in rules.names:
        assert name.citation.label() in text
    for event in rules.events:
        assert event.citation.label() in text
    for note in rules.data_notes:
        assert f"{note.note_id}:" in text
    return text


def test_cli_writes_every_fact_with_its_standing_and_source(tmp_path, capsys, repo) -> None:
    out = tmp_path / "sheet.pdf"
    code = cli.main(
        [
            "show",
            "P4",
            "Service II",
            "--as-of",
            "2012-04-20",
            "--pdf",
            str(out),
            "--paper",
            "A4",
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "Wrote the rule sheet" in captured.err
    assert "Redemption fee [documented]" in captured.out  # the plain output is still printed
    rules = class_rules(repo, "P4", ShareClass.SERVICE_II, BEFORE_CONVERSION)
    text = _check_sheet(out, repo, rules, A4_POINTS)
    assert "002:96-103" in text and "1.00%onsharesheld60daysorless" in text
    # the 1999 name is carried, with the day it rests on
    assert "carriedfrom2000-04-30(mayhavechangedsince)" in text
    assert "Asof2012-04-20" in text and "Databaseschema2" in text


def test_the_sheet_cites_the_ticker_where_it_is_printed(tmp_path, capsys, repo) -> None:
    out = tmp_path / "inst.pdf"
    assert (
        cli.main(
            [
                "show",
                "P4",
                "Institutional",
                "--as-of",
                "2013-12-31",
                "--pdf",
                str(out),
                "--paper",
                "Letter",
            ]
        )
        == 0
    )
    capsys.readouterr()
    rules = class_rules(repo, "P4", ShareClass.INSTITUTIONAL, dt.date(2013, 12, 31))
    text = _check_sheet(out, repo, rules, LETTER_POINTS)
    assert "CUSIP471021709documented000:25" in text
    assert "TickerJAIGdocumented001:19" in text
    line_19 = cited_text(next(SOURCES_DIR.glob("001_*.txt")), 19, 19)
    assert "JAIG" in line_19.split()


def test_an_ended_class_lists_its_former_rules(tmp_path, capsys, repo) -> None:
    # after the 2012-04-27 conversion (002:128-131) Service II has no rules in force
    rules = class_rules(repo, "P4", ShareClass.SERVICE_II, dt.date(2012, 5, 1))
    assert rules.former_rules and not rules.rules
    out = tmp_path / "ended.pdf"
    printed.ensure_gui_application()
    rule_sheet.write_pdf(out, repo, rules, printed.PaperSize.A4)
    text = _squeezed(read_pdf(out).text)
    assert f"rulesinforceon{rules.former_as_of},noton2012-05-01" in text
    assert "None:noruleofthisclassisinforce." in text
    for rule in rules.former_rules:
        assert rule.citation.label() in text


def test_cli_rule_sheet_to_a_folder_fails_cleanly(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["show", "P4", "Service II", "--as-of", "2012-04-20", "--pdf", str(tmp_path)])
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "error:" in captured.err
    assert list(tmp_path.iterdir()) == []


def test_window_exports_the_shown_class(main_window, monkeypatch, tmp_path, repo, qtbot) -> None:
    from janus_gui.ui import dialogs

    main_window.finish_startup()
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE_CONVERSION)
    asked: list[str] = []
    target = tmp_path / "sheets" / "overseas"
    target.parent.mkdir()

    def choose_letter(_parent, _caption, suggested, filters, _selected):
        asked.append(suggested)
        assert "Letter" in filters and "A4" in filters
        return str(target), "PDF, Letter paper (*.pdf)"

    monkeypatch.setattr(dialogs, "ask_save_path_and_filter", choose_letter)
    main_window.export_rule_sheet_action.trigger()
    # written on a worker: the status bar says so at once, and again once the file is there
    assert main_window.statusBar().currentMessage() == "Writing the rule sheet to overseas.pdf…"
    qtbot.waitUntil(
        lambda: "Wrote the rule sheet" in main_window.statusBar().currentMessage(), timeout=30_000
    )
    assert Path(asked[0]).name == "Overseas-ServiceII-2012-04-20-rules.pdf"
    assert Path(asked[0]).parent == dialogs.documents_folder()
    written = target.with_suffix(".pdf")
    rules = main_window.detail.current()
    _check_sheet(written, repo, rules, LETTER_POINTS)
    assert main_window.statusBar().currentMessage() == "Wrote the rule sheet to overseas.pdf."


def test_window_rule_sheet_to_a_folder_fails_cleanly(main_window, monkeypatch, tmp_path, qtbot):
    from janus_gui.ui import dialogs

    main_window.finish_startup()
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE_CONVERSION)
    folder = tmp_path / "taken.pdf"
    folder.mkdir()
    monkeypatch.setattr(
        dialogs, "ask_save_path_and_filter", lambda *_a: (str(folder), "PDF, A4 paper (*.pdf)")
    )
    main_window.export_rule_sheet_action.trigger()
    qtbot.waitUntil(
        lambda: "Could not write" in main_window.statusBar().currentMessage(), timeout=30_000
    )
    assert "taken.pdf" in main_window.statusBar().currentMessage()
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_window_prints_the_same_sheet(main_window, monkeypatch, tmp_path, repo) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from janus_gui.ui import dialogs

    out = tmp_path / "printed.pdf"

    def printer_to_file(_parent, paper):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setPageSize(paper.page_size())
        return printer

    main_window.finish_startup()
    main_window.select("P4", ShareClass.SERVICE_II, BEFORE_CONVERSION)
    monkeypatch.setattr(printed, "default_paper", lambda: printed.PaperSize.A4)
    monkeypatch.setattr(dialogs, "ask_printer", printer_to_file)
    main_window.print_rule_sheet_action.trigger()
    _check_sheet(out, repo, main_window.detail.current(), A4_POINTS)


def test_no_class_shown_means_no_dialog(main_window, monkeypatch) -> None:
    from janus_gui.ui import dialogs

    main_window.finish_startup()
    main_window.detail.clear()
    monkeypatch.setattr(dialogs, "ask_save_path_and_filter", lambda *_a: pytest.fail("asked"))
    monkeypatch.setattr(dialogs, "ask_printer", lambda *_a: pytest.fail("asked"))
    main_window.export_rule_sheet_action.trigger()
    assert "No class is shown" in main_window.statusBar().currentMessage()
    main_window.print_rule_sheet_action.trigger()
    assert "No class is shown" in main_window.statusBar().currentMessage()
