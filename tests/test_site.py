"""The static download site, checked without a browser: every page parses and is accessible in its
markup, every link resolves inside the folder, every download's sha256 is the page's, no request
leaves the folder, the numbers are the published ones, and two builds are byte-identical.

The site is built once per module from the committed ``processed/``: through the CLI (the bundle's
members computed by default), and a second time through the library from members computed here.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pandas as pd
import pytest

import kzegov_data as kz
from kzegov_data._io import sha256_file
from kzegov_data.cli import main
from kzegov_data.errors import InvalidArgumentError
from kzegov_data.site import HEADLINE, write_site

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "processed"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: SVG elements written self-closed (``<line/>``), which html.parser reports as start-and-end tags.
LANDMARKS = ("header", "nav", "main", "footer")


# --- reading pages ----------------------------------------------------------------------------------------


@dataclass
class Page:
    """What the checks need from one HTML page, read with the standard library's parser."""

    path: Path
    lang: str | None = None
    tags: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    links: list[tuple[str, str, dict[str, str | None]]] = field(default_factory=list)  # (tag, url, attributes)
    ids: set[str] = field(default_factory=set)
    tables_without_th: int = 0
    text: str = ""


class PageParser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.open: list[str] = []
        self.table_has_th: list[bool] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.record(tag, dict(attrs))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.record(tag, dict(attrs))

    def record(self, tag: str, attributes: dict[str, str | None]) -> None:
        page = self.page
        page.tags[tag] = page.tags.get(tag, 0) + 1
        if tag == "html":
            page.lang = attributes.get("lang")
        if attributes.get("id"):
            page.ids.add(str(attributes["id"]))
        if tag == "img" and not (attributes.get("alt") or "").strip():
            page.problems.append(f"<img> without alt text: {attributes.get('src')}")
        if tag == "table":
            self.table_has_th.append(False)
        if tag == "th" and self.table_has_th:
            self.table_has_th[-1] = True
            if attributes.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
                page.problems.append("<th> without scope")
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                page.links.append((tag, str(attributes[name]), attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.table_has_th:
            self.page.tables_without_th += 0 if self.table_has_th.pop() else 1
        if not self.open or self.open[-1] != tag:
            self.page.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else 'nothing'}>")
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def read_page(path: Path) -> Page:
    page = Page(path)
    parser = PageParser(page)
    parser.feed(path.read_text("utf-8"))
    parser.close()
    if parser.open:
        page.problems.append(f"unclosed elements: {parser.open}")
    page.text = " ".join(" ".join(parser.chunks).split())
    return page


def pages_of(site: Path) -> Iterator[Page]:
    for path in sorted(site.rglob("*.html")):
        yield read_page(path)


def link_problems(site: Path) -> list[str]:
    """Every link of the site that does not resolve to a file inside it (or to an id of the page it
    names), every data-sha256 that is not its file's, and every URL that would leave the folder
    (only ``<a rel="external">`` may point to the web)."""
    root = site.resolve()
    found = []
    ids = {page.path.resolve(): page.ids for page in pages_of(site)}
    for page in pages_of(site):
        where = page.path.relative_to(site)
        for tag, url, attributes in page.links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                if tag != "a" or "external" not in str(attributes.get("rel") or "").split():
                    found.append(f"{where}: <{tag}> requests {url} (only <a rel=\"external\"> may leave the site)")
                continue
            if parts.scheme or parts.netloc or url.startswith("/"):
                found.append(f"{where}: {url} is not a relative link")
                continue
            declared = attributes.get("data-sha256")
            if "download" in attributes and declared is None:
                found.append(f"{where}: download link {url} has no data-sha256")
            target = (page.path.parent / unquote(parts.path)).resolve() if parts.path else page.path.resolve()
            if not target.is_relative_to(root) or not target.is_file():
                found.append(f"{where}: {url} does not resolve to a file of the site")
                continue
            if parts.fragment and target.suffix == ".html" and parts.fragment not in ids.get(target, set()):
                found.append(f"{where}: {url} names no element of {target.name}")
            if declared is not None and declared != sha256_file(target):
                found.append(f"{where}: {url} data-sha256 {declared} is not the file's {sha256_file(target)}")
    return found


# --- the built site ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    site: Path
    again: Path
    members: dict[str, bytes]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, release_members: dict[str, bytes]) -> Built:
    """The site the CLI writes (its own bundle members), and again from conftest's release members,
    in reverse order: two computations of the members, which must give the same site."""
    folder = tmp_path_factory.mktemp("site")
    assert main(["site", "--output", str(folder / "site"), "--root", str(REPO)]) == 0
    members = release_members
    write_site(PROCESSED, folder / "again", members=dict(sorted(members.items(), reverse=True)))
    return Built(folder / "site", folder / "again", members)


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    table = pd.read_parquet(PROCESSED / "indicators.parquet")
    table = table[table["value"].notna()].copy()
    table["iso3"] = table["iso3"].astype(str)
    table["indicator"] = table["indicator"].astype(str)
    return table


