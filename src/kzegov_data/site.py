"""The static download site: plain HTML and one stylesheet, built from ``processed/`` and the bundle.

Pages (all links relative, so the folder works from ``file://`` and from any static host; no script,
no web font, no request outside the folder):

- ``index.html``: what the data is, every download (the zip, the country-year file, each table,
  earlier editions, the documents) with size and sha256, the licences and how to cite;
- ``tables/<table>.html``: one per current table: description, coverage, columns with units, a
  preview of Kazakhstan's rows, the data card's figures, the table's downloads and earlier editions;
- ``countries/index.html`` and ``countries/<ISO3>.html``: one profile per country with any value in
  ``indicators``: the latest value of each headline indicator with its year, its rank in each of its
  peer groups in that year, a small trend chart per indicator (inline SVG with a text equivalent) and
  its rows as CSV.

Downloads are the bundle's members (``kzegov_data.bundle.bundle_members``) under ``downloads/``, the zip
of them (``downloads/kzegov_data.zip``) and ``downloads/countries/<ISO3>.csv``; every download link
carries ``data-sha256``. The bytes depend on the data only (no dates, sorted everything) and the
folder is replaced atomically: built beside the output, then swapped in.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import shutil
import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources as package_files
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, cast

from .bundle import BUNDLE, CARD_FILE, archive_bytes, bundle_members, licence_is_open
from .country_year import STEM as COUNTRY_YEAR_STEM
from .errors import InvalidArgumentError

if TYPE_CHECKING:
    import pandas as pd

    from .api import IncomeClassification

#: The indicators a country profile leads with, in this order (those missing from the catalogue are skipped).
HEADLINE = ("egdi", "osi", "cpi_score", "internet_users_pct", "fixed_broadband_per100", "hdi",
            "wgi_control_of_corruption", "wgi_government_effectiveness")
#: The country every table page previews.
PREVIEW_COUNTRY = "KAZ"
PREVIEW_ROWS = 30
DOWNLOADS, FIGURES, TABLES, COUNTRIES, ASSETS = "downloads", "figures", "tables", "countries", "assets"
STYLESHEET = f"{ASSETS}/style.css"
#: Without an icon of its own a browser asks the host for /favicon.ico (a 404, outside a subfolder site).
ICON = f"{ASSETS}/icon.svg"
CURRENT, NUMBER = ' aria-current="page"', ' class="number"'
CARD_HEADING = re.compile(r"^#{2,3}\s+.*?`([A-Za-z0-9_]+)`")
CARD_FIGURE = re.compile(r"^!\[([^\]]*)\]\((docs/figures/[^)\s]+\.png)\)\s*$")


def write_site(processed_dir: Path, output: Path, *, members: Mapping[str, bytes] | None = None) -> list[str]:
    """Write the site of ``processed_dir`` to the folder ``output``; returns the pages written
    (relative to ``output``, sorted).

    ``members`` are the bundle's files by name (default: ``bundle_members(processed_dir)``). An
    existing ``output`` is replaced as a whole, only if it is empty or an earlier site. For example,
    ``write_site(Path("processed"), Path("build/site"))`` returns ``["countries/ABW.html", ...,
    "index.html", "tables/countries.html", ...]`` (about ten seconds for the published tables).
    """
    from .publish import RETIRED, STAGING, swap

    output = Path(output).resolve()
    check_output(output)
    if members is None:
        members = bundle_members(processed_dir)
    files = site_files(processed_dir, members)
    staging = output.parent / f"{output.name}{STAGING}{os.getpid()}"
    retired = output.parent / f"{output.name}{RETIRED}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for name, data in sorted(files.items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        swap(staging, output, retired)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(name for name in files if name.endswith(".html"))


def check_output(output: Path) -> None:
    """Refuse to replace a folder that is neither empty nor an earlier site (``--output .`` or
    ``--output processed`` would otherwise lose files)."""
    if not output.exists():
        return
    if not output.is_dir():
        msg = f"--output {output} is a file; name a folder for the site (it is created)"
        raise InvalidArgumentError(msg)
    if any(output.iterdir()) and not ((output / "index.html").is_file() and (output / STYLESHEET).is_file()):
        msg = (f"--output {output} holds files that are not a kzegov_data site; the site replaces its folder "
               "as a whole, so name a new or empty folder (e.g. build/site)")
        raise InvalidArgumentError(msg)


# --- the files of the site -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    """A file of the site that pages link to for download."""

    path: str  #: relative to the site's root
    data: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class Context:
    """What every page is rendered from."""

    resources: Mapping[str, dict[str, Any]]  #: current tables by name
    members: Mapping[str, Download]  #: bundle member name -> its download
    archive: Download
    member_titles: Mapping[str, str]
    member_descriptions: Mapping[str, str]
    catalogue: Mapping[str, dict[str, Any]]
    figures: Mapping[str, list[CardFigure]]


@dataclass(frozen=True)
class CardFigure:
    alt: str
    member: str  #: docs/figures/<name>.png
    caption: str

    @property
    def path(self) -> str:
        return f"{FIGURES}/{PurePosixPath(self.member).name}"


def site_files(processed_dir: Path, members: Mapping[str, bytes]) -> dict[str, bytes]:
    """Every file of the site by its path relative to the site's root."""
    import pandas as pd

    from .api import catalogue_of, income_classification
    from .publish import table_resources

    folder = Path(processed_dir)
    every = table_resources(folder)
    current = {name: resource for name, resource in sorted(every.items()) if "edition_of" not in resource}
    downloads = {name: Download(f"{DOWNLOADS}/{name}", bytes(data)) for name, data in sorted(members.items())}
    archive = Download(f"{DOWNLOADS}/{BUNDLE}", archive_bytes(members))
    card = members.get(CARD_FILE, b"").decode("utf-8")
    figures = card_figures(card, members)
    context = Context(current, downloads, archive, member_texts(members, "title"), member_texts(members, "description"),
                      catalogue_of(every), figures)

    files: dict[str, bytes] = {STYLESHEET: asset("style.css"), ICON: asset("icon.svg")}
    files.update({download.path: download.data for download in downloads.values()})
    files[archive.path] = archive.data
    for entries in figures.values():
        for figure in entries:
            files[figure.path] = bytes(members[figure.member])
    frames = {name: pd.read_parquet(folder / resource["path"]) for name, resource in current.items()}
    with_data = frames["indicators"].loc[frames["indicators"]["value"].notna(), "iso3"].nunique() \
        if "indicators" in frames else 0
    files["index.html"] = page("kzegov_data: downloads", home_body(context, with_data), depth=0, here="home",
                               context=context)
    for name, resource in current.items():
        files[f"{TABLES}/{name}.html"] = page(f"{name}: {resource.get('title', name)}",
                                              table_body(name, resource, frames[name], context), depth=1,
                                              here="table", context=context)
    if "indicators" in frames and "countries" in frames:
        files.update(country_files(frames["indicators"], frames["countries"], income_classification(folder),
                                   context))
    return files


