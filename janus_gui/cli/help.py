"""Worked examples shown at the end of each sub-command's ``--help``.

Every example runs as written in a folder holding ``EXAMPLE_FILES`` (the same files are in
``docs/examples/``); ``tests/cli/test_cli_help.py`` runs each one and checks it succeeds.
"""

from __future__ import annotations

import argparse

# Small input files the examples read, named as in the examples.
EXAMPLE_FILES: dict[str, str] = {
    "lots.csv": "purchase_date,shares,lot_id\n2012-03-01,100,A\n2012-04-01,50,B\n",
    "ledger.csv": (
        "type,date,shares,amount,nav,lot_id\n"
        "purchase,2012-02-01,100,,,A\n"
        "purchase,2012-03-15,50,,,B\n"
        "redemption,2012-04-02,120,,10.00,\n"
        "redemption,2012-04-20,,200.00,10.00,\n"
    ),
    "accounts.csv": (
        "account_id,portfolio,share_class,redeem_date,nav,redeem_shares,purchase_date,shares,"
        "lot_id\n"
        "A1,Overseas,Service II,2012-04-20,10.00,120,2012-03-01,100,a\n"
        "A1,,,,,,2012-04-01,50,b\n"
        "B2,P4,Service,2012-04-20,10.00,all,2012-01-05,25,x\n"
    ),
    "cusips.txt": "471021709\n471021 66 7\nUS4710217096\nJAIG\n",
}

# (command line, what it shows) per sub-command.
EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "lookup": [
        ("janus-gui lookup 471021709", "the portfolio and class of a CUSIP"),
        ("janus-gui lookup US4710217096 --json", "the same through its ISIN, as JSON"),
        (
            "janus-gui lookup --input cusips.txt --output resolved.csv",
            "resolve a list (one per line) into a CSV file, one row per query",
        ),
    ],
    "show": [
        (
            'janus-gui show Overseas "Service II" --as-of 2012-04-20',
            "every rule in force for a class on a date, with its source line",
        ),
        ("janus-gui show P4 Institutional --json", "the same on the last documented date, as JSON"),
    ],
    "build-db": [
        (
            "janus-gui build-db --out janus-rebuilt.sqlite",
            "rebuild the catalog from the bundled sources into a new file",
        ),
        ("janus-gui lookup jaig --db janus-rebuilt.sqlite", "then use that file instead"),
    ],
    "fee": [
        (
            'janus-gui fee --lots lots.csv --portfolio Overseas --share-class "Service II" '
            "--redeem-date 2012-04-20 --shares 120 --nav 10.00",
            "the fee that may apply to redeeming 120 shares, lot by lot (FIFO)",
        ),
        (
            "janus-gui fee --lots lots.csv --cusip 471021709 --redeem-date 2012-12-31 --all "
            "--nav 10.00 --json",
            "redeem every share of an Institutional holding, as JSON",
        ),
        (
            'janus-gui fee --ledger ledger.csv --portfolio Overseas --share-class "Service II"',
            "every redemption of a purchase/redemption history, each under its own date's rule",
        ),
    ],
    "fee-free": [
        (
            'janus-gui fee-free --lots lots.csv --portfolio Overseas --share-class "Service II" '
            "--date 2012-04-20",
            "how many shares can be redeemed without the fee, and from when more can",
        ),
        (
            "janus-gui fee-free --lots lots.csv --cusip 471021709 --date 2012-12-31 --json",
            "the same for an Institutional holding, as JSON",
        ),
    ],
    "exchange": [
        (
            'janus-gui exchange --from "Overseas/Service II" --to "Overseas/Service" '
            "--date 2012-04-20",
            "may Service II shares be exchanged for Service shares (no: same class only)",
        ),
        (
            'janus-gui exchange --from "Overseas/Service" --to "Balanced/Service" '
            "--date 2012-12-31 --json",
            "an allowed exchange, as JSON",
        ),
    ],
    "convert": [
        (
            "janus-gui convert --shares 100 --from-nav 10.00 --to-nav 12.50",
            "shares received when converting at relative NAVs",
        ),
        (
            "janus-gui convert --shares 150.5 --from-nav 9.87 --to-nav 10.02 --json",
            "the same with the residual value shown, as JSON",
        ),
    ],
    "costs": [
        ("janus-gui costs --expense-ratio 0.93", "costs of $10,000 at 5% a year for 1-10 years"),
        (
            'janus-gui costs --portfolio "International Growth" --share-class Service '
            "--as-of 2000-06-30",
            "the same with the ratio from the 1999 fee table",
        ),
        (
            "janus-gui costs --expense-ratio 1.06 --amount 250000 --years 1,5 --json",
            "other amounts and horizons, as JSON",
        ),
    ],
    "compare": [
        (
            'janus-gui compare "Overseas/Service" "Overseas/Service II" --as-of 2012-04-20',
            "two classes side by side: rules, fees, exchanges and costs, each with its source",
        ),
        (
            "janus-gui compare P4/Service P4/Institutional --as-of 2000-06-30 --amount 50000 "
            "--csv compare.csv",
            "with costs on $50,000, also written as CSV",
        ),
    ],
    "changes": [
        (
            'janus-gui changes Overseas "Service II" --from 2012-04-20 --to 2012-04-28',
            "what changed across the 2012 conversion, and the event that explains it",
        ),
        (
            "janus-gui changes P4 Service --from 2000-01-01 --to 2012-04-20 --json",
            "every changed fact with both values, citations and standings, as JSON",
        ),
    ],
    "batch": [
        (
            "janus-gui batch --input accounts.csv --output fees.csv",
            "fees for every account of a CSV file (see docs/batch.md for its columns)",
        ),
        (
            "janus-gui batch --input accounts.csv --output fees.csv --db janus-rebuilt.sqlite",
            "the same against a catalog built with build-db",
        ),
    ],
}

TOP_LEVEL_EPILOG = """\
Without a command, janus-gui opens the window. Each command prints readable text, or JSON with
--json. Exit codes: 0 success, 1 no match (lookup), 2 invalid input (message on standard error,
nothing on standard output), 3 some rows failed (lookup --input).

Run `janus-gui COMMAND --help` for a command's options and worked examples, for example:
  janus-gui lookup --help
"""


def epilog_for(command: str) -> str:
    """The ``examples:`` block printed after a sub-command's options."""
    lines = ["examples:"]
    for command_line, meaning in EXAMPLES[command]:
        lines.append(f"  {command_line}")
        lines.append(f"      {meaning}")
    return "\n".join(lines)


def attach_examples(parser: argparse.ArgumentParser, commands: argparse._SubParsersAction) -> None:
    """Give the top-level parser and every sub-command an epilog, laid out as written.

    A sub-command without a description gets its one-line summary as one, so that
    ``janus-gui COMMAND --help`` starts by saying what the command does.
    """
    parser.epilog = TOP_LEVEL_EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    summaries = {choice.dest: choice.help for choice in commands._choices_actions}
    for name, sub in commands.choices.items():
        sub.formatter_class = argparse.RawDescriptionHelpFormatter
        if sub.description is None and summaries.get(name):
            sub.description = f"{summaries[name][0].upper()}{summaries[name][1:]}."
        if name in EXAMPLES:
            sub.epilog = epilog_for(name)
