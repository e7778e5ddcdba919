"""Render the main states of the window to PNG files, for review and documentation.

Usage: ``.venv/bin/python scripts/screenshot.py [--out screenshots] [--sizes 1024x700,...]``

Every state is rendered at each window size (default 1024x700, 1280x800 and 1600x1000): the
start, a search, every Class detail tab, the source viewer, About, the user guide, the
workspace with 3 and 10,000 lots, and the first page of the fee record PDF (rendered with
``pdftoppm`` from poppler-utils when it is installed). Settings and user folders go to a
temporary folder, so a developer's own settings are untouched. Headless by default
(``QT_QPA_PLATFORM=offscreen``).
``--readme`` renders only the picture shown in README.md and the AppStream metadata,
``docs/images/main-window.png`` (1280x800, Overseas Service II a week before the conversion).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OVERSEAS = "P4"
WORKSPACE_LOTS_SMALL = 3
WORKSPACE_LOTS_LARGE = 10_000
README_IMAGE = ROOT / "docs" / "images" / "main-window.png"
README_SIZE = (1280, 800)
SIZES = ((1024, 700), (1280, 800), (1600, 1000))


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="output folder")
    parser.add_argument("--onscreen", action="store_true", help="use the real display")
    parser.add_argument(
        "--readme", action="store_true", help=f"write only {README_IMAGE.relative_to(ROOT)}"
    )
    parser.add_argument(
        "--sizes", default=",".join(f"{w}x{h}" for w, h in SIZES), help="window sizes, WxH,..."
    )
    parser.add_argument("--quick", action="store_true", help="skip the 10,000-lot workspace")
    return parser.parse_args(argv)


class Shooter:
    """Drives a MainWindow through states and saves one PNG per state."""

    def __init__(self, out: Path) -> None:
        from PySide6.QtWidgets import QApplication

        from janus_gui import paths
        from janus_gui.core.repository import Repository
        from janus_gui.ui.main_window import MainWindow
        from janus_gui.ui.settings import AppSettings

        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.out = out
        self.repo = Repository.open(paths.database_path())
        self.window = MainWindow(self.repo, AppSettings())
        self.window.resize(1400, 860)
        self.window.show()
        self.saved: list[Path] = []
        self.size_tag = ""

    def settle(self) -> None:
        for _ in range(5):
            self.app.processEvents()

    def save(self, name: str, widget: object | None = None) -> None:
        self.settle()
        target = widget or self.window
        path = self.out / f"{name}{self.size_tag}.png"
        target.grab().save(str(path))  # type: ignore[attr-defined]
        self.saved.append(path)
        print(path, flush=True)

    def start(self) -> None:
        self.save("01-start")

    def search_cusip(self) -> None:
        box = self.window.search_box
        box.field.setFocus()
        box.field.setText("471021709")
        box.run_now()
        self.save("02-search-471021709")
        box.hide_results()
        box.field.clear()
        box.run_now()

    def redemption_fee(self, day: dt.date, name: str) -> None:
        from janus_gui.core.models import ShareClass

        self.window.select(OVERSEAS, ShareClass.SERVICE_II, day)
        detail = self.window.detail
        if detail is not None and hasattr(detail, "redemption_tab"):
            detail.select_tab(detail.redemption_tab)
        self.save(name)

    def detail_tabs(self) -> None:
        """Every Class detail tab for Overseas Service II on 2012-04-20, source viewer closed."""
        from janus_gui.core.models import ShareClass

        self.window.source_dock.hide()
        self.window.select(OVERSEAS, ShareClass.SERVICE_II, dt.date(2012, 4, 20))
        self.window.show_detail_tab()
        detail = self.window.detail
        if detail is None:
            return
        for index in range(detail.tabs.count()):
            detail.tabs.setCurrentIndex(index)
            title = detail.tabs.tabText(index).lower()
            slug = "-".join("".join(c if c.isalnum() else " " for c in title).split())
            self.save(f"10-detail-{index + 1:02d}-{slug}")

    def guide(self) -> None:
        from janus_gui.ui.guide import GuideDialog

        dialog = GuideDialog(self.window)
        dialog.show()
        self.save("09-user-guide", dialog)
        dialog.close()

    def fee_record_pdf(self) -> None:
        """The workspace's fee record as PDF, its first page rendered to PNG."""
        panel = self.window.workspace
        if panel is None or panel.outcome() is None:
            print("no workspace result; skipping the PDF")
            return
        from janus_gui.ui.printed import PaperSize

        for paper in PaperSize:
            pdf = self.out / f"11-fee-record-{paper.value}.pdf"
            panel.export_pdf(pdf, paper)
            self._first_page_png(pdf)

    def exporting(self) -> None:
        """The workspace while the 10,000-lot record is written: progress bar and Cancel."""
        panel = self.window.workspace
        if panel is None or panel.outcome() is None:
            return
        if panel.start_pdf_export(self.out / "exporting.pdf"):
            self.save("12-workspace-exporting")
            panel.cancel_pdf_export()
            from PySide6.QtCore import QThreadPool

            QThreadPool.globalInstance().waitForDone(30_000)
            self.save("12-workspace-export-cancelled")

    def rule_sheet_pdf(self) -> None:
        """The class rule sheet for Overseas Service II on 2012-04-20, first and last pages."""
        from janus_gui.core.asof import class_rules
        from janus_gui.core.models import ShareClass
        from janus_gui.ui import rule_sheet
        from janus_gui.ui.printed import PaperSize

        rules = class_rules(self.repo, OVERSEAS, ShareClass.SERVICE_II, dt.date(2012, 4, 20))
        for paper in PaperSize:
            pdf = self.out / f"13-rule-sheet-{paper.value}.pdf"
            rule_sheet.write_pdf(pdf, self.repo, rules, paper)
            self._first_page_png(pdf)

    def _first_page_png(self, pdf: Path) -> None:
        import shutil
        import subprocess

        if shutil.which("pdftoppm") is None:
            print("pdftoppm not found (apt-get install poppler-utils); PDF kept:", pdf)
            return
        stem = pdf.with_suffix("")
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "100",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
        )
        self.saved.append(stem.with_suffix(".png"))
        print(stem.with_suffix(".png"), flush=True)

    def source_viewer(self) -> None:
        from janus_gui.core.asof import redemption_fee_rule
        from janus_gui.core.models import ShareClass

        fee = redemption_fee_rule(self.repo, OVERSEAS, ShareClass.SERVICE_II, dt.date(2012, 4, 20))
        if fee.citation is None:
            print("no citation for the Service II fee rule; skipping the source viewer")
            return
        self.window.show_citation(fee.citation)
        self.save("05-source-viewer")

    def readme_image(self) -> None:
        """The window as README.md shows it: a class on a date, the Overview tab."""
        from janus_gui.core.models import ShareClass

        self.window.resize(*README_SIZE)
        self.window.select(OVERSEAS, ShareClass.SERVICE_II, dt.date(2012, 4, 20))
        self.settle()
        self.window.grab().save(str(README_IMAGE))
        self.saved.append(README_IMAGE)
        print(README_IMAGE, flush=True)

    def about(self) -> None:
        dialog = self.window.about_dialog()
        dialog.show()
        self.save("06-about", dialog)
        dialog.close()

    def workspace(self, lots: int, name: str) -> None:
        from janus_gui.core.models import ShareClass

        day = dt.date(2012, 4, 20)
        self.window.source_dock.hide()  # give the lot table the room
        self.window.open_workspace(OVERSEAS, ShareClass.SERVICE_II, day)
        panel = self.window.workspace
        if panel is None or not hasattr(panel, "import_lots_file"):
            print("workspace panel not available; skipping")
            return
        csv_path = self.out / f"lots-{lots}.csv"
        _write_lots(csv_path, lots, day)
        panel.import_lots_file(str(csv_path))
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(30_000)
        self.settle()
        if hasattr(panel, "inputs") and hasattr(panel, "recompute_now"):
            panel.inputs.quantity.setText(str(lots * 50))
            panel.inputs.nav.setText("10.00")
            panel.recompute_now()
            QThreadPool.globalInstance().waitForDone(30_000)
        self.save(name)
        csv_path.unlink(missing_ok=True)