def asset(name: str) -> bytes:
    return package_files.files("kzegov_data").joinpath(f"site_assets/{name}").read_bytes()


def member_texts(members: Mapping[str, bytes], key: str) -> dict[str, str]:
    """Each member's ``title`` or ``description`` in the bundle's own ``datapackage.json`` (where it
    describes the member)."""
    try:
        descriptor = json.loads(members.get("datapackage.json", b"{}"))
    except ValueError:
        return {}
    return {str(resource["path"]): str(resource[key]) for resource in descriptor.get("resources", [])
            if isinstance(resource, dict) and "path" in resource and resource.get(key)}


def card_figures(card: str, members: Mapping[str, bytes]) -> dict[str, list[CardFigure]]:
    """The data card's figures by the table whose section shows them, with the card's alt text and
    caption (the paragraph after the image that starts with ``**Figure.**``)."""
    found: dict[str, list[CardFigure]] = {}
    table = None
    lines = card.splitlines()
    for number, line in enumerate(lines):
        heading = CARD_HEADING.match(line)
        if heading:
            table = heading.group(1)
            continue
        figure = CARD_FIGURE.match(line.strip())
        if figure is None or table is None or figure.group(2) not in members:
            continue
        following = next((text.strip() for text in lines[number + 1:] if text.strip()), "")
        caption = following.removeprefix("**Figure.**").strip() if following.startswith("**Figure.**") else ""
        found.setdefault(table, []).append(CardFigure(figure.group(1), figure.group(2), caption))
    return found


# --- page frame -------------------------------------------------------------------------------------------


def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def inline_markdown(text: str) -> str:
    """The card's inline marks as HTML: ``code`` and **strong** (everything else escaped)."""
    parts = re.split(r"(`[^`]+`)", text)
    rendered = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            rendered.append(f"<code>{escape(part[1:-1])}</code>")
        else:
            rendered.append(re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", escape(part)))
    return "".join(rendered)


def relative(depth: int, path: str) -> str:
    return "../" * depth + path


def page(title: str, body: str, *, depth: int, here: str, context: Context) -> bytes:
    """A whole page: skip link, header with the site's navigation, ``main`` (with the one ``h1`` that
    ``body`` starts with), footer."""
    # Three entries, short enough for one line on a phone; the tables are listed on the home page.
    nav = [("home", "index.html", "Home"), ("tables", "index.html#tables", "Tables"),
           ("countries", f"{COUNTRIES}/index.html", "Countries")]
    links = "".join(
        f'<li><a href="{escape(relative(depth, target))}"{CURRENT if key == here else ""}>'
        f"{escape(label)}</a></li>" for key, target, label in nav)
    text = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{escape(relative(depth, STYLESHEET))}">\n'
        f'<link rel="icon" type="image/svg+xml" href="{escape(relative(depth, ICON))}">\n'
        "</head>\n<body>\n"
        '<a class="skip-link" href="#main">Skip to the content</a>\n'
        '<header class="site">\n'
        f'<p class="brand"><a href="{escape(relative(depth, "index.html"))}">kzegov_data</a></p>\n'
        f'<nav aria-label="Site"><ul>{links}</ul></nav>\n'
        "</header>\n"
        f'<main id="main" tabindex="-1">\n{body}</main>\n'
        '<footer class="site">\n'
        "<p>The tables keep their publishers' licences (each table's page says which, and what it allows); "
        f'cite the publisher of every table you use (<a href="{escape(relative(depth, "index.html#cite"))}">how '
        "to cite</a>). The code that builds them is MIT-licensed; that licence does not cover the data.</p>\n"
        f"<p>Bundle sha256 <code class=\"sha256\">{context.archive.sha256}</code></p>\n"
        "</footer>\n</body>\n</html>\n"
    )
    return text.encode("utf-8")


