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
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import KzegovDataError, OptionalDependencyMissing

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from .pipeline import Project

EXAMPLES = """examples:
  kzegov-data tables                                 the published tables, with licence
  kzegov-data info un_egov                           coverage, columns and units, licence, citation
  kzegov-data show un_egov --country KAZ --peers central_asia --years 2020-2024
  kzegov-data compare KAZ --indicator egdi           against its own peer group (central_asia)
  kzegov-data panel egdi cpi_score --peers central_asia --output panel.xlsx
  kzegov-data build --mirror ../shared/sources      rebuild every table from a mirror folder
  kzegov-data build undp_hdi                         a source id or one of its tables (undp_hdr)
  kzegov-data fetch --update un_egov                 accept a revised publisher file
  kzegov-data plot --indicator egdi --country UZB --peers central_asia --output egdi.png
  kzegov-data editions undp_hdi                      every edition: name, release date, years, rows
  kzegov-data show undp_hdi --country KAZ --edition HDR21-22
  kzegov-data revisions hdi --countries KAZ          Kazakhstan's HDI in every edition, and what changed
  kzegov-data panel hdi egdi --country KAZ --as-of 2022-06-30   what could be downloaded that day

Outside a source checkout, fetch, build and validate work in the per-user data folder (or --root).
"""

#: What SOURCE means for fetch and build: one vocabulary with the tables.
SOURCE_HELP = ("source ids or table names, e.g. itu or itu_ict, undp_hdr or undp_hdi, wb_classification or "
               "countries (default: all)")
YEARS_HELP = "2024, 2020-2024 or 2020,2022"
OUTPUT_HELP = "write the result to FILE instead: .csv, .parquet or .xlsx (pip install 'kzegov_data[excel]')"
EDITION_HELP = ("an edition of the indicators' table, e.g. HDR21-22 or 2021 (see: kzegov-data editions TABLE); "
                "TABLE=NAME for one table (repeatable), e.g. undp_hdi=HDR21-22")
AS_OF_HELP = ("a date such as 2022-06-30: what could be downloaded that day (each source's edition then, the "
              "years released by then, the income classification in effect); a year such as 2015: only the "
              "income classification of that year")


