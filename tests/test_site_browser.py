"""The download site in a real browser: headless Chromium opens the home page, a table page and two country
profiles over file:// and from a local static server, and every link, download and sha256 must hold.

The first tests check the harness itself (``tests/browser.py``) on a hand-made site of four files: it passes
a sound site and reports each planted fault. Screenshots of the real site, at desktop and phone widths, are
left in ``build/test-artifacts/site/`` for a person to look at.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import browser

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "processed"
ARTIFACTS = REPO / "build" / "test-artifacts" / "site"

#: The pages the issue names, by the name their screenshots get.
PAGES = {
    "home": "index.html",
    "table-un_egov": "tables/un_egov.html",
    "country-KAZ": "countries/KAZ.html",
    "country-UZB": "countries/UZB.html",
}
ORIGINS = ("file", "http")


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with browser.chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        yield driver


@pytest.fixture(scope="module")
def serve() -> Iterator[Callable[[Path, str], browser.Site]]:
    """``serve(root, origin)``: the site folder over file:// or from a local server (kept for the module)."""
    servers: dict[Path, str] = {}
    with contextlib.ExitStack() as stack:
        def site(root: Path, origin: str) -> browser.Site:
            if origin == "file":
                return browser.Site.from_files(root)
            if root not in servers:
                servers[root] = stack.enter_context(browser.static_server(root))
            return browser.Site(root, servers[root])

        yield site


# The harness, on a hand-made site -------------------------------------------------------------------


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid grey PNG (so the browser really decodes the image)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


CSV = b"iso3,value\nKAZ,1\n"
ICON = '<link rel="icon" href="{up}assets/icon.png">'
HEAD = ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title>'
        '<link rel="stylesheet" href="{up}assets/style.css">{icon}</head>')
#: Far below the fold, so that the browser would not load it by itself.
LAZY_IMAGE = '<div style="height: 5000px"></div><img src="{src}" alt="a lazy image" loading="lazy">'


def fixture_index(*, link: str = "pages/other.html#part", sha256: str = hashlib.sha256(CSV).hexdigest(),
                  extra: str = "", icon: bool = True, lazy_image: str = "assets/lazy.png") -> str:
    return (HEAD.format(up="", icon=ICON.format(up="") if icon else "") + '<body><main><h1 id="top">Fixture</h1>'
            '<img src="assets/icon.png" alt="a grey square">'
            f'<p><a href="#downloads">downloads</a> <a href="{link}">other page</a> '
            '<a href="https://example.org/" rel="external">publisher</a></p>'
            f'<section id="downloads"><a href="data/table.csv" data-sha256="{sha256}" download>table.csv</a>'
            f" <code>{sha256}</code></section>{extra}{LAZY_IMAGE.format(src=lazy_image)}</main></body></html>")


