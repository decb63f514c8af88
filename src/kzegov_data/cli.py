"""The ``kzegov-data`` command: parses arguments, calls one library function per command.

Expected failures (:class:`KzegovDataError`) print one or two lines and exit with status 1;
usage errors exit with 2. No traceback for either.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
from collections.abc import Sequence

from ._version import __version__
from .errors import KzegovDataError

EXAMPLES = """examples:
  kzegov-data build --mirror ../shared/sources      rebuild every table from a mirror folder
  kzegov-data show un_egov --country KAZ --peers central_asia --years 2020-2024
  kzegov-data compare KAZ --peers central_asia --indicator egdi
  kzegov-data fetch --update un_egov                 accept a revised publisher file
  kzegov-data plot un_egov/egdi --output egdi.png    Kazakhstan against its peers
"""


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="kzegov-data",
        description="E-government indicators of Kazakhstan and every other country as tidy tables.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    main.add_argument("--root", help="project folder holding raw/ and processed/ (default: KZEGOV_ROOT or .)")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    fetch = commands.add_parser("fetch", help="download (or copy from a mirror) and pin raw files",
                                description="Fetch the raw files of the given sources (default: all) into "
                                "raw/<source>/ and pin them in raw/sources.lock.json.")
    fetch.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids (default: all)")
    fetch.add_argument("--mirror", metavar="DIR", help="folder laid out as <source>/<file> (default: KZEGOV_MIRROR)")
    fetch.add_argument("--offline", action="store_true", help="never download; use the mirror or raw/ only")
    fetch.add_argument("--update", action="store_true",
                       help="accept files whose sha256 differs from the lock: record the new hash, keep the old file")
    fetch.add_argument("--no-wait", action="store_true", help="fail instead of waiting when another run is busy")

    build = commands.add_parser("build", help="fetch, parse, validate and publish processed/",
                                description="Rebuild the tables of the given sources (default: all). Sources "
                                "whose raw files cannot be had are reported and their published tables validated.")
    build.add_argument("sources", nargs="*", metavar="SOURCE", help="source ids (default: all)")
    build.add_argument("--mirror", metavar="DIR", help="folder laid out as <source>/<file> (default: KZEGOV_MIRROR)")
    build.add_argument("--require-sources", action="store_true",
                       help="fail when a source's raw files cannot be fetched (default: keep its published tables)")
    build.add_argument("--offline", action="store_true", help="never download; use the mirror or raw/ only")
    build.add_argument("--force", action="store_true", help="rebuild even when inputs and code are unchanged")
    build.add_argument("--summary", action="store_true", help="print tables, rows and Kazakhstan's latest values")
    build.add_argument("--no-wait", action="store_true", help="fail instead of waiting when another run is busy")

    validate = commands.add_parser("validate", help="check published tables against schemas, hashes and the lock",
                                   description="Validate every published table in processed/.")
    validate.add_argument("--data-dir", metavar="DIR", help="folder of published tables (default: processed/)")
    validate.add_argument("--no-wait", action="store_true", help="fail instead of waiting when another run is busy")

    tables = commands.add_parser("tables", help="list the published tables", description="List the published tables.")
    tables.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    show = commands.add_parser("show", help="print rows of a table",
                               description="Print a published table, filtered by country, peer group and years.")
    show.add_argument("table", help="table name, e.g. un_egov")
    show.add_argument("--country", action="append", default=[], metavar="CODE",
                      help="ISO3 code or name (repeatable)")
    show.add_argument("--peers", metavar="GROUP", help="add a peer group: central_asia, eaeu, post_soviet")
    show.add_argument("--years", metavar="SPEC", help="2024, 2020-2024 or 2020,2022")
    show.add_argument("--columns", metavar="LIST", help="comma-separated columns to show")
    show.add_argument("--csv", action="store_true", help="print CSV instead of an aligned table")
    show.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    compare = commands.add_parser(
        "compare", help="a country against a peer group, year by year",
        description="Per year: the country's value, its rank in the group (1 = best), the group's median "
        "and best, and the gaps to them.")
    compare.add_argument("country", help="ISO3 code or name, e.g. KAZ")
    compare.add_argument("--peers", required=True, metavar="GROUP",
                         help="central_asia, eaeu, post_soviet, paper_comparators, income:upper_middle...")
    compare.add_argument("--indicator", required=True, metavar="ID", help="indicator id (see: kzegov-data indicators)")
    compare.add_argument("--years", metavar="SPEC", help="2024, 2020-2024 or 2020,2022")
    compare.add_argument("--csv", action="store_true", help="print CSV instead of an aligned table")
    compare.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    indicators = commands.add_parser("indicators", help="list the indicator ids with title, unit and years",
                                     description="The indicator catalogue of the indicators table.")
    indicators.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    plot = commands.add_parser("plot", help="draw Kazakhstan against Central Asia and the EAEU (PNG)",
                               description="Draw a series for Kazakhstan and its peer groups: TABLE/COLUMN of a "
                               "wide table or TABLE/INDICATOR of a long one. Needs matplotlib: "
                               "pip install 'kzegov_data[plot]'.")
    plot.add_argument("series", metavar="TABLE/SERIES",
                      help="e.g. un_egov/egdi, ti_cpi/score, itu_ict/internet_users_pct")
    plot.add_argument("--output", "-o", required=True, metavar="PNG", help="file to write")
    plot.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    peers = commands.add_parser("peers", help="list peer groups and their members",
                                description="List peer groups, or the members of one.")
    peers.add_argument("group", nargs="?", help="group name")
    return main


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    if hasattr(signal, "SIGXFSZ"):
        # Past a file-size limit (ulimit -f) a write should fail with EFBIG, reported below, rather
        # than the signal killing the process halfway through.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        return COMMANDS[arguments.command](arguments)
    except KzegovDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        # The file system said no (permissions, a full disk, a file-size limit, a read-only folder):
        # an environmental problem, reported in one line; everything writes atomically, so nothing
        # half-written was left in place.
        print(f"error: {describe_os_error(error)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `kzegov-data indicators | head`: the reader stopped early, which is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted; processed/ was left as it was", file=sys.stderr)
        return 130


def describe_os_error(error: OSError) -> str:
    """One line for a file-system error: what failed, on which file, and what to do."""
    where = f" ({error.filename})" if error.filename else ""
    reason = error.strerror or str(error)
    advice = {
        errno.ENOSPC: "free some disk space and run again",
        errno.EFBIG: "a file-size limit was reached (ulimit -f); raise it and run again",
        errno.EACCES: "check the folder's permissions, or use another folder with --root",
        errno.EPERM: "check the folder's permissions, or use another folder with --root",
        errno.EROFS: "the folder is read-only; use another folder with --root",
    }.get(error.errno or 0, "check the path and run again")
    return f"{reason}{where}; {advice}. Files are written atomically: none was left half-written."


def run_fetch(arguments: argparse.Namespace) -> int:
    from .pipeline import Project, fetch, mirror_folder

    project = Project.locate(arguments.root)
    fetched = fetch(project, arguments.sources or None, mirror=mirror_folder(arguments.mirror),
                    update=arguments.update, offline=arguments.offline, wait=not arguments.no_wait)
    for source_id, paths in fetched.items():
        print(f"{source_id}: {len(paths)} file(s) pinned in {project.lock_path.name}")
    return 0


def run_build(arguments: argparse.Namespace) -> int:
    from .datacard import refresh_datacard
    from .pipeline import Project, build, check_published, mirror_folder, summary

    project = Project.locate(arguments.root)
    report = build(project, arguments.sources or None, mirror=mirror_folder(arguments.mirror),
                   require_sources=arguments.require_sources, force=arguments.force,
                   offline=arguments.offline, wait=not arguments.no_wait)
    if report.skipped:
        print(f"unchanged (same raw files and code as their last build): {', '.join(report.skipped)}")
    if report.unrefreshed:
        for line in check_published(project):
            print(f"validated shipped {line}")
        names = ", ".join(report.unrefreshed)
        print(f"could not refresh {names} (no mirror, network or saved file); the shipped tables were "
              "validated instead. To refresh: set KZEGOV_MIRROR=DIR or run `kzegov-data fetch` for details.")
    refresh_datacard(project)  # DATACARD.md and docs/figures/ follow processed/ (issue 6)
    if arguments.summary:
        print("\n".join(["Published tables:", *summary(project.processed_dir)]))
    return 0


def run_validate(arguments: argparse.Namespace) -> int:
    from pathlib import Path

    from .pipeline import Project, check_published

    project = Project.locate(arguments.root)
    folder = Path(arguments.data_dir) if arguments.data_dir else None
    for line in check_published(project, folder, wait=not arguments.no_wait):
        print(line)
    return 0


def run_tables(arguments: argparse.Namespace) -> int:
    from .api import tables

    overview = tables(data_dir=arguments.data_dir)
    print(overview.loc[:, ["name", "rows", "years", "source", "title"]].to_string(index=False))
    return 0


def run_show(arguments: argparse.Namespace) -> int:
    from .api import load, peers

    countries = list(arguments.country)
    if arguments.peers:
        countries += [code for code in peers(arguments.peers, data_dir=arguments.data_dir) if code not in countries]
    frame = load(arguments.table, countries=countries or None, years=parse_years(arguments.years),
                 data_dir=arguments.data_dir)
    if arguments.columns:
        wanted = [c.strip() for c in arguments.columns.split(",")]
        unknown = [c for c in wanted if c not in frame.columns]
        if unknown:
            msg = f"unknown column(s) {unknown}; {arguments.table} has {list(frame.columns)}"
            raise KzegovDataError(msg)
        frame = frame.loc[:, wanted]
    if arguments.csv:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(frame.to_string(index=False) if len(frame) else "(no rows)")
    return 0


def run_compare(arguments: argparse.Namespace) -> int:
    from .analysis import compare

    table = compare(arguments.country, arguments.peers, arguments.indicator, years=parse_years(arguments.years),
                    data_dir=arguments.data_dir)
    if arguments.csv:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    members = " ".join(table.attrs["group"])
    print(f"{arguments.indicator} ({table.attrs['unit']}, {table.attrs['better']} is better); group: {members}")
    print(table.to_string(index=False) if len(table) else "(no year with a value for this country)")
    print(table.attrs["aggregation"])
    return 0


def run_indicators(arguments: argparse.Namespace) -> int:
    from .analysis import indicators

    catalogue = indicators(data_dir=arguments.data_dir)
    print(catalogue.loc[:, ["id", "unit", "years", "source", "title"]].to_string(index=False))
    return 0


def run_plot(arguments: argparse.Namespace) -> int:
    from pathlib import Path

    from .figures import plot_series

    print(f"wrote {plot_series(arguments.series, Path(arguments.output), data_dir=arguments.data_dir)}")
    return 0


def run_peers(arguments: argparse.Namespace) -> int:
    from .api import peers
    from .countries import PEER_GROUPS, income_group, peer_group_names

    for group in [arguments.group] if arguments.group else peer_group_names():
        members = peers(group)
        title = PEER_GROUPS[group].title if group in PEER_GROUPS else f"World Bank income group: {income_group(group)}"
        print(f"{group} ({title}): {' '.join(members)}")
    return 0


def parse_years(spec: str | None) -> list[int] | None:
    if not spec:
        return None
    years: list[int] = []
    try:
        for part in spec.split(","):
            first, _, last = part.strip().partition("-")
            years.extend(range(int(first), int(last or first) + 1))
    except ValueError:
        msg = f"--years {spec!r}: write a year (2024), a range (2020-2024) or a list (2020,2022)"
        raise KzegovDataError(msg) from None
    return years


COMMANDS = {
    "fetch": run_fetch,
    "build": run_build,
    "validate": run_validate,
    "tables": run_tables,
    "show": run_show,
    "compare": run_compare,
    "indicators": run_indicators,

    "plot": run_plot,
    "peers": run_peers,
}