def group_help() -> str:
    from .countries import peer_group_names

    return f"a peer group: {', '.join(peer_group_names())}"


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="kzegov-data",
        description="E-government indicators of Kazakhstan and every other country as tidy tables.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    main.add_argument("--root", help="project folder holding raw/, processed/ and build/ (default: KZEGOV_ROOT, "
                      "else the source checkout you are in, else the per-user data folder)")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    fetch = commands.add_parser("fetch", help="download (or copy from a mirror) and pin raw files",
                                description="Fetch the raw files of the given sources (default: all) into "
                                "raw/<source>/ and pin them in raw/sources.lock.json. A table name stands for "
                                "the source that publishes it.")
    fetch.add_argument("sources", nargs="*", metavar="SOURCE", help=SOURCE_HELP)
    fetch.add_argument("--mirror", metavar="DIR", help="folder laid out as <source>/<file> (default: KZEGOV_MIRROR)")
    fetch.add_argument("--offline", action="store_true", help="never download; use the mirror or raw/ only")
    fetch.add_argument("--update", action="store_true",
                       help="accept files whose sha256 differs from the lock: record the new hash, keep the old file")
    fetch.add_argument("--no-wait", action="store_true", help="fail instead of waiting when another run is busy")

    build = commands.add_parser("build", help="fetch, parse, validate and publish processed/",
                                description="Rebuild the tables of the given sources (default: all); a table "
                                "name stands for the source that publishes it. Sources whose raw files cannot be "
                                "had are reported and their published tables validated.")
    build.add_argument("sources", nargs="*", metavar="SOURCE", help=SOURCE_HELP)
    build.add_argument("--mirror", metavar="DIR", help="folder laid out as <source>/<file> (default: KZEGOV_MIRROR)")
    build.add_argument("--require-sources", action="store_true",
                       help="fail when a source's raw files cannot be fetched (default: keep its published tables)")
    build.add_argument("--offline", action="store_true", help="never download; use the mirror or raw/ only")
    build.add_argument("--force", action="store_true", help="rebuild even when inputs and code are unchanged")
    build.add_argument("--summary", action="store_true", help="print tables, rows and Kazakhstan's latest values")
    build.add_argument("--no-wait", action="store_true", help="fail instead of waiting when another run is busy")

    bundle = commands.add_parser(
        "bundle", help="write the release bundle: every table as CSV, Parquet, Stata and Excel, the country-year file",
        description="Write the zip of the published tables in every format with the country-year file, its codebook, "
        "the data card and datapackage.json (every file with its licence). --only-open keeps only what anyone may "
        "redistribute, adapt and use commercially, and prints what it left out and why.")
    bundle.add_argument("--only-open", action="store_true",
                        help="leave out tables (and their rows and columns elsewhere) whose licence is not open")
    bundle.add_argument("--output", "-o", metavar="FILE",
                        help="zip to write (default: build/release/kzegov_data.zip, or kzegov_data_open.zip)")
    bundle.add_argument("--root", default=argparse.SUPPRESS, help="project folder (as kzegov-data --root)")

    validate = commands.add_parser("validate", help="check published tables against schemas, hashes and the lock",
                                   description="Validate every published table of the project (or, where it has "
                                   "none, the tables shipped with the package).")
    validate.add_argument("--data-dir", metavar="DIR", help="folder of published tables (default: processed/)")
    validate.add_argument("--no-wait", action="store_true", help="fail instead of waiting when another run is busy")

    tables = commands.add_parser("tables", help="list the published tables", description="List the published tables.")
    tables.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    info = commands.add_parser("info", help="coverage, columns with units, licence and citation of a table",
                               description="What a published table holds and how to cite it (from datapackage.json).")
    info.add_argument("table", metavar="NAME",
                      help="table name, e.g. un_egov (see: kzegov-data tables), or an indicator id, e.g. egdi")
    info.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    show = commands.add_parser("show", help="print rows of a table",
                               description="Print a published table, filtered by country, peer group and years. "
                               "Numbers are printed as published.")
    show.add_argument("table", help="table name, e.g. un_egov")
    show.add_argument("--country", action="append", default=[], metavar="CODE",
                      help="ISO3 code or name (repeatable)")
    show.add_argument("--peers", metavar="GROUP", help=f"add {group_help()}")
    show.add_argument("--years", metavar="SPEC", help=YEARS_HELP)
    show.add_argument("--columns", metavar="LIST", help="comma-separated columns to show")
    show.add_argument("--edition", metavar="NAME",
                      help="an edition by name or alias, e.g. HDR21-22 (see: kzegov-data editions TABLE)")
    show.add_argument("--csv", action="store_true", help="print CSV instead of an aligned table")
    show.add_argument("--output", "-o", metavar="FILE", help=OUTPUT_HELP)
    show.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    compare = commands.add_parser(
        "compare", help="a country against a peer group, year by year",
        description="Per year: the country's value, its rank in the group (1 = best), the group's median "
        "and best, and the gaps to them; group_weighted only for indicators that have counts to weight by.")
    compare.add_argument("country", help="ISO3 code or name, e.g. KAZ")
    compare.add_argument("--peers", metavar="GROUP",
                         help=f"{group_help()} (default: the smallest of the study's groups the country is in)")
    compare.add_argument("--indicator", required=True, metavar="ID", help="indicator id (see: kzegov-data indicators)")
    compare.add_argument("--years", metavar="SPEC", help=YEARS_HELP)
    compare.add_argument("--edition", action="append", default=[], metavar="NAME", help=EDITION_HELP)
    compare.add_argument("--as-of", metavar="DATE", help=AS_OF_HELP)
    compare.add_argument("--csv", action="store_true", help="print CSV instead of an aligned table")
    compare.add_argument("--output", "-o", metavar="FILE", help=OUTPUT_HELP)
    compare.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    panel = commands.add_parser("panel", help="a country-year frame, one column per indicator",
                                description="Indicators of several sources side by side, one row per country "
                                "and year (EGDI on its survey years, never interpolated).")
    panel.add_argument("indicators", nargs="+", metavar="ID", help="indicator ids, e.g. egdi cpi_score (or egdi,hdi)")
    panel.add_argument("--country", action="append", default=[], metavar="CODE",
                       help="ISO3 code or name (repeatable)")
    panel.add_argument("--peers", metavar="GROUP", help=f"add {group_help()}")
    panel.add_argument("--years", metavar="SPEC", help=YEARS_HELP)
    panel.add_argument("--edition", action="append", default=[], metavar="NAME", help=EDITION_HELP)
    panel.add_argument("--as-of", metavar="DATE", help=AS_OF_HELP)
    panel.add_argument("--csv", action="store_true", help="print CSV instead of an aligned table")
    panel.add_argument("--output", "-o", metavar="FILE", help=OUTPUT_HELP)
    panel.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    indicators = commands.add_parser("indicators", help="list the indicator ids with title, unit and years",
                                     description="The indicator catalogue of the indicators table.")
    indicators.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    plot = commands.add_parser("plot", help="draw a country against peer groups (PNG)",
                               description="Draw a series for a country (default: Kazakhstan) against each peer "
                               "group (default: Central Asia and the EAEU): --indicator ID, or TABLE/COLUMN of a "
                               "wide table or TABLE/INDICATOR of a long one. Needs matplotlib: "
                               "pip install 'kzegov_data[plot]'.")
    plot.add_argument("series", nargs="?", metavar="TABLE/SERIES",
                      help="e.g. un_egov/egdi, ti_cpi/score, itu_ict/internet_users_pct")
    plot.add_argument("--indicator", metavar="ID", help="an indicator id instead of TABLE/SERIES, e.g. egdi")
    plot.add_argument("--country", metavar="CODE", help="the country drawn on top (default: KAZ)")
    plot.add_argument("--peers", action="append", default=[], metavar="GROUP",
                      help="a study peer group, one panel each (repeatable; default: central_asia and eaeu)")
    plot.add_argument("--output", "-o", required=True, metavar="PNG", help="file to write")
    plot.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    editions = commands.add_parser(
        "editions", help="list a table's editions: name, release date, years, rows, countries",
        description="The editions of a published table, oldest first, from datapackage.json: revising sources "
        "(UNDP HDR, WGI, ITU) publish a whole back series in each edition; UN surveys and CPI years are each "
        "their own edition. The release dates come with where they are printed.")
    editions.add_argument("table", metavar="TABLE", help="table name, e.g. undp_hdi")
    editions.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    revisions = commands.add_parser(
        "revisions", help="an indicator's value in every edition, and what each edition revised",
        description="Per country and year the value in every edition of a revising source (UNDP HDR, WGI, "
        "ITU), then per pair of consecutive editions: values compared, share changed, mean absolute and "
        "largest revision. Without --countries only the summary is printed (or every row with --output).")
    revisions.add_argument("indicator", metavar="ID", help="indicator id, e.g. hdi or wgi_control_of_corruption")
    revisions.add_argument("--countries", nargs="+", default=[], metavar="CODE",
                           help="ISO3 codes, names or peer groups, e.g. KAZ or central_asia")
    revisions.add_argument("--csv", action="store_true", help="print the values as CSV instead of an aligned table")
    revisions.add_argument("--output", "-o", metavar="FILE", help=OUTPUT_HELP)
    revisions.add_argument("--data-dir", metavar="DIR", help="folder of published tables")

    site = commands.add_parser(
        "site", help="write the static download site (HTML pages, every download, country profiles)",
        description="Write the download site of the published tables to DIR: a home page with every file "
        "(size and sha256), a page per table, a profile per country, and the downloads. Plain HTML and CSS "
        "with relative links: it works from file:// and any static host. DIR is replaced as a whole.")
    site.add_argument("--output", "-o", required=True, metavar="DIR", help="folder to write (e.g. build/site)")
    # dest differs from the main parser's --root: a subparser's default would overwrite `--root X site`.
    site.add_argument("--root", dest="site_root", metavar="DIR",
                      help="project folder whose processed/ to publish (default: as --root before the command)")

    peers = commands.add_parser("peers", help="list peer groups and their members",
                                description="List peer groups, or the members of one.")
    peers.add_argument("group", nargs="?", help="group name")
    peers.add_argument("--data-dir", metavar="DIR", help="folder of published tables (for the income groups)")
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