def latest(indicators: pd.DataFrame, code: str) -> dict[str, tuple[int, float]]:
    """The latest (year, value) of each headline indicator of ``code``, read with pandas alone."""
    own = indicators[(indicators["iso3"] == code) & indicators["indicator"].isin(HEADLINE)]
    last = own.sort_values("year").groupby("indicator").tail(1)
    return {row.indicator: (int(row.year), float(row.value)) for row in last.itertuples()}


def row_cells(path: Path, indicator: str, table_caption_start: str) -> dict[str, str]:
    """The cells (by class or data-group) of the row ``data-indicator=indicator`` in the table whose
    caption starts with ``table_caption_start``."""
    text = path.read_text("utf-8")
    table = next(chunk for chunk in text.split("<table>")[1:]
                 if chunk.split("<caption>", 1)[1].startswith(table_caption_start))
    row = re.search(rf'<tr data-indicator="{re.escape(indicator)}">(.*?)</tr>', table, re.S)
    assert row is not None, f"no row {indicator} in {path.name}"
    cells = {}
    for attributes, content in re.findall(r"<td([^>]*)>(.*?)</td>", row.group(1), re.S):
        key = re.search(r'data-group="([^"]+)"', attributes) or re.search(r'class="[^"]*\b(value|year)\b', attributes)
        # A value shown rounded keeps the published one in <data value="...">.
        published = re.search(r'<data value="([^"]+)"', content)
        if key:
            cells[key.group(1)] = published.group(1) if published else re.sub(r"<[^>]+>", " ", content).strip()
    return cells


# --- the link checker itself ------------------------------------------------------------------------------


def test_the_link_checker_finds_a_broken_link_a_wrong_hash_and_an_external_request(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "downloads").mkdir(parents=True)
    (site / "downloads" / "a.csv").write_bytes(b"a,b\n1,2\n")
    right = hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    (site / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="https://cdn.example/x.css"></head>'
        f'<body><main id="main"><a href="downloads/a.csv" data-sha256="{right}" download>ok</a>'
        f'<a href="downloads/a.csv" data-sha256="{"0" * 64}" download>wrong</a>'
        '<a href="downloads/missing.csv" download>gone</a><a href="#nowhere">x</a>'
        '<a href="https://example.org/" rel="external">fine</a></main></body></html>', "utf-8")
    problems = link_problems(site)
    assert len(problems) == 5, problems
    assert any("https://cdn.example/x.css" in line for line in problems)
    assert any("is not the file's" in line for line in problems)
    assert any("missing.csv does not resolve" in line for line in problems)
    assert any("missing.csv has no data-sha256" in line for line in problems)
    assert any("#nowhere names no element" in line for line in problems)


