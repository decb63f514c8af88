"""The release bundle: every published table as CSV, Parquet and Stata, an Excel workbook of the
current tables, the country-year file in every format with its codebook, a descriptor, a README, the
data card (with its figures) and the code's LICENSE, in one zip.

Built from ``processed/`` alone (never from raw files), outside it (``build/release/``, git-ignored),
and deterministic: sorted members, fixed dates and modes, every format written the same way every
time (:mod:`kzegov_data.formats`). Its ``datapackage.json`` describes the CSV files of the tables as
tables and every other file as a file, each with its licence, and records the sha256 of the
``processed/datapackage.json`` and of the documents it was built from, which tells when it is stale.

Licence-aware: ``only_open`` keeps only what anyone may redistribute, adapt and use commercially
(:func:`licence_is_open`, read from ``processed/datapackage.json``) and says what it left out and why.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._io import atomic_write, sha256_file
from .errors import DamagedTableError
from .publish import (
    DATAPACKAGE,
    PACKAGE_TITLE,
    package_descriptor,
    read_metadata,
    table_path,
    table_resource,
    table_resources,
)

if TYPE_CHECKING:
    import pandas as pd

BUNDLE = "kzegov_data.zip"
#: ``kzegov-data bundle --only-open`` writes it beside the full bundle.
OPEN_BUNDLE = "kzegov_data_open.zip"
FOLDER = "kzegov_data"
BUILT_FROM = "kzegov:built_from"
#: The documents beside the tables: the code's licence and the data card (its figures follow it).
LICENCE_FILE, CARD_FILE = "LICENSE", "DATACARD.md"
DOCUMENTS_FROM = "kzegov:documents_from"
CARD_FIGURE = re.compile(r"\]\((docs/figures/[^)\s]+\.png)\)")
#: A section of the data card: a level-2 heading whose first name in backticks is a table or a source.
CARD_SECTION = re.compile(r"^##\s[^`]*`([A-Za-z0-9_]+)`")


def documents(processed_dir: Path) -> dict[str, bytes]:
    """LICENSE, DATACARD.md and the figures the card shows: the project's own (beside processed/),
    else those shipped with the package. A document found nowhere is left out, never linked."""
    from .locations import shipped_document

    found: dict[str, bytes] = {}
    for name in (LICENCE_FILE, CARD_FILE):
        own = processed_dir.parent / name
        path = own if own.is_file() else shipped_document(name)
        if path is None:
            continue
        found[name] = path.read_bytes()
        if name == CARD_FILE:
            for figure in sorted(set(CARD_FIGURE.findall(found[name].decode("utf-8")))):
                if (path.parent / figure).is_file():
                    found[figure] = (path.parent / figure).read_bytes()
    return found


def figure_sections(card: str) -> dict[str, str]:
    """Each figure of the data card -> the table (or source) whose section shows it.

    >>> figure_sections("## UN E-Government Survey (`un_egov`)\\n![EGDI](docs/figures/un_egov_egdi.png)")
    {'docs/figures/un_egov_egdi.png': 'un_egov'}
    """
    found: dict[str, str] = {}
    section = None
    for line in card.splitlines():
        if line.startswith("## "):
            heading = CARD_SECTION.match(line)
            section = heading.group(1) if heading else None
        for figure in CARD_FIGURE.findall(line):
            if section is not None:
                found.setdefault(figure, section)
    return found


def documents_digest(members: dict[str, bytes]) -> dict[str, str]:
    return {name: f"sha256:{hashlib.sha256(data).hexdigest()}" for name, data in sorted(members.items())}


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as UTF-8 CSV with ``\\n`` line ends (floats as Python writes them: every digit kept)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def file_facts_of(data: bytes) -> dict[str, Any]:
    return {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}


# --- licences ----------------------------------------------------------------------------------------------


def licence_is_open(resource: Mapping[str, Any]) -> bool | None:
    """Whether anyone may redistribute, adapt and use a table commercially (with attribution), as its
    ``datapackage.json`` resource says: ``True``, ``False``, or ``None`` for a derived table whose rows
    keep their own tables' licences (its ``table`` column names each row's table)."""
    flag = resource["licenses"][0].get("kzegov:open")
    return None if flag is None else bool(flag)


@dataclass(frozen=True)
class LeftOut:
    """A table a bundle of open-licensed data leaves out, why, and what went with it."""

    table: str
    licence: str
    terms: str
    #: What else was left out because it came from this table: rows of the derived tables,
    #: columns of the country-year file, the data card's figures of it.
    with_it: tuple[str, ...] = ()

    def line(self) -> str:
        """One line for people: ``itu_ict (CC BY-NC-SA 3.0 IGO): <terms> With it: 42,531 rows of indicators; ...``."""
        reason = self.terms or "its licence is not an open one"
        also = f" With it: {'; '.join(self.with_it)}." if self.with_it else ""
        return f"{self.table} ({self.licence}): {reason}{also}"

    def record(self) -> dict[str, Any]:
        return {"table": self.table, "licence": self.licence, "reason": self.terms, "with_it": list(self.with_it)}


def mixed_licence(name: str, path: str, parts: Sequence[Mapping[str, Any]], terms: str) -> list[dict[str, Any]]:
    """The licences of a file that holds several tables' data: first one that says so (open only when
    every part is), then each distinct licence of its parts."""
    # By name and terms: the World Bank's two CC BY 4.0 tables state different terms.
    distinct = {(licence["name"], licence.get("kzegov:terms", "")): dict(licence) for licence in parts}
    opened = [licence.get("kzegov:open") for licence in distinct.values()]
    summary = {"name": name, "path": path, "title": name,
               "kzegov:open": True if all(flag is True for flag in opened) else None, "kzegov:terms": terms}
    return [summary, *(distinct[key] for key in sorted(distinct) if key[0] != name)]


# --- the members -------------------------------------------------------------------------------------------


#: Recorded in the bundle's ``datapackage.json``: a bundle of an older layout (fewer formats) is stale.
LAYOUT = 2
LAYOUT_KEY, ONLY_OPEN_KEY, LEFT_OUT_KEY = "kzegov:bundle_layout", "kzegov:only_open", "kzegov:left_out"
WORKBOOK, README = "kzegov_data.xlsx", "README.md"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"parquet": "application/vnd.apache.parquet", "dta": "application/x-stata-dta", "xlsx": XLSX,
           "md": "text/markdown", "csv": "text/csv", "png": "image/png", "json": "application/json",
           "": "text/plain"}
#: The licence of the bundle's own documents (README, card, figures, LICENSE).
OWN_TEXT = [{"name": "kzegov_data's own text", "path": LICENCE_FILE, "title": "kzegov_data's own text",
             "kzegov:open": True, "kzegov:terms": "Written by kzegov_data (see LICENSE); the values and figures "
             "it shows keep their publishers' licences."}]
#: Labels of columns whose unit says nothing a label should repeat.
UNITLESS = {"code", "category", "year", "see unit column", "text", ""}


@dataclass
class Contents:
    """What a bundle holds while it is assembled: members by name, their resources, what was left out."""

    members: dict[str, bytes] = field(default_factory=dict)
    resources: list[dict[str, Any]] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    #: The sha256 of every document found (the card and all its figures), whichever the bundle holds.
    documents_from: dict[str, str] = field(default_factory=dict)

    def add_file(self, path: str, data: bytes, licences: list[dict[str, Any]], *, name: str | None = None,
                 sources: Sequence[Mapping[str, Any]] = (), **described: Any) -> None:
        """A member described as ``type: file`` (validators check its bytes and hash, not its content)."""
        suffix = path.rpartition(".")[2] if "." in path else ""
        self.members[path] = data
        self.resources.append({"name": name or resource_name(path), "path": path, "type": "file",
                               "format": suffix or "txt", "mediatype": FORMATS[suffix], **file_facts_of(data),
                               **described, "licenses": licences, "sources": [dict(source) for source in sources]})


def resource_name(path: str) -> str:
    """A Frictionless resource name for a member path: ``un_egov.dta`` -> ``un_egov-dta``."""
    stem, dot, suffix = path.rpartition(".")
    name = f"{stem}-{suffix}" if dot else path
    return re.sub(r"[^a-z0-9._/-]", "-", name.lower())


def variable_labels_of(metadata: Mapping[str, Any]) -> dict[str, str]:
    """Stata labels of a table's columns: each field's title, with its unit where that adds to it and fits."""
    from .formats import STATA_LABEL_LENGTH

    labels = {}
    for described in metadata["fields"]:
        label, unit = described.get("title") or described["name"], described.get("unit") or ""
        labelled = f"{label} ({unit})"
        labels[described["name"]] = labelled if unit not in UNITLESS and len(labelled) <= STATA_LABEL_LENGTH else label
    return labels


def parquet_bytes(frame: pd.DataFrame, name: str, metadata: dict[str, Any]) -> bytes:
    """A table as :func:`kzegov_data.publish.write_table` publishes it (one Parquet writer for both)."""
    from .publish import write_table

    with tempfile.TemporaryDirectory(prefix="kzegov-bundle-") as folder:
        write_table(frame, Path(folder), name, metadata)
        return (Path(folder) / table_path(name)).read_bytes()


def open_rows(frame: pd.DataFrame, name: str, resources: Mapping[str, Mapping[str, Any]],
              dropped: dict[str, list[str]]) -> pd.DataFrame:
    """The rows of a derived table (mixed licences) that come from open-licensed tables; notes in
    ``dropped`` how many rows of each other table were left out."""
    import pandas as pd

    if "table" not in frame.columns:
        msg = (f"table {name} has no single licence (kzegov:open is null) and no table column naming each row's "
               "table: cannot tell which rows are open")
        raise DamagedTableError(msg)
    tables = frame["table"].astype(str)
    keep = tables.map(lambda table: licence_is_open(resources[table]) is True)
    for table, count in tables[~keep].value_counts().sort_index().items():
        dropped.setdefault(str(table), []).append(f"{int(count):,} rows of {name}")
    kept = frame[keep.to_numpy()].reset_index(drop=True)
    for column in kept.columns:
        if isinstance(kept[column].dtype, pd.CategoricalDtype):
            kept[column] = kept[column].cat.remove_unused_categories()
    return kept


def add_table(contents: Contents, processed_dir: Path, name: str, resources: Mapping[str, Mapping[str, Any]], *,
              only_open: bool, dropped: dict[str, list[str]]) -> pd.DataFrame:
    """A published table (or an earlier edition) as CSV, Parquet and Stata; returns its frame as bundled."""
    import pandas as pd

    from .formats import stata_bytes

    published = resources[name]
    parquet = processed_dir / published["path"]
    metadata = read_metadata(parquet)
    frame = pd.read_parquet(parquet)
    licences = [dict(published["licenses"][0])]
    if only_open and licence_is_open(published) is None:
        frame = open_rows(frame, name, resources, dropped)
        kept = sorted(set(frame["table"].astype(str)))
        licences = mixed_licence(published["licenses"][0]["name"], published["licenses"][0]["path"],
                                 [resources[table]["licenses"][0] for table in kept],
                                 f"Only the rows of open-licensed tables ({', '.join(kept)}); each row keeps its "
                                 "table's licence.")
        year = metadata.get("year_column")
        # The span as kzegov_data.pipeline.year_span gives it (not imported: the pipeline imports this module).
        metadata = {**metadata, "rows": len(frame),
                    "years": f"{int(frame[year].min())}-{int(frame[year].max())}" if year and len(frame) else ""}
        parquet_data = parquet_bytes(frame, name, metadata)
    else:
        parquet_data = parquet.read_bytes()
    stem = published["path"].removesuffix(".parquet")  # an earlier edition's: editions/<table>/<slug>
    csv = csv_bytes(frame)
    csv_resource = table_resource(metadata, f"{stem}.csv", file_facts_of(csv), format="csv", mediatype="text/csv",
                                  encoding="utf-8")
    csv_resource["licenses"] = licences
    contents.members[f"{stem}.csv"] = csv
    contents.resources.append(csv_resource)
    described: dict[str, Any] = {"title": metadata["title"], "kzegov:table": name,
                                 "kzegov:rows": metadata["rows"], "sources": csv_resource["sources"]}
    contents.add_file(f"{stem}.parquet", parquet_data, licences, name=f"{name}-parquet", **described)
    contents.add_file(f"{stem}.dta", stata_bytes(frame, variable_labels=variable_labels_of(metadata),
                                                 data_label=metadata["title"]), licences, name=f"{name}-dta",
                      **described)
    return frame


def bundle_contents(processed_dir: Path, *, only_open: bool = False) -> Contents:
    """Every member of the bundle with its resource, and (with ``only_open``) what was left out."""
    from . import codebook, country_year
    from .formats import stata_bytes, workbook_bytes

    resources = table_resources(processed_dir)
    contents = Contents()
    dropped: dict[str, list[str]] = {}
    current: dict[str, pd.DataFrame] = {}
    for name, published in sorted(resources.items()):
        if only_open and licence_is_open(published) is False:
            continue
        frame = add_table(contents, processed_dir, name, resources, only_open=only_open, dropped=dropped)
        if "edition_of" not in published:
            current[name] = frame

    catalogue = country_year.catalogue(processed_dir)
    closed_indicators = [indicator for indicator, entry in catalogue.items()
                         if only_open and licence_is_open(resources[entry["table"]]) is not True]
    wide = country_year.build_country_year(processed_dir)
    if closed_indicators:
        for table in sorted({catalogue[indicator]["table"] for indicator in closed_indicators}):
            columns = [indicator for indicator in closed_indicators if catalogue[indicator]["table"] == table]
            dropped.setdefault(table, []).append(f"columns {', '.join(columns)} of {country_year.STEM}")
        wide = wide.drop(columns=closed_indicators)
        values = [indicator for indicator in catalogue if indicator not in closed_indicators]
        wide = wide[wide[values].notna().any(axis=1).to_numpy()].reset_index(drop=True)
    book = codebook.codebook_frame(processed_dir)
    book = book[~book["variable"].isin(closed_indicators)].reset_index(drop=True)

    kept_tables = sorted({entry["table"] for indicator, entry in catalogue.items()
                          if indicator not in closed_indicators})
    by_column = mixed_licence("Each indicator column keeps its table's licence", "codebook.md",
                              [resources["countries"]["licenses"][0],
                               *(resources[table]["licenses"][0] for table in kept_tables)],
                              "codebook.md gives every column's table, licence and citation.")
    title = "Country-year file: one row per country and year, one column per indicator"
    described: dict[str, Any] = {
        "title": title, "kzegov:rows": len(wide),
        "sources": [source for table in ["countries", *kept_tables] for source in resources[table]["sources"]],
    }
    contents.add_file(f"{country_year.STEM}.csv", csv_bytes(wide), by_column, **described)
    contents.add_file(f"{country_year.STEM}.parquet", arrow_bytes(wide), by_column, **described)
    names = country_year.stata_names(processed_dir)
    labels = country_year.variable_labels(processed_dir)
    stata = wide.rename(columns=names)
    contents.add_file(f"{country_year.STEM}.dta",
                      stata_bytes(stata, variable_labels={names[column]: labels[column] for column in wide.columns},
                                  data_label="kzegov_data country-year file"), by_column, **described)
    contents.add_file(f"{country_year.STEM}.xlsx", workbook_bytes(
        {country_year.STEM: wide}, codebook=book,
        readme_rows=workbook_readme(processed_dir, {country_year.STEM: (title, by_column)})),
        by_column, **described)
    contents.add_file("codebook.md", codebook.codebook_markdown(processed_dir, book).encode("utf-8"), by_column,
                      title="Codebook of the country-year file")
    contents.add_file("codebook.csv", codebook.codebook_csv(processed_dir, book), by_column,
                      title="Codebook of the country-year file")

    in_workbook = mixed_licence("Each sheet keeps its table's licence", "README.md",
                                [licence for name in current for licence in table_licences(contents, name)],
                                "The README sheet gives every table's licence and citation.")
    contents.add_file(WORKBOOK, workbook_bytes(current, codebook=book, readme_rows=workbook_readme(
        processed_dir, {name: (resources[name]["title"], table_licences(contents, name)) for name in current})),
        in_workbook, title="Every current table, a sheet each, with the codebook")

    extra = documents(processed_dir)
    contents.documents_from = documents_digest(extra)
    if only_open and CARD_FILE in extra:
        # A chart of a table's data is adapted material: it goes where the table goes.
        for figure, section in sorted(figure_sections(extra[CARD_FILE].decode("utf-8")).items()):
            table = closed_table(section, resources)
            if table is not None and extra.pop(figure, None) is not None:
                dropped.setdefault(table, []).append(f"figure {figure} of {CARD_FILE}")
    for name, data in sorted(extra.items()):
        contents.add_file(name, data, OWN_TEXT)
    if only_open:
        for name, published in sorted(resources.items()):
            if licence_is_open(published) is False:
                licence = published["licenses"][0]
                contents.left_out.append(LeftOut(name, licence["name"], licence.get("kzegov:terms", ""),
                                                 tuple(dropped.get(name, ()))))
    return contents


def closed_table(name: str, resources: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The table named (or the first of the source named) whose licence is not open; ``None`` if open."""
    tables = [name] if name in resources else sorted(
        table for table, resource in resources.items() if resource.get("kzegov:source") == name)
    return next((table for table in tables if licence_is_open(resources[table]) is False), None)