def source_ids(names: Sequence[str]) -> list[str] | None:
    """The sources that ``fetch``/``build`` names stand for (source ids or table names), in order."""
    from .registry import source_id_of

    return list(dict.fromkeys(source_id_of(name) for name in names)) or None


def locate(root: str | None) -> Project:
    """The project a writing command works on; says so when it is the per-user folder."""
    from .locations import user_data_dir
    from .pipeline import Project

    project = Project.locate(root)
    if root is None and project.root == user_data_dir():
        print(f"project folder: {project.root} (not in a source checkout; choose another with --root or "
              "KZEGOV_ROOT)", file=sys.stderr)
    return project


def run_fetch(arguments: argparse.Namespace) -> int:
    from .pipeline import fetch, mirror_folder

    project = locate(arguments.root)
    fetched = fetch(project, source_ids(arguments.sources), mirror=mirror_folder(arguments.mirror),
                    update=arguments.update, offline=arguments.offline, wait=not arguments.no_wait)
    for source_id, paths in fetched.items():
        print(f"{source_id}: {len(paths)} file(s) pinned in {project.lock_path}")
    return 0


def run_build(arguments: argparse.Namespace) -> int:
    from .bundle import ensure_bundle
    from .datacard import refresh_datacard
    from .locations import shipped_processed_dir
    from .pipeline import build, check_published, mirror_folder, summary

    project = locate(arguments.root)
    report = build(project, source_ids(arguments.sources), mirror=mirror_folder(arguments.mirror),
                   require_sources=arguments.require_sources, force=arguments.force,
                   offline=arguments.offline, wait=not arguments.no_wait)
    if report.skipped:
        print(f"unchanged (same raw files and code as their last build): {', '.join(report.skipped)}")
    # A project that has never published (a fresh per-user folder) falls back on the shipped tables.
    published = project.processed_dir if project.has_tables else shipped_processed_dir()
    if report.unrefreshed:
        for line in check_published(project) if project.has_tables else validate_shipped():
            print(f"validated shipped {line}")
        names = ", ".join(report.unrefreshed)
        print(f"could not refresh {names} (no mirror, network or saved file); the published tables in "
              f"{published} were validated instead. To refresh: set KZEGOV_MIRROR=DIR (or --mirror DIR), "
              "or see why with `kzegov-data fetch`.")
    if project.has_tables:
        refresh_datacard(project)  # DATACARD.md and docs/figures/ follow processed/ (issue 6)
        if ensure_bundle(project.processed_dir, project.bundle_path):  # the bundle holds the fresh card
            print(f"wrote the release bundle {project.bundle_path}")
    if arguments.summary:
        print("\n".join(["Published tables:", *summary(published)]))
    return 0