def test_the_page_checks_find_a_missing_alt_an_unclosed_element_and_a_table_without_headers(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text('<html><body><main><img src="x.png"><table><tr><td>1</td></tr></table><div></main>'
                    "</body></html>", "utf-8")
    page = read_page(path)
    assert page.lang is None
    assert page.tables_without_th == 1
    assert any("without alt" in line for line in page.problems)
    assert any("</main> closes <div>" in line for line in page.problems)


# --- the site ---------------------------------------------------------------------------------------------


def test_every_link_resolves_and_every_download_hash_is_its_files(built: Built) -> None:
    assert link_problems(built.site) == []


def test_every_page_has_lang_landmarks_one_h1_alt_texts_and_table_headers(built: Built) -> None:
    pages = list(pages_of(built.site))
    assert len(pages) > 200
    for page in pages:
        name = page.path.relative_to(built.site)
        assert page.problems == [], name
        assert page.lang == "en", name
        assert all(page.tags.get(tag, 0) >= 1 for tag in LANDMARKS), (name, page.tags)
        assert page.tags.get("main") == 1, name
        assert page.tags.get("h1") == 1, name
        assert page.tables_without_th == 0, name
        assert page.path.read_text("utf-8").count('class="skip-link" href="#main"') == 1, name
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.path.read_text("utf-8")


def test_the_stylesheet_has_no_fixed_widths_and_a_visible_focus(built: Built) -> None:
    css = (built.site / "assets" / "style.css").read_text("utf-8")
    assert re.findall(r"(?<![-\w])(?:min-)?width:\s*\d+px", css) == []
    assert re.search(r":focus-visible\s*{[^}]*outline:\s*3px solid", css)
    assert ".table-wrap { overflow-x: auto;" in css


def test_the_page_list_is_the_contracts_layout(built: Built, indicators: pd.DataFrame) -> None:
    resources = json.loads((PROCESSED / "datapackage.json").read_text("utf-8"))["resources"]
    current = {r["name"] for r in resources if "edition_of" not in r}
    pages = {str(p.relative_to(built.site)) for p in built.site.rglob("*.html")}
    with_data = set(indicators["iso3"])
    assert pages == {"index.html", "countries/index.html", *(f"tables/{name}.html" for name in current),
                     *(f"countries/{code}.html" for code in with_data)}
    assert {p.name for p in (built.site / "downloads" / "countries").iterdir()} == {f"{c}.csv" for c in with_data}


def test_the_downloads_are_the_bundles_members_and_their_zip(built: Built) -> None:
    downloads = built.site / "downloads"
    files = {str(p.relative_to(downloads)) for p in downloads.rglob("*") if p.is_file()
             and p.relative_to(downloads).parts[0] != "countries"}
    assert files == {*built.members, "kzegov_data.zip"}
    for name, data in built.members.items():
        assert (downloads / name).read_bytes() == data, name
    with zipfile.ZipFile(downloads / "kzegov_data.zip") as archive:
        assert {info.filename: archive.read(info) for info in archive.infolist()} == {
            f"kzegov_data/{name}": data for name, data in built.members.items()}


def test_the_home_page_shows_size_and_sha256_of_every_download(built: Built) -> None:
    home = read_page(built.site / "index.html")
    downloads = [(url, attributes) for tag, url, attributes in home.links if "download" in attributes]
    assert len(downloads) == len(built.members) + 1  # every member and the zip
    for url, attributes in downloads:
        size = (built.site / url).stat().st_size
        assert str(attributes["data-sha256"]) in home.text, url
        assert f"{size:,} bytes" in home.text or f"{size} bytes" in home.text, url


def test_kazakhstans_egdi_2024_is_0_90093_on_its_profile(built: Built) -> None:
    cells = row_cells(built.site / "countries" / "KAZ.html", "egdi", "Latest value")
    assert cells["value"] == "0.90093"
    assert cells["year"] == "2024"


@pytest.mark.parametrize("code", ["FRA", "UZB"])
def test_a_profile_shows_the_latest_values_of_the_indicators_table(built: Built, indicators: pd.DataFrame,
                                                                   code: str) -> None:
    expected = latest(indicators, code)
    assert len(expected) >= 6
    path = built.site / "countries" / f"{code}.html"
    shown = re.findall(r'<tr data-indicator="([a-z0-9_]+)"><th scope="row">[^<]*<code>',
                       path.read_text("utf-8"))
    assert set(shown) == set(expected)
    for indicator, (year, value) in expected.items():
        cells = row_cells(path, indicator, "Latest value")
        assert float(cells["value"]) == value, indicator
        assert int(cells["year"]) == year, indicator


def test_a_profiles_csv_holds_the_countrys_rows_of_the_indicators_table(built: Built) -> None:
    published = pd.read_parquet(PROCESSED / "indicators.parquet")
    own = published[published["iso3"].astype(str) == "KGZ"].reset_index(drop=True)
    written = pd.read_csv(built.site / "downloads" / "countries" / "KGZ.csv", keep_default_na=False,
                          na_values=[""])
    assert list(written.columns) == list(published.columns)
    assert len(written) == len(own)
    assert written["year"].tolist() == own["year"].tolist()
    assert written["indicator"].tolist() == own["indicator"].astype(str).tolist()
    pd.testing.assert_series_equal(written["value"], own["value"].astype("float64"), check_names=False)


def ranked_cases(indicators: pd.DataFrame) -> list[tuple[str, str, str]]:
    """A few (country, group, indicator) to check against kz.compare: study groups, income groups in
    a current-classification year, and one whose latest year falls in the historical classification."""
    cases = [("KAZ", "central_asia", "egdi"), ("KAZ", "post_soviet", "wgi_control_of_corruption"),
             ("KAZ", "income:upper_middle", "cpi_score"), ("FRA", "income:high", "hdi"),
             ("KOR", "paper_comparators", "internet_users_pct")]
    countries = pd.read_parquet(PROCESSED / "countries.parquet").set_index("iso3")["wb_income_group"]
    slugs = {"Low income": "low", "Lower middle income": "lower_middle", "Upper middle income": "upper_middle",
             "High income": "high"}
    cpi = indicators[indicators["indicator"] == "cpi_score"].groupby("iso3")["year"].max()
    old = sorted(code for code, year in cpi.items() if year <= 2021 and countries.get(code) in slugs)
    if old:
        cases.append((old[0], f"income:{slugs[countries[old[0]]]}", "cpi_score"))
    return cases


def test_profile_ranks_are_those_of_compare(built: Built, indicators: pd.DataFrame) -> None:
    cases = ranked_cases(indicators)
    assert len(cases) == 6, "no country whose latest CPI year is in the historical income classification"
    for code, group, indicator in cases:
        cells = row_cells(built.site / "countries" / f"{code}.html", indicator, "Ranks of")
        year = latest(indicators, code)[indicator][0]
        expected = kz.compare(code, group, indicator, years=year, data_dir=PROCESSED).set_index("year").loc[year]
        assert re.match(rf"{expected['rank']} of {expected['group_size']}\b", cells[group]), (code, group, indicator)


def test_a_trend_chart_has_a_title_and_describes_the_trend_in_words(built: Built, indicators: pd.DataFrame) -> None:
    text = (built.site / "countries" / "KAZ.html").read_text("utf-8")
    chart = re.search(r'<figure id="chart-egdi">(.*?)</figure>', text, re.S)
    assert chart is not None
    svg = chart.group(1)
    egdi = indicators[(indicators["iso3"] == "KAZ") & (indicators["indicator"] == "egdi")].sort_values("year")
    first, last = egdi.iloc[0], egdi.iloc[-1]
    assert re.search(r'<svg [^>]*role="img" aria-labelledby="trend-egdi-title trend-egdi-desc"', svg)
    assert f"{int(first['year'])}-{int(last['year'])}</title>" in svg
    description = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)  # type: ignore[union-attr]
    assert f"{float(first['value'])!r} in {int(first['year'])}" in description
    assert f"{float(last['value'])!r} in {int(last['year'])}" in description
    assert "rose" in description
    assert description in chart.group(1).split("<figcaption>", 1)[1]  # the same words, visible
    assert svg.count('<circle class="point"') == len(egdi)