def table_licences(contents: Contents, name: str) -> list[dict[str, Any]]:
    (resource,) = (resource for resource in contents.resources if resource["name"] == name)
    return list(resource["licenses"])


def arrow_bytes(frame: pd.DataFrame) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer, compression="zstd",
                   write_statistics=True)
    return buffer.getvalue()


def workbook_readme(processed_dir: Path, tables: Mapping[str, tuple[str, list[dict[str, Any]]]]) -> list[list[object]]:
    """The README sheet's own rows: what the workbook is, then per table its title, licence and citation."""
    resources = table_resources(processed_dir)
    rows: list[list[object]] = [
        ["kzegov_data", PACKAGE_TITLE],
        ["", "The data keep their publishers' terms: check each table's licence before reuse, and cite the "
         "publisher of every table you use. Numbers are the published values with all their digits."],
        [],
        ["table", "title", "licence", "open", "terms", "citation"],
    ]
    for name, (title, licences) in tables.items():
        citation = resources[name]["kzegov:citation"] if name in resources else (
            "Cite the publisher of every indicator you use (codebook: citation).")
        for number, licence in enumerate(licences):
            opened = licence.get("kzegov:open")
            rows.append([name if number == 0 else "", title if number == 0 else "", licence["name"],
                         "yes" if opened is True else "no" if opened is False else "per row or column",
                         licence.get("kzegov:terms", ""), citation if number == 0 else ""])
    return rows


