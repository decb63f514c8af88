"""A real browser for the site tests: Debian's headless Chromium driven by Selenium, a local static server,
and one check of a page (console, links, downloads, phone width, screenshots).

The browser is the system's (``chromium`` and ``chromium-driver``; ``.ci/run`` installs them), never a
downloaded build. Selenium is imported inside the functions that drive it, so that ``conftest`` can ask
:func:`browser_problem` on a machine without it.

``check_page`` returns what is wrong with a page as sentences (an empty list when nothing is), so a test
reads ``assert check_page(...) == []`` and a failure lists every problem at once.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import html.parser
import http.server
import importlib.util
import re
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL_HINT = "apt-get install chromium chromium-driver (.ci/run does it)"

#: Quiet, offline, throwaway: no first-run pages, no updates, no sync, no requests of Chromium's own, and no
#: proxy from the environment between the browser and the local server.
CHROMIUM_ARGUMENTS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--no-first-run", "--no-proxy-server")

#: Tall pages are cut here (the home page at phone width is about 14,000 px): Chromium cannot capture more
#: than 16,384 pixels in one image.
SCREENSHOT_MAX_HEIGHT = 16_000
SHA256_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    #: A phone honours ``<meta name="viewport">``, has overlay scrollbars and zooms out to fit wide content.
    mobile: bool


DESKTOP = Viewport("desktop", 1280, 900, mobile=False)
PHONE = Viewport("phone", 390, 844, mobile=True)


def browser_problem() -> str | None:
    """Why the site tests cannot drive a browser here, or None when they can."""
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed (it is in the dev extra: pip install -e '.[dev]')"
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    if missing:
        return f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing: {INSTALL_HINT}"
    return None


@contextlib.contextmanager
def chromium(profile_dir: Path | None = None) -> Iterator[Any]:
    """Headless Chromium (a Selenium ``WebDriver``) with a fresh profile and the console log kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with contextlib.ExitStack() as stack:
        if profile_dir is None:
            profile_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kzegov-chromium-")))
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for argument in (*CHROMIUM_ARGUMENTS, f"--user-data-dir={profile_dir}"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        stack.callback(driver.quit)
        yield driver


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def static_server(root: Path) -> Iterator[str]:
    """``root`` served by Python's ``http.server`` on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="static-site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class Target:
    """What a link points to: whether it is there, the sha256 of its bytes, and the ids of an HTML page."""

    problem: str | None
    sha256: str = ""
    ids: frozenset[str] = frozenset()


@dataclass
class Site:
    """A site folder as the browser reaches it: over ``file://`` or from a local server (``base_url``)."""

    root: Path
    base_url: str
    _targets: dict[str, Target] = field(default_factory=dict)

    @classmethod
    def from_files(cls, root: Path) -> Site:
        return cls(root, root.resolve().as_uri() + "/")

    @property
    def origin(self) -> str:
        return urlsplit(self.base_url).scheme

    def url(self, page: str) -> str:
        return self.base_url + page

    def target(self, url: str) -> Target:
        """The bytes behind ``url`` (without its fragment), fetched once: over http with urllib, over
        file:// from the disk. A folder is no target over file:// (the browser lists it)."""
        url = url.partition("#")[0]
        if url not in self._targets:
            self._targets[url] = self._fetch(url)
        return self._targets[url]

    def _fetch(self, url: str) -> Target:
        if self.origin == "file":
            path = Path(urllib.request.url2pathname(urlsplit(url).path))
            if path.is_dir():
                return Target(f"{path} is a folder (file:// shows a listing, not its index.html)")
            if not path.is_file():
                return Target(f"{path} does not exist")
            data = path.read_bytes()
        else:
            # A proxy from the environment must not stand between the test and its own server.
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            try:
                with opener.open(url, timeout=30) as response:
                    status, data = response.status, response.read()
            except urllib.error.HTTPError as error:
                return Target(f"HTTP {error.code} {error.reason}")
            except urllib.error.URLError as error:
                return Target(f"unreachable: {error.reason}")
            if status != 200:
                return Target(f"HTTP {status}")
        ids = _html_ids(data) if urlsplit(url).path.endswith((".html", "/")) else frozenset()
        return Target(None, hashlib.sha256(data).hexdigest(), ids)


class _IdCollector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.ids.add(value)


def _html_ids(data: bytes) -> frozenset[str]:
    collector = _IdCollector()
    collector.feed(data.decode("utf-8", errors="replace"))
    return frozenset(collector.ids)


#: Every reference a page makes, as the browser sees it after loading (SVG's ``href`` is an object, so
#: URLs are resolved with ``new URL`` rather than read from the element's properties).
_REFERENCES_JS = """
const refs = [];
for (const el of document.querySelectorAll(
    'a[href], area[href], img[src], link[href], script[src], source[src], iframe[src], video[src], audio[src],'
    + ' [data-sha256], [download]')) {
  const attr = el.hasAttribute('href') ? 'href' : (el.hasAttribute('src') ? 'src' : null);
  const raw = attr ? el.getAttribute(attr) : null;
  let url = null;
  try { url = raw === null ? null : new URL(raw, document.baseURI).href; } catch (e) { url = null; }
  refs.push({tag: el.tagName.toLowerCase(), attr: attr, raw: raw, url: url,
             download: el.hasAttribute('download'), sha256: el.getAttribute('data-sha256'),
             rel: (el.getAttribute('rel') || '').toLowerCase().split(/\\s+/),
             broken_image: el.tagName === 'IMG' && !(el.complete && el.naturalWidth > 0)});
}
const icons = document.querySelectorAll('link[rel~="icon" i]').length;
const ids = Array.from(document.querySelectorAll('[id]'), e => e.id)
  .concat(Array.from(document.querySelectorAll('a[name]'), e => e.getAttribute('name')));
const loaded = performance.getEntriesByType('resource').map(e => e.name);
return {refs: refs, icons: icons, ids: ids, loaded: loaded, text: document.body ? document.body.innerText : ''};
"""

#: Lazy images load only near the viewport: load them all (the check and a full-page screenshot see every one),
#: then wait until each is decoded or has failed.
_LOAD_IMAGES_JS = """
const done = arguments[arguments.length - 1];
const images = Array.from(document.images);
for (const image of images) { image.loading = 'eager'; }
Promise.all(images.map(image => image.decode().catch(() => null))).then(() => done(images.length));
"""

_WIDTH_JS = "return [document.documentElement.scrollWidth, window.innerWidth];"


@dataclass(frozen=True)
class Reference:
    tag: str
    attr: str | None
    raw: str | None
    url: str | None
    download: bool
    sha256: str | None
    rel: tuple[str, ...]
    broken_image: bool

    def __str__(self) -> str:
        return f'<{self.tag} {self.attr}="{self.raw}">' if self.attr else f"<{self.tag}>"


def reference_problems(site: Site, reference: Reference, page_ids: frozenset[str], text: str) -> list[str]:
    """What is wrong with one reference: a relative one must resolve inside the site (a file, an anchor that
    exists), a download must state a sha256 (``data-sha256``) and every stated sha256 must be its file's;
    only outbound links (``rel="external"``) may leave the site."""
    problems = []
    if reference.download and reference.sha256 is None:
        problems.append(f"{reference}: a download needs data-sha256")
    if reference.sha256 is not None and not SHA256_HEX.fullmatch(reference.sha256):
        problems.append(f"{reference}: data-sha256={reference.sha256!r} is not 64 lowercase hex digits")
    if reference.broken_image:
        problems.append(f"{reference}: the browser could not display the image")
    raw = reference.raw
    if raw is None:
        return problems
    parts = urlsplit(raw)
    if raw.startswith("#"):
        fragment = unquote(raw[1:])
        if fragment and fragment not in page_ids:
            problems.append(f"{reference}: no element with id {fragment!r} on the page")
        return problems
    if parts.scheme or raw.startswith("//"):
        if parts.scheme in ("http", "https", "") and reference.tag == "a" and "external" in reference.rel:
            return problems
        if parts.scheme in ("mailto", "data") and reference.tag in ("a", "link", "img"):
            return problems
        kind = "an outbound link needs rel=\"external\"" if reference.tag == "a" else "an external request"
        problems.append(f"{reference}: {kind} (the site works offline and links relatively)")
        return problems
    if raw.startswith("/"):
        problems.append(f"{reference}: a root-relative link breaks from file:// and on a host's subfolder")
        return problems
    if reference.url is None or not reference.url.startswith(site.base_url):
        problems.append(f"{reference}: resolves to {reference.url}, outside the site {site.base_url}")
        return problems
    target = site.target(reference.url)
    if target.problem:
        problems.append(f"{reference}: {target.problem}")
        return problems
    fragment = unquote(parts.fragment)
    if fragment and fragment not in target.ids:
        problems.append(f"{reference}: the page it points to has no element with id {fragment!r}")
    if reference.sha256 is not None and target.sha256 != reference.sha256:
        problems.append(f"{reference}: data-sha256 says {reference.sha256}, the file's bytes hash to {target.sha256}")
    if reference.sha256 and reference.sha256 not in text:
        problems.append(f"{reference}: the page does not show its sha256 as text")
    return problems


def set_viewport(driver: Any, viewport: Viewport) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": viewport.width, "height": viewport.height, "deviceScaleFactor": 1, "mobile": viewport.mobile})


def console_errors(driver: Any) -> list[str]:
    """The console's SEVERE entries since the last call (script errors, failed loads)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def save_screenshot(driver: Any, viewport: Viewport, path: Path) -> None:
    """The whole page (up to ``SCREENSHOT_MAX_HEIGHT``) at the viewport's width, as PNG."""
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    height = min(max(metrics["cssContentSize"]["height"], viewport.height), SCREENSHOT_MAX_HEIGHT)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": viewport.width, "height": height, "scale": 1}})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def check_page(driver: Any, site: Site, page: str, *, screenshots: Path | None = None,
               name: str | None = None) -> list[str]:
    """Open ``page`` (a path inside the site) at desktop and phone widths and say what is wrong.

    Checked: the page is there; no console errors at either width; every reference resolves
    (:func:`reference_problems`); every resource the browser loaded came from the site; at phone width
    the page is laid out at the phone's width (a ``<meta name="viewport">``) and nothing makes it wider
    than the screen (a phone would zoom out). With ``screenshots``, saves ``<name>-desktop.png`` and
    ``<name>-phone.png`` there (``name`` defaults to the page path). The browser is left on the page,
    at desktop width.
    """
    url = site.url(page)
    page_target = site.target(url)
    if page_target.problem:
        return [f"{page} ({site.origin}): {page_target.problem}"]
    name = name or page.removesuffix(".html").replace("/", "-")
    problems: list[str] = []
    console_errors(driver)  # forget what earlier pages logged
    for viewport in (PHONE, DESKTOP):  # desktop last, so the browser stays there
        set_viewport(driver, viewport)
        driver.get(url)
        driver.execute_async_script(_LOAD_IMAGES_JS)
        problems += [f"console at {viewport.name} width: {message}" for message in console_errors(driver)]
        if viewport is PHONE:
            # A phone zooms out to fit content wider than its screen (window.innerWidth grows with it), so
            # both widths are checked against the phone's.
            scroll_width, inner_width = driver.execute_script(_WIDTH_JS)
            if max(scroll_width, inner_width) > viewport.width + 1 or scroll_width > inner_width + 1:
                width = max(scroll_width, inner_width)
                problems.append(f"at phone width ({viewport.width} px) the page is {width} px wide (scrollWidth "
                                f"{scroll_width}, innerWidth {inner_width}): something is wider than the screen, "
                                "or <meta name=\"viewport\" content=\"width=device-width\"> is missing")
        if screenshots is not None:
            save_screenshot(driver, viewport, screenshots / f"{name}-{viewport.name}.png")
    found = driver.execute_script(_REFERENCES_JS)
    page_ids = frozenset(found["ids"])
    if not found["icons"]:
        problems.append('no <link rel="icon">: a browser then asks the host for /favicon.ico (a 404 in the console '
                        "over http, and from the host's root when the site sits in a subfolder)")
    for item in found["refs"]:
        reference = Reference(item["tag"], item["attr"], item["raw"], item["url"], item["download"],
                              item["sha256"], tuple(item["rel"]), item["broken_image"])
        problems += reference_problems(site, reference, page_ids, found["text"])
    problems += [f"loaded {loaded}, which is not part of the site" for loaded in found["loaded"]
                 if not loaded.startswith((site.base_url, "data:", "blob:"))]
    return [f"{page} ({site.origin}): {problem}" for problem in problems]


