"""Deterministic benchmark inputs: lot files, batch files and search queries (fixed seeds).

Every generator takes its own ``random.Random`` seeded with a constant, so two runs measure the
same bytes. Share counts are drawn as whole thousandths, which keeps them exact 3-dp decimals.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

from janus_gui.core.identifiers import format_cusip_spaced

# Overseas Service II on 2012-04-20: the 1.00% / 60-day fee is in force (002:96-103) until the
# Service II shares convert at the close of 2012-04-27 (002:121-131).
FEE_PORTFOLIO = "Overseas"
FEE_CLASS = "Service II"
FEE_REDEEM_DATE = dt.date(2012, 4, 20)
LOT_WINDOW_DAYS = 90  # lots are bought within the 90 days before the redemption
NAV = "10.00"
LOTS_PER_ACCOUNT = 10
CHUNK = 50_000


def _thousandths(value: int) -> str:
    return f"{value // 1000}.{value % 1000:03d}"


def lot_dates(count: int) -> Iterator[dt.date]:
    """``count`` purchase dates, oldest first, spread over the 90 days before the redemption."""
    first = FEE_REDEEM_DATE - dt.timedelta(days=LOT_WINDOW_DAYS)
    for i in range(count):
        yield first + dt.timedelta(days=i * LOT_WINDOW_DAYS // count)


def write_lot_file(path: Path, count: int, seed: int = 20120420) -> Path:
    """A lot schedule CSV (``purchase_date,shares,lot_id``) with ``count`` lots."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("purchase_date,shares,lot_id\n")
        lines: list[str] = []
        for i, day in enumerate(lot_dates(count)):
            lines.append(f"{day.isoformat()},{_thousandths(rng.randint(1_000, 999_999))},L{i}\n")
            if len(lines) == CHUNK:
                out.write("".join(lines))
                lines.clear()
        out.write("".join(lines))
    return path


BATCH_HEADER = (
    "account_id,portfolio,share_class,redeem_date,nav,redeem_shares,purchase_date,shares,lot_id,"
    "seq\n"
)


def _account_rows(rng: random.Random, number: int) -> list[str]:
    """One account: ten lots inside the window; half redeem everything, half part of it."""
    first = FEE_REDEEM_DATE - dt.timedelta(days=LOT_WINDOW_DAYS)
    offsets = sorted(rng.randrange(LOT_WINDOW_DAYS) for _ in range(LOTS_PER_ACCOUNT))
    shares = [rng.randint(1_000, 99_999) for _ in range(LOTS_PER_ACCOUNT)]
    redeem = "all" if number % 2 == 0 else _thousandths(sum(shares[: 1 + number % 7]))
    account = f"A{number:07d}"
    rows = []
    for lot, (offset, amount) in enumerate(zip(offsets, shares, strict=True)):
        day = (first + dt.timedelta(days=offset)).isoformat()
        head = ",,,,"
        if lot == 0:
            head = f"{FEE_PORTFOLIO},{FEE_CLASS},{FEE_REDEEM_DATE},{NAV},{redeem}"
        rows.append(f"{account},{head},{day},{_thousandths(amount)},{account}-{lot},{lot + 1}\n")
    return rows


def write_batch_file(
    path: Path, accounts: int, seed: int = 100_000, *, shuffled: bool = False
) -> Path:
    """A batch input (``docs/batch.md``) with ``accounts`` accounts of ten lots each.

    Each account's rows are together, lots in date order, unless ``shuffled``: then the same
    rows are in a random order (as an extract ordered by date or fund would have them).
    """
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(BATCH_HEADER)
        lines: list[str] = []
        for number in range(1, accounts + 1):
            lines.extend(_account_rows(rng, number))
            if len(lines) >= CHUNK and not shuffled:
                out.write("".join(lines))
                lines.clear()
        if shuffled:
            random.Random(seed + 1).shuffle(lines)
        out.write("".join(lines))
    return path


# -- search queries ---------------------------------------------------------------------------
HOSTILE = (
    '"',
    "'",
    '""',
    '"Growth',
    'Growth"',
    "NEAR(",
    "NEAR(growth income, 2)",
    "growth NEAR income",
    "growth OR income",
    "NOT growth",
    "growth AND",
    "*",
    "grow*",
    "-growth",
    "name:growth",
    "^growth",
    "(",
    ")",
    "{}",
    "Grow\x00th",
    "\t\n",
    "   ",
    "",
    "'; DROP TABLE security; --",
    "Ünïcödé Growth",
    "成长",
    "🚀 growth",
    "%",
    "_",
    "\\",
    "N/A",
    "-",
    "a" * 10_000,
    "Growth " * 1_500,
    "4" * 10_000,
    '"' * 10_000,
)


def _misspell(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    edit = rng.randrange(4)
    if edit == 0:
        return word[:i] + word[i + 1 :]  # dropped letter
    if edit == 1:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]  # swapped letters
    if edit == 2:
        return word[:i] + rng.choice("aeiourstn") + word[i + 1 :]  # wrong letter
    return word[:i] + word[i] + word[i:]  # doubled letter


def _random_case(rng: random.Random, text: str) -> str:
    return "".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in text)


def _wrong_check_digit(cusip: str) -> str:
    return cusip[:8] + str((int(cusip[8]) + 1) % 10)


def make_queries(
    cusips: Sequence[str],
    tickers: Sequence[str],
    names: Sequence[str],
    count: int = 1_000,
    seed: int = 471021,
) -> list[str]:
    """``count`` realistic queries drawn from the catalog's own identifiers and names.

    Mix (by share of queries): CUSIPs 15%, spaced or hyphenated CUSIPs 10%, 8-character CUSIPs
    10%, wrong check digits 5%, tickers in any case 15%, full names 10%, name prefixes 10%,
    misspelled names 10%, two words of a name 5%, hostile strings 10%.
    """
    rng = random.Random(seed)
    makers = [
        (15, lambda: rng.choice(cusips)),
        (10, lambda: _spaced(rng, rng.choice(cusips))),
        (10, lambda: rng.choice(cusips)[:8].lower()),
        (5, lambda: _wrong_check_digit(rng.choice(cusips))),
        (15, lambda: _random_case(rng, rng.choice(tickers))),
        (10, lambda: rng.choice(names)),
        (10, lambda: _prefix(rng, rng.choice(names))),
        (10, lambda: " ".join(_misspell(rng, w) for w in rng.choice(names).split())),
        (5, lambda: " ".join(rng.choice(names).split()[:2]).lower()),
        (10, lambda: rng.choice(HOSTILE)),
    ]
    weights = [weight for weight, _ in makers]
    return [rng.choices(makers, weights)[0][1]() for _ in range(count)]


def _spaced(rng: random.Random, cusip: str) -> str:
    if rng.random() < 0.7:
        return format_cusip_spaced(cusip)
    return f"{cusip[:6]}-{cusip[6:8]}-{cusip[8]}"


def _prefix(rng: random.Random, name: str) -> str:
    words = name.split()
    keep = rng.randrange(len(words))
    last = words[keep]
    return " ".join([*words[:keep], last[: rng.randint(1, len(last))]])