def wrapped_table(caption: str, headers: Sequence[str], rows: Iterable[str], *, numeric: Sequence[int] = ()) -> str:
    """A table with a caption and column headers inside a horizontally scrolling, focusable region."""
    head = "".join(f'<th scope="col"{NUMBER if i in numeric else ""}>{escape(h)}</th>'
                   for i, h in enumerate(headers))
    label = escape(caption)
    return (f'<div class="table-wrap" role="region" aria-label="{label}" tabindex="0">\n<table>\n'
            f"<caption>{label}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
            + "".join(rows) + "</tbody>\n</table>\n</div>\n")


def size_text(size: int) -> str:
    """Bytes as text a person reads: ``12.0 MB (12,018,827 bytes)``.

    >>> size_text(999), size_text(12018827)
    ('999 bytes', '12.0 MB (12,018,827 bytes)')
    """
    if size < 1000:
        return f"{size} bytes"
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit} ({size:,} bytes)"
    raise AssertionError(size)  # pragma: no cover


def download_link(download: Download, depth: int, label: str | None = None) -> str:
    return (f'<a href="{escape(relative(depth, download.path))}" data-sha256="{download.sha256}" download>'
            f"{escape(label or PurePosixPath(download.path).name)}</a>")


def file_rows(downloads: Iterable[Download], depth: int, *, group: str | None = None,
              titles: Mapping[str, str] | None = None) -> list[str]:
    rows = []
    for download in downloads:
        name = download.path.removeprefix(f"{DOWNLOADS}/")
        title = (titles or {}).get(name, "")
        first = f"<td>{escape(group)}</td>" if group is not None else ""
        rows.append(f"<tr>{first}<td class=\"file\">{download_link(download, depth, name)}"
                    + (f'<br><span class="muted">{escape(title)}</span>' if title else "")
                    + f'</td><td class="number">{escape(size_text(download.size))}</td>'
                    f'<td class="sha"><code class="sha256">{download.sha256}</code></td></tr>\n')
    return rows


def file_table(caption: str, downloads: Iterable[Download], depth: int, context: Context) -> str:
    return wrapped_table(caption, ["file", "size", "sha256"],
                         file_rows(downloads, depth, titles=context.member_titles), numeric=(1,))


def stem_of(member: str) -> str:
    """A member's name without its format suffix: what groups its formats.

    >>> stem_of("editions/wb_wgi/2019.parquet"), stem_of("kzegov_data.xlsx"), stem_of("LICENSE")
    ('editions/wb_wgi/2019', 'kzegov_data', 'LICENSE')
    """
    path = PurePosixPath(member)
    return str(path.with_suffix("")) if path.suffix else member


def members_by_stem(context: Context) -> dict[str, list[Download]]:
    grouped: dict[str, list[Download]] = {}
    for name, download in sorted(context.members.items()):
        grouped.setdefault(stem_of(name), []).append(download)
    return grouped


# --- licences ---------------------------------------------------------------------------------------------


def licence_block(resource: Mapping[str, Any], depth: int, context: Context) -> str:
    licence = (resource.get("licenses") or [{}])[0]
    name = str(licence.get("name", "no licence recorded"))
    target = str(licence.get("path", ""))
    if target.startswith(("http://", "https://")):
        named = f'<a href="{escape(target)}" rel="external">{escape(name)}</a>'
    elif target == CARD_FILE and CARD_FILE in context.members:
        card = context.members[CARD_FILE]
        named = (f'{escape(name)} (<a href="{escape(relative(depth, card.path))}" data-sha256="{card.sha256}">'
                 "the data card</a>)")
    else:
        named = escape(name)
    openness = licence_is_open(resource)
    kind, verdict = {True: ("open", "Open licence: you may share, adapt and use it commercially, with attribution."),
                     False: ("restricted", "Not an open licence: read what its terms allow before you share "
                             "or reuse it."),
                     None: ("mixed", "")}[openness]
    terms = str(licence.get("kzegov:terms") or "")
    return (f'<div class="licence {kind}"><p><strong>Licence:</strong> {named}.'
            + (f" {escape(verdict)}" if verdict else "") + "</p>"
            + (f"<p><strong>Terms:</strong> {escape(terms)}</p>" if terms else "")
            + (source_licences(context) if openness is None and licence.get("path") == CARD_FILE else "")
            + "</div>\n")


def source_licences(context: Context) -> str:
    """For a table whose rows keep their source's licence: the licence of each source (its ``source``
    column), from the source tables' own resources."""
    by_source: dict[str, set[str]] = {}
    for resource in context.resources.values():
        if (resource.get("licenses") or [{}])[0].get("path") != CARD_FILE:
            by_source.setdefault(str(resource.get("kzegov:source", "")), set()).add(licence_label(resource))
    return ("<p>By source (the <code>source</code> column): "
            + "; ".join(f"<code>{escape(source)}</code>: {escape(', '.join(sorted(labels)))}"
                        for source, labels in sorted(by_source.items())) + ".</p>")


# --- home page --------------------------------------------------------------------------------------------


