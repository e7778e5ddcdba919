"""Generated hostile input: only the documented error types may escape, never a crash.

Every Hypothesis example is counted (``case_tally``); the total is printed at the end of the run
as "hardening: N generated cases run".
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from janus_gui.core import workspace_file
from janus_gui.core.errors import IdentifierError, JanusError, LotScheduleError
from janus_gui.core.lookup import search
from janus_gui.core.lot_file import read_lot_file
from tests.helpers.hardening import NASTY, run_cli

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
CLI_FUZZ = settings(FUZZ, max_examples=45)

# -- the lot reader ----------------------------------------------------------------------------
HEADERS = [
    "purchase_date,shares,lot_id",
    "purchase_date,shares",
    "trade_date,shares,id,exempt",
    "Purchase Date,Shares,Lot ID,note",
    "shares,purchase_date",
    "date,shares,shares",
    "",
    "purchase_date;shares",
]
DATE_CELLS = st.one_of(
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.dates().map(lambda d: f"{d.month}/{d.day}/{d.year}"),
    st.sampled_from(["2013-02-30", "45000", "0000-01-01", "2012-13-01", "1/1/12", " ", ""]),
    st.text(max_size=12),
)
NUMBER_CELLS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.from_regex(r"\A-?[0-9]{1,45}(\.[0-9]{0,22})?\Z"),
    st.sampled_from(["1,000.5", "1e308", "NaN", "-0", "0.000", ".5", "1.", "+1", "1_000", "٣"]),
    st.text(max_size=10),
)
CELL = st.one_of(
    DATE_CELLS,
    NUMBER_CELLS,
    st.sampled_from(["A", "yes", "no", "", '"', "\n"]),
    st.text(max_size=8),
)


def _csv_text(header: str, rows: list[list[str]], sep: str) -> str:
    def quote(cell: str) -> str:
        if any(ch in cell for ch in ',"\n\r;'):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "\n".join([header, *(sep.join(quote(c) for c in row) for row in rows)]) + "\n"


CSV_TEXT = st.one_of(
    st.builds(
        _csv_text,
        st.sampled_from(HEADERS),
        st.lists(st.lists(CELL, min_size=0, max_size=5), max_size=12),
        st.sampled_from([",", ",", ";", "\t"]),
    ),
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from(list(',"\n\r;0123456789-/.\ufeff\x00')), max_size=120),
)


def _check_lot(lot) -> None:
    assert isinstance(lot.purchase_date, dt.date)
    assert isinstance(lot.shares, Decimal) and lot.shares.is_finite()
    assert lot.shares > 0
    assert lot.shares == lot.shares.quantize(Decimal("0.001"))
    assert lot.shares.as_tuple().exponent == -3


def _read_checked(text: str) -> None:
    try:
        lots = list(read_lot_file(io.StringIO(text, newline="")).schedule)
    except LotScheduleError as exc:
        assert str(exc)
        return
    except Exception as exc:  # noqa: BLE001 - the defect this test looks for
        pytest.fail(f"{type(exc).__name__} escaped the lot reader for {text[:120]!r}")
    for lot in lots:
        _check_lot(lot)


@FUZZ
@given(text=CSV_TEXT)
def test_lot_reader_accepts_valid_or_raises_lot_schedule_error(text: str, case_tally) -> None:
    case_tally.add("lot reader")
    _read_checked(text)


@pytest.mark.parametrize(
    "shares", ["9" * 40, "1" + "0" * 28 + ".5", "99999999999999999999999999.999"]
)
def test_lot_reader_with_more_digits_than_decimal_precision(shares: str) -> None:
    _read_checked(f"purchase_date,shares\n2012-01-03,{shares}\n")


# -- search ------------------------------------------------------------------------------------
QUERY_ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("\"'*:^()-+@.#\\%_\x00\x1b\u200b\u202e\ufeff\n\t")),
    st.sampled_from([" AND ", " OR ", " NOT ", " NEAR(", " MATCH ", "{", "}", "NEAR/3"]),
)


@FUZZ
@given(query=st.lists(QUERY_ALPHABET, max_size=40).map("".join))
@example(query='" OR 1=1 --')
@example(query="NOT NOT NOT")
@example(query="*" * 500)
@example(query="471021" + "5" * 3)
def test_search_raises_only_identifier_error(query: str, repo, case_tally) -> None:
    case_tally.add("search")
    try:
        result = search(repo, query)
    except IdentifierError as exc:
        assert str(exc)
        return
    assert result.query == query
    for match in result.matches:
        assert match.portfolio_id.startswith("P")


# -- the command line ----------------------------------------------------------------------------
def _text(*valid: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(valid), st.text(max_size=15))


FILES = [
    str(NASTY / n)
    for n in (
        "utf8_bom.csv",
        "negative_shares.csv",
        "binary_junk.csv",
        "huge_field.csv",
        "empty.csv",
        "latin1.csv",
    )
]
DATES = ("2012-04-20", "2012-03-02", "1999-05-01", "4/20/2012", "2013-02-30", "99999-01-01")
PORTFOLIOS = ("P13", "P4", "Overseas", "Global Technology", "P99", "")
CLASSES = ("Service II", "Service", "Institutional", "Retirement", "sii", "Class Z")
NUMBERS = ("1", "10.00", "0", "-5", "1e308", "NaN", "1" * 40, "0.0001", "120")


def _options(pairs: dict[str, st.SearchStrategy[str]], flags: tuple[str, ...]):
    """A random subset of options, in random order, each with a value; plus flags."""
    entries = [st.tuples(st.just(k), v).map(list) for k, v in pairs.items()]
    entries += [st.just([f]) for f in flags]
    return st.lists(st.one_of(*entries), max_size=len(entries) + 1).map(
        lambda groups: [token for group in groups for token in group]
    )


def _commands(tmp: str) -> dict[str, st.SearchStrategy[list[str]]]:
    date, number = _text(*DATES), _text(*NUMBERS)
    selector = {
        "--portfolio": _text(*PORTFOLIOS),
        "--share-class": _text(*CLASSES),
        "--cusip": _text("471021501", "47102150", "471021502", "TOOSHORT"),
    }
    lots = {"--lots": st.sampled_from([*FILES, tmp, f"{tmp}/absent.csv"])}
    return {
        "lookup": st.tuples(
            _text("Overseas", "JAGIX", "471021"), _options({"--as-of": date}, ("--json",))
        ).map(lambda t: ["lookup", t[0], *t[1]]),
        "show": st.tuples(
            _text(*PORTFOLIOS), _text(*CLASSES), _options({"--as-of": date}, ("--json",))
        ).map(lambda t: ["show", t[0], t[1], *t[2]]),
        "fee": _options(
            {
                **lots,
                **selector,
                "--redeem-date": date,
                "--shares": number,
                "--amount": number,
                "--nav": number,
                "--remaining": _text("full", "summary"),
            },
            ("--all", "--json"),
        ).map(lambda a: ["fee", *a]),
        "fee-free": _options({**lots, **selector, "--date": date}, ("--json",)).map(
            lambda a: ["fee-free", *a]
        ),
        "exchange": _options(
            {
                "--from": _text("P13/Service II", "P4/Service", "/", "P13/"),
                "--to": _text("P4/Service II", "P4/Institutional"),
                "--date": date,
            },
            ("--json",),
        ).map(lambda a: ["exchange", *a]),
        "convert": _options(
            {"--shares": number, "--from-nav": number, "--to-nav": number}, ("--json",)
        ).map(lambda a: ["convert", *a]),
        "costs": _options(
            {
                "--expense-ratio": _text("0.93", "0.93%", "-1", "1000"),
                "--portfolio": _text(*PORTFOLIOS),
                "--share-class": _text(*CLASSES),
                "--as-of": date,
                "--amount": number,
                "--return-rate": number,
                "--years": _text("1,3,5,10", "0", "-1", "1,,x", "100000"),
            },
            ("--net", "--json"),
        ).map(lambda a: ["costs", *a]),
        "batch": _options(
            {
                "--input": st.sampled_from([*FILES, f"{tmp}/absent.csv"]),
                "--output": st.sampled_from([f"{tmp}/out.csv", tmp, f"{tmp}/no/such/dir/out.csv"]),
            },
            (),
        ).map(lambda a: ["batch", *a]),
        "top-level": st.lists(st.text(max_size=10), min_size=1, max_size=4).filter(
            lambda a: (
                a[0] not in ("--self-test", "build-db")
                and "--self-test" not in a
                and "build-db" not in a
                and not any(arg.startswith("--d") for arg in a)
            )
        ),  # --display-check opens a window
    }


COMMANDS = sorted(_commands("/x"))


@pytest.fixture
def cached_catalog(repo, monkeypatch):
    """Every command gets the session's verified catalog (opening is tested elsewhere)."""
    from janus_gui.cli import common

    monkeypatch.setattr(common, "open_repository", lambda db=None: repo)


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_argument_vectors(
    command: str, tmp_path: Path, capsys, cached_catalog, case_tally
) -> None:
    strategy = _commands(str(tmp_path))[command]

    @CLI_FUZZ
    @given(argv=strategy)
    def run(argv: list[str]) -> None:
        case_tally.add(f"cli {command}")
        if not argv:
            return
        code, out, err = run_cli(argv, capsys)
        assert code in (0, 1, 2), (argv, code, err)
        assert "Traceback" not in err and "Traceback" not in out
        if code == 2:
            assert out == "", (argv, out[:300])
            assert err.strip(), argv

    run()