def run_bundle(arguments: argparse.Namespace) -> int:
    from pathlib import Path

    from .bundle import OPEN_BUNDLE, write_bundle
    from .locations import shipped_processed_dir

    project = locate(arguments.root)
    published = project.processed_dir if project.has_tables else shipped_processed_dir()
    default = project.bundle_path.with_name(OPEN_BUNDLE) if arguments.only_open else project.bundle_path
    target = write_bundle(published, Path(arguments.output) if arguments.output else default,
                          only_open=arguments.only_open, echo=print)
    print(f"wrote the {'open-licensed ' if arguments.only_open else ''}release bundle {target}")
    return 0


def run_validate(arguments: argparse.Namespace) -> int:
    from pathlib import Path

    from .locations import shipped_processed_dir
    from .pipeline import check_published
    from .publish import retired_copies

    project = locate(arguments.root)
    if arguments.data_dir:
        lines = check_published(project, Path(arguments.data_dir), wait=not arguments.no_wait)
    elif project.processed_dir.is_dir() or retired_copies(project.processed_dir):
        lines = check_published(project, wait=not arguments.no_wait)
    else:
        print(f"{project.root} has no published tables; validating the tables shipped with the package "
              f"({shipped_processed_dir()})", file=sys.stderr)
        lines = validate_shipped()
    for line in lines:
        print(line)
    return 0


def validate_shipped() -> list[str]:
    """Validate the tables shipped with the package against the lock shipped with them, read-only
    (no project lock is taken and nothing is written beside them unless a table fails)."""
    from .locations import shipped_processed_dir
    from .pipeline import Project, check_folder

    folder = shipped_processed_dir()
    return check_folder(Project(folder.parent), folder)


def published_resources(data_dir: str | None) -> dict[str, dict[str, Any]]:
    """The resources of ``datapackage.json`` by table name (no pandas)."""
    from .api import resolve_data_dir
    from .publish import table_resources

    return table_resources(resolve_data_dir(data_dir))


def run_tables(arguments: argparse.Namespace) -> int:
    rows = [[name, str(r["kzegov:rows"]), r.get("kzegov:years", ""), r["kzegov:source"], r["licenses"][0]["name"],
             r["title"]] for name, r in sorted(published_resources(arguments.data_dir).items())
            if "edition_of" not in r]  # an earlier edition's own resource: see kzegov-data editions TABLE
    print_rows(["name", "rows", "years", "source", "licence", "title"], rows)
    print("details, units and citation: kzegov-data info TABLE")
    return 0


def run_info(arguments: argparse.Namespace) -> int:
    from .analysis import published_catalogue
    from .errors import UnknownTableError

    resources = published_resources(arguments.data_dir)
    name = arguments.table
    if name not in resources:
        indicator = published_catalogue(arguments.data_dir).get(name) if "indicators" in resources else None
        if indicator is None or indicator.get("table") not in resources:
            msg = (f"unknown table or indicator {name!r}; published tables: {', '.join(sorted(resources))} "
                   "(indicator ids: kzegov-data indicators)")
            raise UnknownTableError(msg)
        print(f"indicator {name}: {indicator['title']} ({indicator['unit']}, {indicator['years']}), "
              f"from table {indicator['table']}")
        name = str(indicator["table"])
    for line in describe_table(resources[name]):
        print(line)
    return 0