def home_body(context: Context, countries: int) -> str:
    from .publish import PACKAGE_TITLE

    grouped = members_by_stem(context)
    tables = [stem for stem in grouped if stem in context.resources]
    editions = [stem for stem in grouped if stem.startswith("editions/")]
    country_year = grouped.get(COUNTRY_YEAR_STEM, [])
    others = [stem for stem in grouped if stem not in tables and stem not in editions and stem != COUNTRY_YEAR_STEM]
    sources = sorted({(str(s.get("title", "")), str(s.get("path", ""))) for r in context.resources.values()
                      for s in r.get("sources", []) if str(s.get("path", "")).startswith(("http://", "https://"))})
    parts = [
        f"<h1>{escape(PACKAGE_TITLE)}</h1>\n",
        '<p class="lead">Tidy, validated tables of e-government, digital and governance indicators for '
        f"Kazakhstan and every other country ({countries} countries and territories with data), each built "
        "from its publisher's own files and published with its licence and citation. Browse "
        f'<a href="{COUNTRIES}/index.html">a profile per country</a> or <a href="#tables">a page per table</a>, '
        "or download everything below.</p>\n",
        "<p>Publishers: " + "; ".join(f'<a href="{escape(url)}" rel="external">{escape(title)}</a>'
                                      for title, url in sources) + ".</p>\n",
        '<h2 id="everything">Download everything</h2>\n',
        "<p>One zip with every file listed on this page, in a <code>kzegov_data/</code> folder, described by its "
        "<code>datapackage.json</code> (a Frictionless Data Package).</p>\n",
        file_table("The bundle", [context.archive], 0, context),
    ]
    if country_year:
        described = next((context.member_descriptions[name] for name in sorted(context.member_descriptions)
                          if stem_of(name) == COUNTRY_YEAR_STEM), "")
        parts += ['<h2 id="country-year">The country-year file</h2>\n',
                  f"<p>{escape(described)}</p>\n" if described else
                  "<p>One row per country and year, one column per indicator id (EGDI on its survey years, "
                  "never interpolated; the two CPI scales in two columns), with the country's name, region, "
                  "income group of that year and peer-group flags.</p>\n",
                  file_table("The country-year file in every format", country_year, 0, context)]
    parts += ['<h2 id="tables">Tables</h2>\n', wrapped_table(
        "The current tables", ["table", "title", "rows", "years", "licence"],
        [f'<tr><th scope="row"><a href="{TABLES}/{escape(name)}.html">{escape(name)}</a></th>'
         f"<td>{escape(resource.get('title', ''))}</td>"
         f'<td class="number">{int(resource.get("kzegov:rows", 0)):,}</td>'
         f"<td>{escape(resource.get('kzegov:years') or '-')}</td>"
         f"<td>{escape(licence_label(resource))}</td></tr>\n" for name, resource in context.resources.items()],
        numeric=(2,))]
    parts.append(wrapped_table("Files of every table", ["table", "file", "size", "sha256"],
                               [row for stem in tables for row in file_rows(grouped[stem], 0, group=stem,
                                                                            titles=context.member_titles)],
                               numeric=(2,)))
    if editions:
        parts += ['<h2 id="editions">Earlier editions</h2>\n',
                  "<p>The sources that revise their back series (UNDP HDR, WGI, ITU) publish whole editions; "
                  "the earlier ones are kept as they were published.</p>\n",
                  wrapped_table("Files of the earlier editions", ["edition", "file", "size", "sha256"],
                                [row for stem in editions for row in file_rows(grouped[stem], 0, group=stem,
                                                                               titles=context.member_titles)],
                                numeric=(2,))]
    if others:
        parts += ['<h2 id="documents">Codebook, workbook and documents</h2>\n',
                  wrapped_table("Other files of the bundle", ["name", "file", "size", "sha256"],
                                [row for stem in others for row in file_rows(grouped[stem], 0, group=stem,
                                                                             titles=context.member_titles)],
                                numeric=(2,))]
    parts += ['<h2 id="licences">Licences</h2>\n',
              "<p>The data keep their publishers' terms. Open: redistribution, adaptation and commercial use "
              "allowed with attribution. The derived tables keep each row's source licence.</p>\n"]
    for name, resource in context.resources.items():
        parts += [f'<h3 id="licence-{escape(name)}"><a href="{TABLES}/{escape(name)}.html">{escape(name)}</a></h3>\n',
                  licence_block(resource, 0, context)]
    parts += ['<h2 id="cite">How to cite</h2>\n',
              "<p>Cite the publisher of every table you use:</p>\n<ul>\n"]
    by_citation: dict[str, list[str]] = {}
    for name, resource in context.resources.items():
        by_citation.setdefault(str(resource.get("kzegov:citation", "")), []).append(name)
    parts += [f"<li><strong>{escape(', '.join(names))}</strong>: {escape(citation)}</li>\n"
              for citation, names in by_citation.items() if citation]
    parts.append("</ul>\n")
    return "".join(parts)


def licence_label(resource: Mapping[str, Any]) -> str:
    name = str((resource.get("licenses") or [{}])[0].get("name", ""))
    openness = licence_is_open(resource)
    return name + {True: " (open)", False: " (not open)", None: ""}[openness]


# --- table pages ------------------------------------------------------------------------------------------