# -- the workspace loader -------------------------------------------------------------------------
JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=25,
)
FIELDS = ("portfolio_id", "share_class", "redeem_date", "mode", "quantity", "nav", "lots")
LOT_OBJECT = st.fixed_dictionaries(
    {}, optional={k: JSON_VALUE for k in ("purchase_date", "shares", "lot_id", "exempt")}
)
WORKSPACE = st.fixed_dictionaries(
    {
        "format": st.sampled_from([workspace_file.FORMAT, "other", 1]),
        "version": st.sampled_from([*workspace_file.READ_VERSIONS, 0, 3, "1", None, 1.0, True]),
    },
    optional={
        **{k: JSON_VALUE for k in FIELDS},
        "lots": st.lists(st.one_of(LOT_OBJECT, JSON_VALUE), max_size=4),
    },
)


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


VERSION_2_TEXT = st.builds(  # a header line, then lot-CSV text of any shape
    lambda header, body: _dumps(header) + "\r\n" + body,
    WORKSPACE,
    st.one_of(
        st.text(max_size=80),
        st.lists(st.lists(st.text(max_size=8), max_size=8), max_size=4).map(
            lambda rows: "\r\n".join(",".join(r) for r in rows)
        ),
    ),
)
WORKSPACE_TEXT = st.one_of(
    WORKSPACE.map(_dumps), VERSION_2_TEXT, JSON_VALUE.map(_dumps), st.text(max_size=80)
)