def test_table_pages_list_every_column_with_its_unit_and_kazakhstans_rows(built: Built) -> None:
    resources = {r["name"]: r for r in json.loads((PROCESSED / "datapackage.json").read_text("utf-8"))["resources"]}
    text = (built.site / "tables" / "un_egov.html").read_text("utf-8")
    for spec in resources["un_egov"]["schema"]["fields"]:
        assert f'<th scope="row"><code>{spec["name"]}</code></th><td>{spec["type"]}</td><td>{spec["kzegov:unit"]}' \
               in text, spec["name"]
    preview = text.split("<caption>Kazakhstan&#x27;s rows of un_egov</caption>", 1)[1].split("</table>", 1)[0]
    survey = pd.read_parquet(PROCESSED / "un_egov.parquet")
    assert preview.count("<tr>") - 1 == int((survey["iso3"] == "KAZ").sum())  # less the header row
    assert "<td class=\"number\">2024</td><td class=\"number\">0.90093</td>" in preview


def test_the_cards_figures_are_on_their_table_pages_with_the_cards_alt_text(built: Built) -> None:
    card = (REPO / "DATACARD.md").read_text("utf-8")
    figures = re.findall(r"!\[([^\]]+)\]\(docs/figures/([^)]+\.png)\)", card)
    assert len(figures) >= 5
    tables = {path.name: path.read_text("utf-8") for path in (built.site / "tables").iterdir()}
    for alt, name in figures:
        assert (built.site / "figures" / name).read_bytes() == (REPO / "docs" / "figures" / name).read_bytes()
        showing = [page for page, text in tables.items() if f'src="../figures/{name}"' in text]
        assert len(showing) == 1, name
        assert f'alt="{alt.replace("&", "&amp;").replace(chr(39), "&#x27;")}"' in tables[showing[0]], name
    assert any('src="../figures/un_egov_egdi.png"' in text for page, text in tables.items() if page == "un_egov.html")