def describe_table(resource: dict[str, Any]) -> list[str]:
    """The lines of ``kzegov-data info``: all from the table's resource in datapackage.json."""
    licence = resource["licenses"][0]
    source = resource["sources"][0]
    years = resource.get("kzegov:years") or "no year column"
    year_column = resource.get("kzegov:year_column")
    lines = [
        f"{resource['name']}: {resource['title']}",
        *([f"  {resource['description']}"] if resource.get("description") else []),
        f"coverage: {resource['kzegov:rows']} rows, {years}" + (f" ({year_column})" if year_column else ""),
        f"key: {', '.join(resource['schema'].get('primaryKey', []))}",
        f"source: {source['title']} ({resource['kzegov:source']}), {source['path']}",
        f"licence: {licence['name']}, {licence['path']}",
        f"citation: {resource['kzegov:citation']}",
        *edition_lines(resource),
        "columns:",
    ]
    fields = resource["schema"]["fields"]
    rows = [[f["name"], f.get("type", ""), f.get("kzegov:unit", ""), f.get("title", "")] for f in fields]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines += [("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
               + f"  {row[3]}").rstrip() for row in rows]
    return lines


def edition_lines(resource: dict[str, Any]) -> list[str]:
    """``info``'s line on a table's editions (none for a table whose resource lists none)."""
    entries = resource.get("editions") or []
    if "edition_of" in resource:
        return [f"edition: {resource.get('edition')} of {resource['edition_of']} (kzegov-data editions "
                f"{resource['edition_of']})"]
    if len(entries) < 2:
        return []
    names = ", ".join(f"{entry['name']} ({entry.get('released', '')})" for entry in entries)
    return [f"editions: {names}; kzegov-data editions {resource['name']}"]


def run_show(arguments: argparse.Namespace) -> int:
    from .api import load

    countries = group_members(arguments.country, arguments.peers)
    frame = load(arguments.table, countries=countries or None, years=parse_years(arguments.years),
                 edition=arguments.edition, data_dir=arguments.data_dir)
    if arguments.columns:
        wanted = [c.strip() for c in arguments.columns.split(",")]
        unknown = [c for c in wanted if c not in frame.columns]
        if unknown:
            msg = f"unknown column(s) {unknown}; {arguments.table} has {list(frame.columns)}"
            raise KzegovDataError(msg)
        frame = frame.loc[:, wanted]
    if frame.empty:
        years = published_resources(arguments.data_dir)[arguments.table].get("kzegov:years", "")
        msg = (f"no rows of {arguments.table} match these countries and years"
               + (f"; it covers {years}" if years else ""))
        raise KzegovDataError(msg)
    return emit(frame, arguments)


def group_members(countries: Sequence[str], group: str | None) -> list[str]:
    """The countries and the peer group as one ``countries`` argument: the library resolves the group,
    so an income group in ``panel`` keeps each year's membership."""
    return [*countries, group] if group else list(countries)


def run_compare(arguments: argparse.Namespace) -> int:
    from .analysis import compare

    group = arguments.peers or default_peer_group(arguments.country, arguments.data_dir)
    table = compare(arguments.country, group, arguments.indicator, years=parse_years(arguments.years),
                    edition=edition_option(arguments.edition), as_of=as_of_option(arguments.as_of),
                    data_dir=arguments.data_dir)
    # group_weighted exists only for indicators with counts to weight by; elsewhere it is all missing.
    weighted = bool(table["group_weighted"].notna().any())
    if not weighted:
        table = table.drop(columns="group_weighted")
    if arguments.csv or arguments.output:
        return emit(table, arguments)
    members = " ".join(table.attrs["group"])
    chosen = "" if arguments.peers else " (the default for this country; choose another with --peers)"
    print(f"{arguments.indicator} ({table.attrs['unit']}, {table.attrs['better']} is better); "
          f"group {group}{chosen}: {members}")
    if table.empty:
        msg = f"no year with a value of {arguments.indicator} for {arguments.country}"
        raise KzegovDataError(msg)
    # Medians and gaps are computed: shown to 10 decimals, which hides float noise (0.0514399999...).
    computed = {column: computed_number for column in COMPUTED_COLUMNS if column in table.columns}
    print(table.to_string(index=False, float_format=published_number, formatters=computed))
    print(table.attrs["aggregation"] if weighted else
          "group_weighted: not shown (this indicator has no counts to weight countries by)")
    for note in table.attrs.get("notes", []):
        print(note)
    return 0