def table_body(name: str, resource: Mapping[str, Any], frame: pd.DataFrame, context: Context) -> str:
    depth = 1
    fields = resource.get("schema", {}).get("fields", [])
    year_column = resource.get("kzegov:year_column")
    facts = [("rows", f"{int(resource.get('kzegov:rows', len(frame))):,}"),
             ("years", str(resource.get("kzegov:years") or "none (not a time series)")
              + (f" (column {year_column})" if year_column else ""))]
    if "iso3" in frame.columns:
        facts.append(("countries", f"{frame['iso3'].nunique():,}"))
    key = resource.get("schema", {}).get("primaryKey", [])
    if key:
        facts.append(("one row per", ", ".join(key)))
    source_links = "; ".join(
        f'<a href="{escape(s["path"])}" rel="external">{escape(s.get("title", s["path"]))}</a>'
        if str(s.get("path", "")).startswith(("http://", "https://")) else escape(s.get("title", ""))
        for s in resource.get("sources", []))
    parts = [f"<h1>{escape(resource.get('title', name))} (<code>{escape(name)}</code>)</h1>\n"]
    if resource.get("description"):
        parts.append(f'<p class="lead">{escape(resource["description"])}</p>\n')
    parts.append('<h2 id="coverage">Coverage</h2>\n<dl class="facts">\n'
                 + "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>\n" for label, value in facts)
                 + (f"<dt>source</dt><dd>{source_links}</dd>\n" if source_links else "")
                 + f"<dt>citation</dt><dd>{escape(resource.get('kzegov:citation', ''))}</dd>\n</dl>\n")
    parts.append(licence_block(resource, depth, context))
    downloads = [download for member, download in context.members.items() if stem_of(member) == name]
    parts.append('<h2 id="downloads">Downloads</h2>\n')
    parts.append(file_table(f"{name} in every format", downloads, depth, context) if downloads else
                 "<p>This table is not in the bundle.</p>\n")
    parts.append('<h2 id="columns">Columns</h2>\n')
    parts.append(wrapped_table(f"Columns of {name}", ["column", "type", "unit", "title", "description"], [
        f"<tr><th scope=\"row\"><code>{escape(f['name'])}</code></th><td>{escape(f.get('type', ''))}</td>"
        f"<td>{escape(f.get('kzegov:unit', ''))}</td><td>{escape(f.get('title', ''))}</td>"
        f"<td>{escape(f.get('description', ''))}</td></tr>\n" for f in fields]))
    parts.append(preview(name, frame, fields, year_column))
    figures = context.figures.get(name, [])
    if figures:
        parts.append('<h2 id="figures">Figures of the data card</h2>\n')
        parts += [figure_html(figure, context.members[figure.member].data, depth) for figure in figures]
    parts.append(editions_section(name, resource, context, depth))
    return "".join(parts)


def preview(name: str, frame: pd.DataFrame, fields: Sequence[Mapping[str, Any]], year_column: str | None) -> str:
    if "iso3" not in frame.columns:
        return ""
    own = frame[frame["iso3"].astype(str) == PREVIEW_COUNTRY]
    if year_column and year_column in own.columns:
        own = own.sort_values(year_column, ascending=False, kind="stable")
    shown = own.head(PREVIEW_ROWS)
    columns = [str(f["name"]) for f in fields if f["name"] in frame.columns] or [str(c) for c in frame.columns]
    heading = '<h2 id="preview">Kazakhstan\'s rows</h2>\n'
    if own.empty:
        return heading + f"<p>{escape(name)} has no rows for Kazakhstan ({PREVIEW_COUNTRY}).</p>\n"
    note = (f"<p>The {len(shown)} latest of Kazakhstan's {len(own):,} rows; the downloads hold them all.</p>\n"
            if len(own) > len(shown) else f"<p>All {len(own):,} of Kazakhstan's rows.</p>\n")
    numeric = [i for i, column in enumerate(columns) if frame[column].dtype.kind in "fiu"]
    rows = ["<tr>" + "".join(f"<td{NUMBER if i in numeric else ''}>{escape(cell_text(value))}</td>"
                             for i, value in enumerate(record)) + "</tr>\n"
            for record in shown[columns].itertuples(index=False, name=None)]
    return heading + note + wrapped_table(f"Kazakhstan's rows of {name}", columns, rows, numeric=numeric)


def cell_text(value: object) -> str:
    """A cell as published: the shortest text that reads back as the same number; empty when missing.

    >>> cell_text(0.90093), cell_text(40.0), cell_text(float("nan")), cell_text(True)
    ('0.90093', '40', '', 'true')
    """
    import pandas as pd

    if hasattr(value, "item") and not isinstance(value, (str, bool, int, float)):
        value = value.item()  # a NumPy scalar
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def number_text(value: float) -> str:
    return repr(float(value)).removesuffix(".0")


def number_html(value: float) -> str:
    """A value for reading: at most 6 significant digits (a WGI estimate has 16), whole numbers with
    thousands separators; the published value, when that differs, stays in ``<data value>`` and its title.

    >>> number_html(0.90093), number_html(26170100.0)
    ('0.90093', '26,170,100')
    >>> number_html(-0.2665930688381195)
    '<data value="-0.2665930688381195" title="as published: -0.2665930688381195">-0.266593</data>'
    """
    exact = number_text(value)
    if float(value).is_integer() and abs(value) < 1e15:
        shown = f"{int(value):,}"
    else:
        shown = f"{float(value):.6g}"
        if "e" in shown:
            shown = exact
    if shown.replace(",", "") == exact:
        return shown
    return f'<data value="{exact}" title="as published: {exact}">{escape(shown)}</data>'


def count_text(count: object) -> str:
    return f"{count:,}" if isinstance(count, int) else ""


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's header (its IHDR chunk)."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def figure_html(figure: CardFigure, data: bytes, depth: int) -> str:
    size = png_size(data)
    dimensions = f' width="{size[0]}" height="{size[1]}"' if size else ""
    return f'<figure><img src="{escape(relative(depth, figure.path))}" alt="{escape(figure.alt)}"{dimensions} ' \
           'loading="lazy">' + (f"<figcaption>{inline_markdown(figure.caption)}</figcaption>" if figure.caption
                                 else "") + "</figure>\n"