def write_fixture_site(root: Path, index: str) -> Path:
    files = {
        "index.html": index.encode(),
        "pages/other.html": (HEAD.format(up="../", icon=ICON.format(up="../")) + '<body><main><h2 id="part">Part</h2>'
                             '<a href="../index.html#top">home</a></main></body></html>').encode(),
        # A sha256 is one 64-character word: on a phone it must be allowed to wrap.
        "assets/style.css": b"body { margin: 0 8px; font-family: sans-serif; } code { overflow-wrap: anywhere; }\n",
        "assets/icon.png": tiny_png(),
        "assets/lazy.png": tiny_png(3, 1),
        "data/table.csv": CSV,
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def png_width(path: Path) -> int:
    return int(struct.unpack(">I", path.read_bytes()[16:20])[0])


@pytest.mark.browser
@pytest.mark.parametrize("origin", ORIGINS)
def test_harness_passes_a_sound_site_and_saves_desktop_and_phone_screenshots(
        chromium: Any, serve: Any, tmp_path: Path, origin: str) -> None:
    site = serve(write_fixture_site(tmp_path / "site", fixture_index()), origin)
    assert browser.check_page(chromium, site, "index.html", screenshots=tmp_path / "shots", name="home") == []
    assert browser.check_page(chromium, site, "pages/other.html") == []
    assert png_width(tmp_path / "shots" / "home-desktop.png") == browser.DESKTOP.width
    assert png_width(tmp_path / "shots" / "home-phone.png") == browser.PHONE.width


#: A fault planted in the fixture's home page, and what the harness must say about it.
FAULTS: dict[str, tuple[dict[str, Any], str]] = {
    "broken link": (dict(link="pages/missing.html"), r'<a href="pages/missing.html">: .*(does not exist|HTTP 404)'),
    "missing anchor on another page": (dict(link="pages/other.html#nowhere"), r"has no element with id 'nowhere'"),
    "missing anchor on the page": (dict(extra='<a href="#nowhere">x</a>'), r"no element with id 'nowhere' on the page"),
    "wrong data-sha256": (dict(sha256="0" * 64), r"data-sha256 says 0{64}, the file's bytes hash to [0-9a-f]{64}"),
    "console error": (dict(extra="<script>throw new Error('planted fault')</script>"),
                      r"console at (phone|desktop) width: .*planted fault"),
    "overflow on a phone": (dict(extra='<div style="width: 900px">wide</div>'),
                            r"at phone width \(390 px\) the page is 9\d\d px wide"),
    "external request": (dict(extra='<img src="http://127.0.0.1:9/x.png" alt="x">'),
                         r'<img src="http://127.0.0.1:9/x.png">: an external request'),
    "external request from a style": (dict(extra='<div style="background: url(http://127.0.0.1:9/b.png)">b</div>'),
                                      r"loaded http://127.0.0.1:9/b.png, which is not part of the site"),
    "outbound link without rel=external": (dict(extra='<a href="https://example.org/x">x</a>'),
                                           r'outbound link needs rel="external"'),
    "root-relative link": (dict(link="/pages/other.html"), r"root-relative link breaks from file://"),
    "image the browser cannot show": (dict(lazy_image="data/table.csv"),
                                      r'<img src="data/table.csv">: the browser could not display the image'),
    "no icon": (dict(icon=False), r'no <link rel="icon">'),
    "download without data-sha256": (dict(extra='<a href="data/table.csv" download>csv</a>'),
                                     r"a download needs data-sha256"),
}


@pytest.mark.browser
@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("fault", FAULTS)
def test_harness_reports_a_planted_fault(chromium: Any, serve: Any, tmp_path: Path, origin: str, fault: str) -> None:
    arguments, expected = FAULTS[fault]
    site = serve(write_fixture_site(tmp_path / "site", fixture_index(**arguments)), origin)
    problems = browser.check_page(chromium, site, "index.html")
    assert any(re.search(expected, problem) for problem in problems), problems


@pytest.mark.browser
def test_harness_finds_a_value_only_beside_its_label_in_one_row(chromium: Any, tmp_path: Path) -> None:
    rows = "<tr><th>EGDI</th><td>0.5</td><td>2024</td></tr><tr><th>HDI</th><td>0.9</td><td>2023</td></tr>"
    site = browser.Site.from_files(write_fixture_site(tmp_path / "site", fixture_index(
        extra=f'<table>{rows}</table><p style="display: none">EGDI 0.77 2024</p>')))
    chromium.get(site.url("index.html"))
    assert browser.rendered_text_around(chromium, "0.5", "EGDI", "2024") == ["EGDI 0.5 2024"]
    assert browser.rendered_text_around(chromium, "0.9", "EGDI") == []  # EGDI is in another row
    assert browser.rendered_text_around(chromium, "0.77", "EGDI") == []  # hidden


@pytest.mark.browser
def test_harness_tells_a_value_on_a_phone_screen_from_one_off_to_the_side(chromium: Any, tmp_path: Path) -> None:
    wide_row = "<td>0.11</td>" + '<td style="white-space: nowrap">' + "x" * 120 + "</td><td>0.22</td>"
    site = browser.Site.from_files(write_fixture_site(tmp_path / "site", fixture_index(
        extra=f'<div style="overflow-x: auto"><table><tr>{wide_row}</tr></table></div>')))
    browser.set_viewport(chromium, browser.PHONE)
    try:
        chromium.get(site.url("index.html"))
        assert browser.shown_in_view(chromium, "0.11") == [True]
        assert browser.shown_in_view(chromium, "0.22") == [False]
    finally:
        browser.set_viewport(chromium, browser.DESKTOP)


# The real site --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_site(release_site: Path) -> Path:
    """The site of the committed processed/ (conftest writes it once per run)."""
    missing = sorted(page for page in PAGES.values() if not (release_site / page).is_file())
    assert not missing, f"write_site wrote no {missing}"
    return release_site


@pytest.mark.browser
@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("name", PAGES)
def test_site_page_loads_without_console_errors_and_every_link_and_download_resolves(
        chromium: Any, serve: Any, real_site: Path, origin: str, name: str) -> None:
    """Also: each download's bytes hash to its data-sha256, and a phone shows the page without sideways
    scrolling. Screenshots of the file:// run go to build/test-artifacts/site/."""
    screenshots = ARTIFACTS if origin == "file" else None
    assert browser.check_page(chromium, serve(real_site, origin), PAGES[name], screenshots=screenshots,
                              name=name) == []


@pytest.mark.browser
@pytest.mark.parametrize("origin", ORIGINS)
def test_kazakhstan_profile_shows_egdi_2024_0_90093(chromium: Any, serve: Any, real_site: Path, origin: str) -> None:
    chromium.get(serve(real_site, origin).url(PAGES["country-KAZ"]))
    shown = browser.rendered_text_around(chromium, "0.90093", "2024")
    assert any(re.search(r"EGDI|E-Government Development Index", text) for text in shown), shown


@pytest.mark.browser
def test_kazakhstan_egdi_2024_is_on_a_phone_screen_wherever_the_profile_shows_it(
        chromium: Any, real_site: Path) -> None:
    """At phone width every place the profile shows 0.90093 (the latest-values table, the trend's caption) is
    on the screen, not hidden to the right of a table that scrolls sideways."""
    browser.set_viewport(chromium, browser.PHONE)
    try:
        chromium.get(browser.Site.from_files(real_site).url(PAGES["country-KAZ"]))
        shown = browser.shown_in_view(chromium, "0.90093")
        assert shown, "the profile does not show 0.90093"
        assert all(shown), f"on screen at phone width, in the order of the page: {shown}"
    finally:
        browser.set_viewport(chromium, browser.DESKTOP)