def test_each_tables_page_states_its_licence_and_what_restricted_terms_allow(built: Built) -> None:
    resources = [r for r in json.loads((PROCESSED / "datapackage.json").read_text("utf-8"))["resources"]
                 if "edition_of" not in r]
    for resource in resources:
        text = (built.site / "tables" / f"{resource['name']}.html").read_text("utf-8")
        assert resource["licenses"][0]["name"].replace("'", "&#x27;") in text, resource["name"]
    restricted = [r for r in resources if r["licenses"][0]["kzegov:open"] is False]
    assert {r["name"] for r in restricted} >= {"un_egov", "ti_cpi", "itu_ict"}
    for resource in restricted:
        terms = resource["licenses"][0]["kzegov:terms"]
        text = (built.site / "tables" / f"{resource['name']}.html").read_text("utf-8")
        assert "Not an open licence" in text, resource["name"]
        assert terms, resource["name"]
        assert terms.replace("'", "&#x27;") in text, resource["name"]
    derived = (built.site / "tables" / "indicators.html").read_text("utf-8")
    assert "<code>un_egov</code>: United Nations Terms of Use (no open licence) (not open)" in derived


def test_two_builds_are_byte_identical(built: Built) -> None:
    def tree(folder: Path) -> dict[str, str]:
        return {str(p.relative_to(folder)): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}

    assert tree(built.site) == tree(built.again)


def test_the_build_leaves_no_staging_folder_beside_the_site(built: Built) -> None:
    assert sorted(p.name for p in built.site.parent.iterdir()) == ["again", "site"]


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("keep me", "utf-8")
    with pytest.raises(InvalidArgumentError, match="not a kzegov_data site"):
        write_site(PROCESSED, tmp_path, members={})
    assert main(["site", "--output", str(tmp_path), "--root", str(REPO)]) == 1
    assert "not a kzegov_data site" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text("utf-8") == "keep me"


def test_an_earlier_site_is_replaced_as_a_whole(built: Built, tmp_path: Path) -> None:
    target = tmp_path / "site"
    shutil.copytree(built.site / "assets", target / "assets")
    shutil.copy(built.site / "index.html", target / "index.html")
    (target / "stale.html").write_text("<html></html>", "utf-8")
    small = {name: data for name, data in built.members.items() if PurePosixPath(name).suffix != ".csv"}
    write_site(PROCESSED, target, members=small)
    assert not (target / "stale.html").exists()
    assert (target / "countries" / "KAZ.html").is_file()
    assert not (target / "downloads" / "un_egov.csv").exists()
    assert link_problems(target) == []