def _load_checked(text: str, path: Path) -> None:
    path.write_text(text, encoding="utf-8")
    for load in (lambda: workspace_file.loads(text), lambda: workspace_file.load(path)):
        try:
            workspace = load()
        except JanusError as exc:
            assert str(exc)
            continue
        except Exception as exc:  # noqa: BLE001 - the defect this test looks for
            pytest.fail(f"{type(exc).__name__} escaped the workspace loader for {text[:80]!r}")
        assert isinstance(workspace, workspace_file.Workspace)
        assert all(isinstance(lot.shares, str) for lot in workspace.lots)
        # A workspace that loads also survives a save and a reload unchanged.
        assert workspace_file.loads(workspace_file.dumps(workspace)) == workspace


@FUZZ
@given(text=WORKSPACE_TEXT)
def test_workspace_loader_raises_only_janus_errors(text: str, tmp_path: Path, case_tally) -> None:
    case_tally.add("workspace")
    _load_checked(text, tmp_path / "fuzz.janusws")


HOSTILE_WORKSPACES = {
    "deep_nesting": "[" * 100_000 + "]" * 100_000,
    "huge_integer_version": '{"format": "janus-gui-workspace", "version": 1' + "0" * 5000 + "}",
    "long_nav": '{"format": "janus-gui-workspace", "version": 1, "nav": "' + "9" * 300 + '"}',
    "lots_not_a_list": '{"format": "janus-gui-workspace", "version": 1, "lots": {"a": 1}}',
    "nan_literal": '{"format": "janus-gui-workspace", "version": 1, "nav": NaN}',
    "version_true": '{"format": "janus-gui-workspace", "version": true}',
    "version_float": '{"format": "janus-gui-workspace", "version": 1.0}',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_WORKSPACES))
def test_hostile_workspace_files(name: str, tmp_path: Path) -> None:
    _load_checked(HOSTILE_WORKSPACES[name], tmp_path / f"{name}.janusws")


@FUZZ
@given(data=st.binary(max_size=200))
@example(data=b"\xff\xfe{\x00}\x00")
@example(data=b"\xef\xbb\xbf\xef\xbb\xbf{}")
def test_workspace_file_of_random_bytes(data: bytes, tmp_path: Path, case_tally) -> None:
    case_tally.add("workspace bytes")
    path = tmp_path / "bytes.janusws"
    path.write_bytes(data)
    try:
        workspace = workspace_file.load(path)
    except JanusError as exc:
        assert "workspace" in str(exc).lower()
        return
    assert isinstance(workspace, workspace_file.Workspace)


_FEE = [
    "fee",
    "--lots",
    str(NASTY / "utf8_bom.csv"),
    "--portfolio",
    "P13",
    "--share-class",
    "Service II",
    "--redeem-date",
    "2012-04-20",
]
EXTREME_NUMBERS = {
    "convert_shares_1e308": ["convert", "--shares", "1e308", "--from-nav", "1", "--to-nav", "1"],
    "convert_tiny_over_huge_nav": [
        "convert",
        "--shares",
        "1",
        "--from-nav",
        "1e-300",
        "--to-nav",
        "1e300",
    ],
    "fee_shares_1e308": [*_FEE, "--shares", "1e308", "--nav", "10"],
    "fee_nav_1e308": [*_FEE, "--shares", "1", "--nav", "1e308"],
    "fee_amount_1e400": [*_FEE, "--amount", "1e400", "--nav", "10"],
    "fee_nav_1e-31": [*_FEE, "--shares", "1", "--nav", "0." + "0" * 30 + "1"],
    "costs_amount_1e308": ["costs", "--expense-ratio", "0.93", "--amount", "1e308"],
    "costs_ratio_1e308": ["costs", "--expense-ratio", "1e308"],
    "costs_years_100000": ["costs", "--expense-ratio", "0.93", "--years", "100000"],
}


@pytest.mark.parametrize("name", sorted(EXTREME_NUMBERS))
def test_cli_extreme_numbers(name: str, capsys, cached_catalog) -> None:
    """Numbers past Decimal's 28-digit context: a clear answer or exit 2, never a traceback."""
    argv = EXTREME_NUMBERS[name]
    code, out, err = run_cli(argv, capsys)
    assert code in (0, 2), (argv, code, err)
    if code == 2:
        assert out == "" and err.startswith("janus-gui: error:"), err