def default_peer_group(country: str, data_dir: str | None) -> str:
    """The smallest study peer group ``country`` belongs to, or an error saying which to pick."""
    from .api import resolve_countries
    from .countries import PEER_GROUPS, peer_group_names

    (code,) = resolve_countries([country], data_dir=data_dir)
    own = sorted((len(group.members), name) for name, group in PEER_GROUPS.items() if code in group.members)
    if own:
        return own[0][1]
    msg = (f"{code} is in none of the study's peer groups ({', '.join(PEER_GROUPS)}); pick a group with "
           f"--peers, e.g. its World Bank income group: {', '.join(peer_group_names()[len(PEER_GROUPS):])}")
    raise KzegovDataError(msg)


def run_panel(arguments: argparse.Namespace) -> int:
    from .analysis import panel

    wanted = [name.strip() for item in arguments.indicators for name in item.split(",") if name.strip()]
    countries = group_members(arguments.country, arguments.peers)
    frame = panel(wanted, countries=countries or None, years=parse_years(arguments.years),
                  edition=edition_option(arguments.edition), as_of=as_of_option(arguments.as_of),
                  data_dir=arguments.data_dir)
    if frame.empty:
        msg = f"no values of {', '.join(wanted)} for these countries and years"
        raise KzegovDataError(msg)
    if frame.attrs.get("editions"):
        print("editions: " + "; ".join(f"{table} {label}" for table, label in frame.attrs["editions"].items()),
              file=sys.stderr)
    return emit(frame, arguments)


def run_indicators(arguments: argparse.Namespace) -> int:
    from .analysis import published_catalogue

    catalogue = published_catalogue(arguments.data_dir).values()
    print_rows(["id", "unit", "years", "source", "title"],
               [[str(record.get(key) or "") for key in ("id", "unit", "years", "source", "title")]
                for record in catalogue])
    return 0


def run_plot(arguments: argparse.Namespace) -> int:
    from pathlib import Path

    from .api import resolve_countries
    from .figures import HIGHLIGHT, PANELS, plot_series

    if bool(arguments.series) == bool(arguments.indicator):
        msg = "plot: give either TABLE/SERIES (e.g. un_egov/egdi) or --indicator ID (e.g. --indicator egdi)"
        raise KzegovDataError(msg)
    series = arguments.series or indicator_series(arguments.indicator, arguments.data_dir)
    (country,) = resolve_countries([arguments.country or HIGHLIGHT], data_dir=arguments.data_dir)
    groups = tuple(arguments.peers) or PANELS
    written = plot_series(series, Path(arguments.output), data_dir=arguments.data_dir, highlight=country,
                          groups=groups)
    print(f"wrote {written}")
    return 0


def indicator_series(indicator: str, data_dir: str | None) -> str:
    """TABLE/COLUMN of an indicator where its source table has it as a column (so the data card's
    selection and credit apply, e.g. un_egov/egdi), else its rows of the ``indicators`` table."""
    from .analysis import check_indicators, published_catalogue

    catalogue = published_catalogue(data_dir)
    check_indicators(indicator, catalogue)
    table = catalogue[indicator].get("table")
    resource = published_resources(data_dir).get(str(table))
    columns = {field["name"] for field in resource["schema"]["fields"]} if resource else set()
    return f"{table}/{indicator}" if indicator in columns else f"indicators/{indicator}"


def run_site(arguments: argparse.Namespace) -> int:
    from pathlib import Path

    from .bundle import current_members
    from .locations import shipped_processed_dir
    from .site import write_site

    project = locate(arguments.site_root or arguments.root)
    processed = project.processed_dir if project.has_tables else shipped_processed_dir()
    # After `build`, the release bundle holds the site's downloads already (make data runs both).
    members = current_members(processed, project.bundle_path) if project.has_tables else None
    pages = write_site(processed, Path(arguments.output), members=members)
    print(f"wrote {len(pages)} pages and their downloads to {Path(arguments.output)} (open index.html)")
    return 0


def run_peers(arguments: argparse.Namespace) -> int:
    from .countries import PEER_GROUPS, income_group, peer_group_names

    for group in [arguments.group] if arguments.group else peer_group_names():
        income = income_group(group)
        if group in PEER_GROUPS:
            print(f"{group} ({PEER_GROUPS[group].title}): {' '.join(PEER_GROUPS[group].members)}")
        elif income is not None:
            members = income_members(income, arguments.data_dir)
            print(f"{group} (World Bank income group: {income}, current classification): {' '.join(members)}")
        else:
            from .countries import unknown_peer_group

            raise unknown_peer_group(group)
    return 0