#: Elements that hold many items: the words must show in the value's own row, item or card, not in these.
ITEM_CONTAINERS = frozenset({"table", "thead", "tbody", "ul", "ol", "dl", "section", "article", "main", "nav",
                             "header", "footer", "body", "html"})


def rendered_text_around(driver: Any, value: str, *words: str) -> list[str]:
    """The rendered text (Selenium's visible text) of the smallest element around each displayed
    occurrence of ``value`` that also shows every one of ``words``: its table row, list item or card
    (never a whole table, list or section, see ``ITEM_CONTAINERS``)."""
    from selenium.webdriver.common.by import By

    found = []
    for element in driver.find_elements(By.XPATH, f"//body//*[text()[contains(., '{value}')]]"):
        if not element.is_displayed():
            continue
        for ancestor in reversed(element.find_elements(By.XPATH, "ancestor-or-self::*")):
            if ancestor.tag_name.lower() in ITEM_CONTAINERS:
                break
            if all(word in ancestor.text for word in words):
                found.append(ancestor.text)
                break
    return found


#: For each occurrence of the text: scroll it to the middle of the screen (vertically only), then ask the
#: browser what is drawn at its left and right ends; a table that scrolls sideways inside its wrapper
#: draws the wrapper (or nothing) there instead.
_IN_VIEW_JS = """
const value = arguments[0];
const seen = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  const start = node.nodeValue.indexOf(value);
  if (start < 0) continue;
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + value.length);
  let rect = range.getBoundingClientRect();
  if (rect.width === 0 && rect.height === 0) continue;
  window.scrollTo(window.scrollX, window.scrollY + rect.top - window.innerHeight / 2);
  rect = range.getBoundingClientRect();
  const y = rect.top + rect.height / 2;
  const ends = [rect.left + 1, rect.right - 1].map(x => document.elementFromPoint(x, y));
  seen.push(ends.every(hit => hit !== null && node.parentElement.contains(hit)));
}
window.scrollTo(0, 0);
return seen;
"""


def shown_in_view(driver: Any, value: str) -> list[bool]:
    """For each place the page shows ``value``: whether a reader sees all of it on the screen once the
    page is scrolled down to it (False when it sits off to the side, say in a table that scrolls sideways)."""
    return list(driver.execute_script(_IN_VIEW_JS, value))