def bundle_members(processed_dir: Path, *, only_open: bool = False) -> dict[str, bytes]:
    """Every member of the bundle, by its name inside ``kzegov_data/`` (see :func:`assemble_bundle`)."""
    return assemble_bundle(processed_dir, only_open=only_open)[0]


def assemble_bundle(processed_dir: Path, *, only_open: bool = False) -> tuple[dict[str, bytes], list[LeftOut]]:
    """Every member of the bundle, by its name inside ``kzegov_data/``.

    Every current table and earlier edition as CSV, Parquet and Stata; ``kzegov_data.xlsx`` (every current
    table, a sheet each); the country-year file (CSV, Parquet, Stata, Excel) and its codebook (Markdown,
    CSV); the data card with its figures, the licence, a README and ``datapackage.json`` (a resource per
    file, each with its licence). With ``only_open`` only open-licensed data (:func:`licence_is_open`):
    the other tables, their rows of the derived tables, their columns of the country-year file and the
    card's figures of them are left out, and README.md and datapackage.json say which and why (returned too).
    """
    contents = bundle_contents(processed_dir, only_open=only_open)
    readme = bundle_readme({"resources": contents.resources}, has_card=CARD_FILE in contents.members,
                           has_licence=LICENCE_FILE in contents.members,
                           left_out=contents.left_out if only_open else None)
    contents.add_file(README, readme.encode("utf-8"), OWN_TEXT, title="What the bundle holds")
    descriptor = package_descriptor(contents.resources)
    descriptor[BUILT_FROM] = f"sha256:{sha256_file(processed_dir / DATAPACKAGE)}"
    descriptor[DOCUMENTS_FROM] = contents.documents_from
    descriptor[LAYOUT_KEY] = LAYOUT
    descriptor[ONLY_OPEN_KEY] = only_open
    if only_open:
        descriptor[LEFT_OUT_KEY] = [left.record() for left in contents.left_out]
    contents.members[DATAPACKAGE] = (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return contents.members, contents.left_out


def write_bundle(processed_dir: Path, target: Path, *, only_open: bool = False,
                 echo: Callable[[str], None] | None = None) -> Path:
    """Write the bundle of ``processed_dir`` to ``target`` atomically; ``echo`` gets one line per table
    left out (with ``only_open``)."""
    members, left_out = assemble_bundle(processed_dir, only_open=only_open)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, archive_bytes(members))
    if echo is not None:
        for left in left_out:
            echo(f"left out {left.line()}")
    return target