def income_members(income: str, data_dir: str | None) -> list[str]:
    """Members of a World Bank income group in the published ``countries`` table (no pandas)."""
    from .api import resolve_data_dir

    resource = published_resources(data_dir)["countries"]
    path = resolve_data_dir(data_dir) / resource["path"]
    return income_groups(path, str(resource.get("hash", ""))).get(income, [])


def income_groups(path: Path, declared_hash: str) -> dict[str, list[str]]:
    """Income group -> sorted members, from the ``countries`` table at ``path``.

    Reading Parquet means importing pyarrow, most of a cold ``kzegov-data peers``; so the groups are
    also kept in a small JSON file in the per-user cache folder, named after this version of the
    table (its hash in ``datapackage.json``, path, size, modification time and inode): any other
    version is read afresh, and a cache that cannot be read or written is only slower.
    """
    import hashlib
    import json

    try:
        stat = path.stat()
    except OSError:
        return read_income_groups(path)  # says what is wrong with the file
    version = f"{path.resolve()}|{declared_hash}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ino}"
    folder = user_cache_dir()
    cached = folder / f"income-groups-{hashlib.sha256(version.encode()).hexdigest()[:32]}.json"
    try:
        groups = json.loads(cached.read_text("utf-8"))
        if isinstance(groups, dict) and all(
                isinstance(members, list) and all(isinstance(code, str) for code in members)
                for members in groups.values()):
            return groups
    except (OSError, ValueError):
        pass
    groups = read_income_groups(path)
    try:
        from ._io import atomic_write_text

        atomic_write_text(cached, json.dumps(groups, sort_keys=True))
        for stale in folder.glob("income-groups-*.json"):
            if stale != cached:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
    return groups


def user_cache_dir() -> Path:
    """The per-user cache folder (``~/.cache/kzegov_data`` on Linux, by platformdirs)."""
    from platformdirs import user_cache_path

    return user_cache_path("kzegov_data", appauthor=False)


def read_income_groups(path: Path) -> dict[str, list[str]]:
    """Income group -> sorted members, read with pyarrow alone (listing groups needs no pandas)."""
    import pyarrow.parquet as pq

    # Python lists, not pyarrow.compute: filtering a dictionary column makes pyarrow import pandas.
    table = pq.ParquetFile(path).read(columns=["iso3", "wb_income_group"], use_pandas_metadata=False)
    groups: dict[str, list[str]] = {}
    pairs = zip(table.column("iso3").to_pylist(), table.column("wb_income_group").to_pylist(), strict=True)
    for code, group in pairs:
        if group is not None:
            groups.setdefault(str(group), []).append(str(code))
    return {group: sorted(members) for group, members in sorted(groups.items())}


# --- output ----------------------------------------------------------------------------------------


def published_number(value: float) -> str:
    """A float as published: the shortest text that reads back as the same number (40, 0.90093).

    >>> published_number(40.0), published_number(0.90093), published_number(1234567.5)
    ('40', '0.90093', '1234567.5')
    """
    text = repr(float(value))
    return text.removesuffix(".0")


def computed_number(value: float) -> str:
    """A computed float (a median, a gap) to at most 10 decimals.

    >>> computed_number(0.051439999999999986)
    '0.05144'
    """
    return "NaN" if value != value else published_number(round(float(value), 10))


#: The columns of ``compare`` that are computed rather than published.
COMPUTED_COLUMNS = ("group_median", "gap_to_median", "gap_to_best", "group_weighted")


def emit(frame: pd.DataFrame, arguments: argparse.Namespace) -> int:
    """Print ``frame`` (aligned, or CSV with --csv), or write it to --output."""
    if getattr(arguments, "output", None):
        from pathlib import Path

        path = write_frame(frame, Path(arguments.output))
        print(f"wrote {len(frame)} rows to {path}")
    elif arguments.csv:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        print(frame.to_string(index=False, float_format=published_number))
    return 0


def write_frame(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as CSV, Parquet or Excel (by the file's suffix), atomically."""
    import io

    from ._io import atomic_write

    suffix = path.suffix.lower()
    buffer = io.BytesIO()
    if suffix == ".csv":
        buffer.write(frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    elif suffix == ".parquet":
        frame.to_parquet(buffer, index=False)
    elif suffix == ".xlsx":
        try:
            import xlsxwriter  # noqa: F401  (pandas' Excel writer)
        except ImportError:
            msg = "writing .xlsx needs xlsxwriter, which is not installed: pip install 'kzegov_data[excel]'"
            raise OptionalDependencyMissing(msg) from None
        frame.to_excel(buffer, index=False, engine="xlsxwriter")
    else:
        msg = f"--output {path}: write to a .csv, .parquet or .xlsx file"
        raise KzegovDataError(msg)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, buffer.getvalue())
    return path


def print_rows(headers: list[str], rows: list[list[str]]) -> None:
    """An aligned text table, the last column left unpadded."""
    table = [headers, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers) - 1)]
    for row in table:
        print(("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
               + "  " + row[-1]).rstrip())