def editions_section(name: str, resource: Mapping[str, Any], context: Context, depth: int) -> str:
    entries = [entry for entry in resource.get("editions") or [] if isinstance(entry, dict)]
    earlier = [entry for entry in entries if entry.get("path") and entry["path"] != resource.get("path")]
    if not earlier:
        return ""
    rows = []
    for entry in entries:
        stem = stem_of(str(entry.get("path", "")))
        files = ([download_link(d, depth, PurePosixPath(d.path).suffix.lstrip(".") or d.path)
                  for member, d in context.members.items() if stem_of(member) == stem] if stem != name else [])
        years = entry.get("years") or []
        rows.append(f'<tr><th scope="row">{escape(entry.get("name", ""))}</th>'
                    f'<td>{escape(entry.get("released", ""))}</td>'
                    f"<td>{escape('-'.join(str(y) for y in years))}</td>"
                    f'<td class="number">{count_text(entry.get("rows"))}</td>'
                    f"<td>{'current (the downloads above)' if entry.get('current') else ', '.join(files)}</td></tr>\n")
    earlier_files = [d for member, d in context.members.items()
                     if any(stem_of(member) == stem_of(str(entry["path"])) for entry in earlier)]
    return ('<h2 id="editions">Editions</h2>\n'
            "<p>The publisher revises its back series in every edition; the earlier editions are kept as "
            "published.</p>\n"
            + wrapped_table(f"Editions of {name}", ["edition", "released", "years", "rows", "files"], rows,
                            numeric=(3,))
            + (file_table(f"Files of the earlier editions of {name}", earlier_files, depth, context)
               if earlier_files else ""))


# --- country profiles -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rank:
    group: str  #: central_asia, ..., income:<slug>
    rank: int  #: 1 = best, ties share the best rank (as kzegov_data.compare)
    size: int  #: countries of the group with a value that year
    members: int  #: countries of the group that year, with a value or not
    classification: str = ""


@dataclass(frozen=True)
class Latest:
    indicator: str
    year: int
    value: float
    ranks: tuple[Rank, ...]


def headline_ids(catalogue: Mapping[str, Mapping[str, Any]]) -> list[str]:
    return [name for name in HEADLINE if name in catalogue]


def groups_of(code: str, classification: IncomeClassification) -> list[str]:
    """The study's peer groups that hold ``code``, then its current World Bank income group."""
    from .countries import INCOME_GROUPS, INCOME_PREFIX, PEER_GROUPS

    groups = [name for name, group in PEER_GROUPS.items() if code in group.members]
    own = classification.current.get(code)
    groups += [f"{INCOME_PREFIX}{slug}" for slug, title in INCOME_GROUPS.items() if title == own]
    return groups


def latest_values(values: pd.DataFrame, catalogue: Mapping[str, Mapping[str, Any]],
                  classification: IncomeClassification) -> dict[str, list[Latest]]:
    """Per country, the latest value of each headline indicator and its rank in each of its peer
    groups in that year, as ``kzegov_data.compare(country, group, indicator)`` ranks it (rank 1 best
    in the indicator's direction, ties share the best rank; an income group has that year's members
    plus the country), computed for every country at once."""
    import numpy as np

    from .countries import PEER_GROUPS

    members_cache: dict[tuple[str, int], tuple[frozenset[str], str]] = {}

    def members(group: str, year: int) -> tuple[frozenset[str], str]:
        if (group, year) not in members_cache:
            members_cache[(group, year)] = ((frozenset(PEER_GROUPS[group].members), "") if group in PEER_GROUPS
                                            else classification.members(group, year))
        return members_cache[(group, year)]

    found: dict[str, list[Latest]] = {}
    for indicator in headline_ids(catalogue):
        better = catalogue[indicator].get("better")
        rows = values[values["indicator"] == indicator]
        by_year = {int(cast("int", year)): (frame["iso3"].to_numpy(), frame["value"].to_numpy())
                   for year, frame in rows.groupby("year", sort=True)}
        last = rows.sort_values(["iso3", "year"], kind="stable").drop_duplicates("iso3", keep="last")
        for code, year, value in zip(last["iso3"], last["year"], last["value"], strict=True):
            codes, numbers = by_year[int(year)]
            ranks = []
            for group in groups_of(code, classification) if better in ("higher", "lower") else []:
                inside, label = members(group, int(year))
                mask = np.isin(codes, list(inside | {code}))
                pool = numbers[mask]
                ahead = pool > value if better == "higher" else pool < value
                ranks.append(Rank(group, 1 + int(ahead.sum()), int(mask.sum()), len(inside | {code}), label))
            found.setdefault(code, []).append(Latest(indicator, int(year), float(value), tuple(ranks)))
    return found


