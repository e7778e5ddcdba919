"""`janus-gui compare --csv/--pdf`: the comparison as a spreadsheet and as a printed record."""

from __future__ import annotations

import csv
import io

from janus_gui.cli import main
from tests.helpers.pdf_check import LETTER_POINTS, read_pdf


def test_compare_writes_csv_and_pdf(qapp, capsys, tmp_path) -> None:
    target_csv, target_pdf = tmp_path / "c.csv", tmp_path / "c.pdf"
    code = main(
        [
            "compare",
            "P4/Service",
            "P4/Service II",
            "--as-of",
            "2012-04-20",
            "--csv",
            str(target_csv),
            "--pdf",
            str(target_pdf),
            "--paper",
            "Letter",
        ]
    )
    assert code == 0 and "Wrote the comparison" in capsys.readouterr().err
    rows = list(csv.DictReader(io.StringIO(target_csv.read_text(encoding="utf-8"))))
    fee = [r for r in rows if r["topic"] == "Redemption fee"]
    assert [r["differs"] for r in fee] == ["yes", "yes"]
    assert fee[1]["sources"] == "002:96-103" and fee[1]["standing"] == "documented"
    costs = [r for r in rows if r["topic"].startswith("Cost over 1 years")]
    assert costs[0]["text"].startswith("$108 at 1.06%")  # 004:1132 prints $108
    facts = read_pdf(target_pdf)
    assert set(facts.sizes) == {LETTER_POINTS}
    assert "Redemption fee" in facts.text and "002:96-103" in facts.text
    assert "differs" in facts.text and "Cost projection" in facts.text