def parse_years(spec: str | None) -> str | None:
    """``--years`` checked for form here (so the message names the option) and passed on as written:
    the library clips ranges to each table's coverage.

    >>> parse_years("2020-2022,2024")
    '2020-2022,2024'
    """
    if spec is None:
        return None
    from .api import parse_years as years_request

    years_request(spec, argument="--years")
    return spec


# --- editions and revisions ----------------------------------------------------------------------------


def edition_option(values: Sequence[str]) -> str | dict[str, str] | None:
    """``--edition`` as ``edition=``: one name, or ``TABLE=NAME`` pairs.

    >>> edition_option(["HDR21-22"]), edition_option(["undp_hdi=HDR21-22", "wb_wgi=2021"])
    ('HDR21-22', {'undp_hdi': 'HDR21-22', 'wb_wgi': '2021'})
    """
    if not values:
        return None
    if len(values) == 1 and "=" not in values[0]:
        return values[0]
    pairs = [value.partition("=") for value in values]
    if any(not table or not sep or not name for table, sep, name in pairs):
        msg = ("--edition: give one edition (--edition HDR21-22) or one TABLE=NAME per table "
               "(--edition undp_hdi=HDR21-22 --edition wb_wgi=2021)")
        raise KzegovDataError(msg)
    return {table.strip(): name.strip() for table, _, name in pairs}


def as_of_option(value: str | None) -> str | int | None:
    """``--as-of``: a year (digits only) keeps its meaning of an income classification year; else a date.

    >>> as_of_option("2015"), as_of_option("2022-06-30")
    (2015, '2022-06-30')
    """
    if value is None:
        return None
    return int(value) if value.strip().isdigit() else value.strip()


def run_editions(arguments: argparse.Namespace) -> int:
    from .api import edition_records

    records = edition_records(arguments.table, data_dir=arguments.data_dir)
    headers = ["name", "aliases", "released", "years", "rows", "countries", "current"]
    print_rows(headers, [[str(record["name"]), ", ".join(record["aliases"]), str(record["released"]),
                          str(record["years"]), "" if record["rows"] is None else str(record["rows"]),
                          "" if record["countries"] is None else str(record["countries"]),
                          "yes" if record["current"] else "no"] for record in records])
    sources = [(str(record["name"]), str(record["released_source"])) for record in records if record["released_source"]]
    if len({source for _, source in sources}) == 1 and len(sources) > 1:
        print(f"release dates: {sources[0][1]}")
    else:
        for name, source in sources:
            print(f"released ({name}): {source}")
    for record in records:
        if record["note"]:
            print(f"note ({record['name']}): {record['note']}")
    return 0


def run_revisions(arguments: argparse.Namespace) -> int:
    from .api import revisions

    frame = revisions(arguments.indicator, countries=arguments.countries or None, data_dir=arguments.data_dir)
    summary = frame.attrs["summary"]
    if arguments.output:
        return emit(frame, arguments)
    if arguments.csv:
        return emit(frame, arguments)
    print(f"{arguments.indicator} ({frame.attrs['table']}, {frame.attrs['unit']}) in {len(frame.attrs['editions'])} "
          "editions: " + "; ".join(f"{name} (released {date})" for name, date in frame.attrs["released"].items()))
    if arguments.countries:
        print(frame.to_string(index=False, float_format=published_number))
        print()
    where = "these countries" if arguments.countries else "every country"
    print(f"what each edition revised, over {where} (change = edition minus the previous edition):")
    computed = {column: computed_number for column in ("share_changed", "mean_abs_revision", "largest_revision")}
    print(summary.to_string(index=False, formatters=computed))
    if not arguments.countries:
        print("per country and year: add --countries KAZ (or --output FILE for every country)")
    return 0


COMMANDS = {
    "fetch": run_fetch,
    "build": run_build,
    "bundle": run_bundle,
    "validate": run_validate,
    "tables": run_tables,
    "info": run_info,
    "show": run_show,
    "compare": run_compare,
    "panel": run_panel,
    "indicators": run_indicators,
    "plot": run_plot,
    "peers": run_peers,
    "site": run_site,
    "editions": run_editions,
    "revisions": run_revisions,
}