def country_files(indicators: pd.DataFrame, countries: pd.DataFrame, classification: IncomeClassification,
                  context: Context) -> dict[str, bytes]:
    """The country list, a profile per country with any value in ``indicators``, and its rows as CSV."""
    values = indicators[indicators["value"].notna()].copy()
    values["iso3"] = values["iso3"].astype(str)
    values["indicator"] = values["indicator"].astype(str)
    codes = sorted(values["iso3"].unique())
    facts = countries.assign(iso3=countries["iso3"].astype(str)).set_index("iso3")
    latest = latest_values(values, context.catalogue, classification)
    series = {key: frame for key, frame in values[values["indicator"].isin(headline_ids(context.catalogue))]
              .sort_values(["iso3", "indicator", "year"], kind="stable").groupby(["iso3", "indicator"], sort=True)}
    files: dict[str, bytes] = {}
    rows_of = {str(code): frame for code, frame in indicators.groupby(indicators["iso3"].astype(str), sort=True,
                                                                       observed=True)}
    for code in codes:
        buffer = io.StringIO()
        rows_of[code].to_csv(buffer, index=False, lineterminator="\n")
        csv = Download(f"{DOWNLOADS}/{COUNTRIES}/{code}.csv", buffer.getvalue().encode("utf-8"))
        files[csv.path] = csv.data
        name = str(facts["name"].get(code, code))
        body = profile_body(code, name, facts.loc[code] if code in facts.index else None, latest.get(code, []),
                            {indicator: series[(code, indicator)] for indicator in headline_ids(context.catalogue)
                             if (code, indicator) in series}, csv, classification, context)
        files[f"{COUNTRIES}/{code}.html"] = page(f"{name} ({code}): kzegov_data profile", body, depth=1,
                                                 here="profile", context=context)
    files[f"{COUNTRIES}/index.html"] = page("Countries: kzegov_data", country_list(codes, facts), depth=1,
                                            here="countries", context=context)
    return files


def group_title(group: str) -> str:
    from .countries import PEER_GROUPS, income_group

    if group in PEER_GROUPS:
        return PEER_GROUPS[group].title
    return f"{income_group(group)} (World Bank)"


def profile_body(code: str, name: str, facts: pd.Series | None, latest: list[Latest],
                 series: Mapping[str, pd.DataFrame], csv: Download, classification: IncomeClassification,
                 context: Context) -> str:
    depth = 1
    catalogue = context.catalogue
    groups = groups_of(code, classification)
    region = cell_text(facts.get("wb_region")) if facts is not None else ""
    income = classification.current.get(code, "")
    parts = [f"<h1>{escape(name)} (<code>{escape(code)}</code>)</h1>\n", '<dl class="facts">\n',
             f"<dt>World Bank region</dt><dd>{escape(region or 'not listed')}</dd>\n",
             f"<dt>Income group (current)</dt><dd>{escape(income or 'not classified')}</dd>\n",
             "<dt>Peer groups</dt><dd>" + escape(", ".join(group_title(g) for g in groups) or "none") + "</dd>\n",
             "</dl>\n", '<h2 id="latest">Latest values</h2>\n']
    if latest:
        parts.append(wrapped_table(f"Latest value of each headline indicator for {name}",
                                   ["indicator", "value", "unit", "year", "table"],
                                   [latest_row(item, catalogue[item.indicator]) for item in latest], numeric=(1, 3)))
        parts.append('<p class="muted">Values are shown to 6 significant digits at most; a rounded one gives the '
                     "published value as its tooltip, and every download holds the values as published.</p>\n")
    else:
        parts.append("<p>No headline indicator has a value for this country.</p>\n")
    ranked = [item for item in latest if item.ranks]
    if ranked and groups:
        parts.append('<h2 id="ranks">Rank among peers</h2>\n'
                     "<p>Rank 1 is best in the indicator's direction (lower is better for ranks); ties share the "
                     "best rank; <em>of N</em> counts the group's countries with a value in the same year (a "
                     "recent year may have few). "
                     f"{escape(sentence(classification.describe()))}</p>\n")
        rows = []
        for item in ranked:
            by_group = {rank.group: rank for rank in item.ranks}
            cells = "".join(rank_cell(by_group[g]) if g in by_group else "<td></td>" for g in groups)
            rows.append(f'<tr data-indicator="{escape(item.indicator)}"><th scope="row">'
                        f"{escape(catalogue[item.indicator].get('title', item.indicator))}</th>"
                        f'<td class="number">{item.year}</td>{cells}</tr>\n')
        parts.append(wrapped_table(f"Ranks of {name} in its peer groups", ["indicator", "year",
                                   *(group_title(g) for g in groups)], rows,
                                   numeric=tuple(range(1, 2 + len(groups)))))
    if series:
        parts.append('<h2 id="trends">Trends</h2>\n<div class="charts">\n')
        parts += [trend_figure(code, name, indicator, frame, catalogue[indicator]) for indicator, frame
                  in series.items()]
        parts.append("</div>\n")
    parts += ['<h2 id="data">Data</h2>\n',
              f"<p>Every row of the <code>indicators</code> table for {escape(name)}, all indicators and years "
              "(each row keeps its source's licence: see the tables' pages).</p>\n",
              file_table(f"{name}'s rows", [csv], depth, context)]
    return "".join(parts)


def rank_cell(rank: Rank) -> str:
    """``3 of 15``, and how many of the group's countries have no value that year, if any."""
    missing = rank.members - rank.size
    return (f'<td class="number" data-group="{escape(rank.group)}" data-rank="{rank.rank}" data-size="{rank.size}">'
            f"{rank.rank} of {rank.size}" + (f'<br><span class="muted">{missing} without a value</span>' if missing
                                             else "") + "</td>")


def latest_row(item: Latest, spec: Mapping[str, Any]) -> str:
    table = escape(spec.get("table", ""))
    return (f'<tr data-indicator="{escape(item.indicator)}"><th scope="row">'
            f'{escape(spec.get("title", item.indicator))} <code>{escape(item.indicator)}</code></th>'
            f'<td class="number value">{number_html(item.value)}</td><td>{escape(spec.get("unit", ""))}</td>'
            f'<td class="number year">{item.year}</td><td><a href="../{TABLES}/{table}.html">{table}</a></td></tr>\n')


