"""Reading a generated PDF back with pypdf: page sizes, text, and the size of every text run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdf

LETTER_POINTS = (612.0, 792.0)
A4_POINTS = (595.0, 842.0)


@dataclass
class PdfFacts:
    sizes: list[tuple[float, float]]  # (width, height) of every page, in points
    pages: list[str]  # text of each page, words joined by single spaces
    run_points: list[tuple[float, str]]  # effective font size of every non-blank text run

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def read_pdf(path: Path) -> PdfFacts:
    reader = pypdf.PdfReader(str(path))
    sizes, pages, runs = [], [], []
    for page in reader.pages:
        sizes.append((float(page.mediabox.width), float(page.mediabox.height)))

        def visit(text, cm, tm, _font, size):  # noqa: ANN001, ANN202
            if text.strip():
                # the size in the text matrix, scaled by the text and the current matrices
                scale_tm = (tm[2] ** 2 + tm[3] ** 2) ** 0.5
                scale_cm = (cm[2] ** 2 + cm[3] ** 2) ** 0.5
                runs.append((size * scale_tm * scale_cm, text))

        text = page.extract_text(visitor_text=visit)
        pages.append(" ".join(text.split()))
    return PdfFacts(sizes, pages, runs)


def same_size(actual: tuple[float, float], expected: tuple[float, float]) -> bool:
    return all(abs(a - e) <= 1.0 for a, e in zip(actual, expected, strict=True))