def archive_bytes(members: Mapping[str, bytes]) -> bytes:
    """The zip of ``members`` inside a ``kzegov_data/`` folder: sorted, dated 1980, mode 0644."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in sorted(members.items()):
            info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def bundle_readme(descriptor: dict[str, Any], *, has_card: bool = True, has_licence: bool = True,
                  left_out: Sequence[LeftOut] | None = None) -> str:
    lines = [
        "# kzegov_data: data bundle",
        "",
        "Every table as CSV, Parquet and Stata (`.dta`), every current table in one Excel workbook "
        f"(`{WORKBOOK}`, a sheet each), and the country-year file (one row per country and year, one column "
        "per indicator) as CSV, Parquet, Stata and Excel with its codebook (`codebook.md`, `codebook.csv`). "
        "`datapackage.json` (Frictionless Data Package) describes every file with its licence.",
        "The data keep their publishers' terms: check each table's licence before reuse, and cite",
        "the publisher of every table you use.",
        *(["[DATACARD.md](DATACARD.md) documents coverage, units, caveats, licences and citations."]
          if has_card else []),
        *(["The code that made the tables is MIT-licensed ([LICENSE](LICENSE)); the licence does not "
           "cover the data."] if has_licence else []),
        "",
        "| table | rows | years | licence | citation |",
        "|---|---|---|---|---|",
    ]
    for resource in descriptor["resources"]:
        if resource["format"] != "csv" or resource.get("type") == "file":
            continue
        licence = resource["licenses"][0]
        lines.append(
            f"| `{resource['name']}` | {resource['kzegov:rows']} | {resource['kzegov:years']} | "
            f"[{licence['name']}]({licence['path']}) | {resource['kzegov:citation']} |"
        )
    if left_out is not None:
        lines += ["", "## Left out: not open-licensed", "",
                  "This bundle holds open-licensed data only (anyone may redistribute, adapt and use it "
                  "commercially, with attribution). Left out, with the reason its licence gives:", ""]
        lines += [f"- {left.line()}" for left in left_out] or ["- nothing: every table is open-licensed."]
    return "\n".join(lines) + "\n"


def is_current(processed_dir: Path, target: Path) -> bool:
    """True when ``target`` is the full bundle, in this layout, of the ``processed_dir`` of now."""
    if not target.is_file() or not (processed_dir / DATAPACKAGE).is_file():
        return False
    try:
        with zipfile.ZipFile(target) as archive:
            descriptor = json.loads(archive.read(f"{FOLDER}/{DATAPACKAGE}"))
    except (zipfile.BadZipFile, KeyError, ValueError):
        return False
    return bool(descriptor.get(BUILT_FROM) == f"sha256:{sha256_file(processed_dir / DATAPACKAGE)}"
                and descriptor.get(DOCUMENTS_FROM) == documents_digest(documents(processed_dir))
                and descriptor.get(LAYOUT_KEY) == LAYOUT and descriptor.get(ONLY_OPEN_KEY) is False)


def current_members(processed_dir: Path, target: Path) -> dict[str, bytes] | None:
    """The members of ``target`` when it is the current full bundle of ``processed_dir`` and every file
    its descriptor lists has the size and sha256 recorded there; else ``None`` (then build them anew).
    Saves the site a minute after a build has just written the bundle."""
    if not is_current(processed_dir, target):
        return None
    try:
        with zipfile.ZipFile(target) as archive:
            members = {name.removeprefix(f"{FOLDER}/"): archive.read(name) for name in archive.namelist()}
    except (zipfile.BadZipFile, OSError):
        return None
    descriptor = json.loads(members[DATAPACKAGE])
    for resource in descriptor["resources"]:
        data = members.get(resource["path"])
        if data is None or file_facts_of(data) != {"bytes": resource["bytes"], "hash": resource["hash"]}:
            return None
    return members


def ensure_bundle(processed_dir: Path, target: Path) -> bool:
    """Write the bundle when it is missing or stale; returns whether it was written."""
    if not (processed_dir / DATAPACKAGE).is_file() or is_current(processed_dir, target):
        return False
    write_bundle(processed_dir, target)
    return True