def sentence(text: str) -> str:
    """``text`` as a sentence: capital first letter, final full stop."""
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else ""


def short_number(value: float) -> str:
    """An axis label: three significant digits.

    >>> short_number(0.90093), short_number(98.66), short_number(3.0)
    ('0.901', '98.7', '3')
    """
    return f"{value:.3g}"


def trend_text(name: str, spec: Mapping[str, Any], years: list[int], numbers: list[float]) -> str:
    """The chart in words, for screen readers and as its caption."""
    unit = str(spec.get("unit", ""))
    if len(years) == 1:
        return f"{name} has one value, {number_text(numbers[0])} ({unit}) in {years[0]}."
    first, last = numbers[0], numbers[-1]
    change = "rose" if last > first else "fell" if last < first else "was unchanged"
    low, high = min(range(len(numbers)), key=numbers.__getitem__), max(range(len(numbers)), key=numbers.__getitem__)
    better = spec.get("better")
    return (f"From {number_text(first)} in {years[0]} to {number_text(last)} in {years[-1]} ({unit}): {name} "
            f"{change}" + ("" if change == "was unchanged" else f" by {short_number(abs(last - first))}")
            + f". Lowest {number_text(numbers[low])} ({years[low]}), highest {number_text(numbers[high])} "
            f"({years[high]}); {len(years)} values" + (f"; {better} is better." if better else "."))


def trend_figure(code: str, name: str, indicator: str, frame: pd.DataFrame, spec: Mapping[str, Any]) -> str:
    """A small line chart of one indicator as inline SVG, with a title, a description and a caption."""
    years = [int(y) for y in frame["year"]]
    numbers = [float(v) for v in frame["value"]]
    title = f"{spec.get('title', indicator)} of {name}, {years[0]}-{years[-1]}" if len(years) > 1 else \
        f"{spec.get('title', indicator)} of {name}, {years[0]}"
    text = trend_text(name, spec, years, numbers)
    width, height, left, right, top, bottom = 320, 150, 56, 12, 12, 26
    low, high = min(numbers), max(numbers)
    if high == low:
        low, high = low - (abs(low) * 0.1 or 1), high + (abs(high) * 0.1 or 1)
    first_year, last_year = years[0], years[-1]
    span = (last_year - first_year) or 1

    def x(year: int) -> float:
        return left + (year - first_year) / span * (width - left - right) if last_year != first_year \
            else (left + width - right) / 2

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * (height - top - bottom)

    points = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in zip(years, numbers, strict=True))
    ident = f"trend-{escape(indicator)}"
    svg = (f'<svg class="trend" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-title '
           f'{ident}-desc" xmlns="http://www.w3.org/2000/svg">'
           f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(text)}</desc>'
           f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}"/>'
           f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}"/>'
           f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{escape(short_number(high))}</text>'
           f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end">{escape(short_number(low))}</text>'
           f'<text x="{left}" y="{height - 8}" text-anchor="start">{first_year}</text>'
           f'<text x="{width - right}" y="{height - 8}" text-anchor="end">{last_year}</text>'
           + (f'<polyline class="line" points="{points}"/>' if len(years) > 1 else "")
           + "".join(f'<circle class="point" cx="{x(a):.1f}" cy="{y(b):.1f}" r="2.5"/>'
                     for a, b in zip(years, numbers, strict=True))
           + "</svg>")
    return (f'<figure id="chart-{escape(indicator)}">{svg}<figcaption><strong>{escape(title)}</strong> '
            f"({escape(spec.get('unit', ''))}). {escape(text)}</figcaption></figure>\n")


def country_list(codes: Sequence[str], facts: pd.DataFrame) -> str:
    """Every profile, grouped by World Bank region (alphabetical by name within a region)."""
    by_region: dict[str, list[tuple[str, str]]] = {}
    for code in codes:
        region = cell_text(facts["wb_region"].get(code)) if "wb_region" in facts.columns else ""
        by_region.setdefault(region or "Other economies", []).append((str(facts["name"].get(code, code)), code))
    regions = sorted(region for region in by_region if region != "Other economies")
    regions += ["Other economies"] if "Other economies" in by_region else []
    parts = ["<h1>Countries</h1>\n",
             f"<p>A profile for each of the {len(codes)} countries and territories with data: latest values, "
             "ranks among peers, trends and its rows as CSV. Grouped by World Bank region.</p>\n",
             '<nav aria-label="Regions"><ul>'
             + "".join(f'<li><a href="#{region_id(region)}">{escape(region)}</a></li>' for region in regions)
             + "</ul></nav>\n"]
    for region in regions:
        entries = sorted(by_region[region], key=lambda entry: (alphabetical(entry[0]), entry[1]))
        parts.append(f'<h2 id="{region_id(region)}">{escape(region)} ({len(entries)})</h2>\n<ul class="columns">\n'
                     + "".join(f'<li><a href="{escape(code)}.html">{escape(label)}</a> '
                               f"<code>{escape(code)}</code></li>\n"
                               for label, code in entries) + "</ul>\n")
    return "".join(parts)


def alphabetical(name: str) -> str:
    """The key that files Côte d'Ivoire under C and Türkiye under T.

    >>> sorted(["Türkiye", "Tuvalu", "Turkmenistan"], key=alphabetical)
    ['Türkiye', 'Turkmenistan', 'Tuvalu']
    """
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def region_id(region: str) -> str:
    return "region-" + re.sub(r"[^a-z0-9]+", "-", region.lower()).strip("-")