def _write_lots(path: Path, count: int, redeem: dt.date) -> None:
    """A lot schedule: purchases spread over the year before ``redeem``."""
    lines = ["lot_id,purchase_date,shares"]
    for number in range(count):
        day = redeem - dt.timedelta(days=5 + (number * 7) % 360)
        shares = f"{100 + (number * 37) % 900}.{number % 1000:03d}"
        lines.append(f"L{number + 1},{day.isoformat()},{shares}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _answer_dialogs() -> None:
    """Modal questions would block a headless run: accept imports, discard on close."""
    try:
        from janus_gui.ui.workspace import dialogs
    except ImportError:
        return
    dialogs.ImportPreviewDialog.ask = classmethod(lambda cls, *args: True)  # type: ignore[assignment]
    dialogs.ask_save_changes = lambda parent: dialogs.SaveChoice.DISCARD  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    if not args.onscreen:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="janus-shots-") as home:
        os.environ["JANUS_GUI_USER_DIR"] = home
        from PySide6.QtCore import QSettings

        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, home)
        _answer_dialogs()
        shooter = Shooter(out)
        if args.readme:
            shooter.readme_image()
            shooter.window.close()
            shooter.repo.close()
            return 0
        steps: list[Callable[[], None]] = [
            shooter.start,
            shooter.search_cusip,
            lambda: shooter.redemption_fee(dt.date(2012, 4, 20), "03-overseas-sii-2012-04-20"),
            lambda: shooter.redemption_fee(dt.date(2012, 5, 1), "04-overseas-sii-2012-05-01"),
            shooter.source_viewer,
            shooter.about,
            shooter.guide,
            shooter.detail_tabs,
            lambda: shooter.workspace(WORKSPACE_LOTS_SMALL, "07-workspace-3-lots"),
        ]
        if not args.quick:
            steps.append(lambda: shooter.workspace(WORKSPACE_LOTS_LARGE, "08-workspace-10000-lots"))
            steps.append(shooter.exporting)
        sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
        for width, height in sizes:
            shooter.size_tag = f"-{width}x{height}"
            shooter.window.source_dock.hide()
            shooter.window.resize(width, height)
            for step in steps:
                step()
        shooter.size_tag = ""
        shooter.workspace(WORKSPACE_LOTS_SMALL, "07-workspace-3-lots")
        shooter.fee_record_pdf()
        shooter.rule_sheet_pdf()
        shooter.window.close()
        shooter.repo.close()
    print(f"{len(shooter.saved)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
