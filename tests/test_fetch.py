"""The fetcher against a local HTTP server on 127.0.0.1: retries, faults, hashes, archives."""

from __future__ import annotations

import hashlib
import http.server
import io
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kzegov_data.errors import FetchError, HashMismatchError, ManualDownloadRequired
from kzegov_data.fetch import FetchSettings, Lock, extract_member, fetch_source
from kzegov_data.registry import Licence, RawFile, Source

PAYLOAD = b"Survey Year,Country Name\n2024,Kazakhstan\n" * 200


class Behaviour:
    """What the server does for each successive request to a path."""

    def __init__(self) -> None:
        self.plans: dict[str, list[Callable[[http.server.BaseHTTPRequestHandler], None]]] = {}
        self.hits: dict[str, int] = {}

    def on(self, path: str, *steps: Callable[[http.server.BaseHTTPRequestHandler], None]) -> None:
        self.plans[path] = list(steps)

    def handle(self, request: http.server.BaseHTTPRequestHandler) -> None:
        count = self.hits.get(request.path, 0)
        self.hits[request.path] = count + 1
        steps = self.plans.get(request.path) or [status(404)]
        steps[min(count, len(steps) - 1)](request)


def serve(body: bytes, content_type: str = "text/csv") -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def step(request: http.server.BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return step


def status(code: int) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def step(request: http.server.BaseHTTPRequestHandler) -> None:
        request.send_response(code)
        request.send_header("Content-Length", "0")
        request.end_headers()

    return step


def drop_mid_body(request: http.server.BaseHTTPRequestHandler) -> None:
    request.send_response(200)
    request.send_header("Content-Type", "text/csv")
    request.send_header("Content-Length", str(len(PAYLOAD)))
    request.end_headers()
    request.wfile.write(PAYLOAD[: len(PAYLOAD) // 3])
    request.wfile.flush()
    request.close_connection = True


def stall(request: http.server.BaseHTTPRequestHandler) -> None:
    time.sleep(1.5)
    serve(PAYLOAD)(request)


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A client that timed out and hung up is what the stall tests play; no traceback on stderr.
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, Behaviour]]:
    behaviour = Behaviour()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            behaviour.handle(self)

        def log_message(self, *args: object) -> None:
            pass

    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", behaviour
    finally:
        httpd.shutdown()
        httpd.server_close()


def make_source(url: str | None, name: str = "data.csv", archive_member: str | None = None) -> Source:
    return Source(
        id="demo", publisher="Test", title="Demo", landing_page="https://example.org/demo",
        licence=Licence("CC0", "https://example.org/cc0"), citation="Demo",
        files=(RawFile(name, url=url, archive_member=archive_member),), tables=("demo",),
        manual_download="Open https://example.org/demo and save the file.",
    )


def fast(tmp_path: Path, **options: object) -> FetchSettings:
    settings: dict[str, object] = {"raw_dir": tmp_path / "raw", "timeout": (2.0, 0.5), "retries": 2,
                                   "backoff": 0.01, "progress": False}
    settings.update(options)
    return FetchSettings(**settings)  # type: ignore[arg-type]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_download_streams_hashes_and_pins(server: tuple[str, Behaviour], tmp_path: Path) -> None:
    base, behaviour = server
    behaviour.on("/data.csv", serve(PAYLOAD))
    lock = Lock(tmp_path / "lock.json")
    paths = fetch_source(make_source(f"{base}/data.csv"), fast(tmp_path), lock)
    assert paths["data.csv"].read_bytes() == PAYLOAD
    entry = lock.get("demo", "data.csv")
    assert entry is not None
    assert entry["sha256"] == hashlib.sha256(PAYLOAD).hexdigest()
    assert entry["bytes"] == len(PAYLOAD)
    assert entry["url"] == f"{base}/data.csv"
    assert not [p for p in paths["data.csv"].parent.iterdir() if p.name.endswith(".part")]


def test_503_then_success_is_retried(server: tuple[str, Behaviour], tmp_path: Path) -> None:
    base, behaviour = server
    behaviour.on("/data.csv", status(503), status(503), serve(PAYLOAD))
    paths = fetch_source(make_source(f"{base}/data.csv"), fast(tmp_path), Lock(tmp_path / "lock.json"))
    assert paths["data.csv"].read_bytes() == PAYLOAD
    assert behaviour.hits["/data.csv"] == 3


def test_persistent_503_is_a_clear_error(server: tuple[str, Behaviour], tmp_path: Path) -> None:
    base, behaviour = server
    behaviour.on("/data.csv", status(503))
    with pytest.raises(FetchError, match="HTTP 503"):
        fetch_source(make_source(f"{base}/data.csv"), fast(tmp_path), Lock(tmp_path / "lock.json"))
    assert not (tmp_path / "raw" / "demo" / "data.csv").exists()


def test_timeout_gives_up_with_a_clear_error(server: tuple[str, Behaviour], tmp_path: Path) -> None:
    base, behaviour = server
    behaviour.on("/data.csv", stall)
    with pytest.raises(FetchError, match="could not reach"):
        fetch_source(make_source(f"{base}/data.csv"), fast(tmp_path, retries=1), Lock(tmp_path / "l.json"))
    assert snapshot(tmp_path / "raw") == {}


def test_connection_dropped_mid_body_is_retried(server: tuple[str, Behaviour], tmp_path: Path) -> None:
    base, behaviour = server
    behaviour.on("/data.csv", drop_mid_body, serve(PAYLOAD))
    paths = fetch_source(make_source(f"{base}/data.csv"), fast(tmp_path), Lock(tmp_path / "lock.json"))
    assert paths["data.csv"].read_bytes() == PAYLOAD


def test_connection_always_dropped_fails_and_leaves_nothing(server: tuple[str, Behaviour], tmp_path: Path) -> None:
    base, behaviour = server
    behaviour.on("/data.csv", drop_mid_body)
    with pytest.raises(FetchError, match="connection broke"):
        fetch_source(make_source(f"{base}/data.csv"), fast(tmp_path), Lock(tmp_path / "lock.json"))
    assert snapshot(tmp_path / "raw") == {}


def test_html_page_instead_of_file_is_refused(server: tuple[str, Behaviour], tmp_path: Path) -> None:
    base, behaviour = server
    behaviour.on("/data.csv", serve(b"<!DOCTYPE html><html><body>Please log in</body></html>", "text/html"))
    with pytest.raises(FetchError, match=r"web page \(HTML\)"):
        fetch_source(make_source(f"{base}/data.csv"), fast(tmp_path), Lock(tmp_path / "lock.json"))
    assert snapshot(tmp_path / "raw") == {}


def test_hash_mismatch_keeps_raw_and_says_how_to_accept(server: tuple[str, Behaviour], tmp_path: Path) -> None:
    base, behaviour = server
    behaviour.on("/data.csv", serve(PAYLOAD))
    source = make_source(f"{base}/data.csv")
    lock = Lock(tmp_path / "lock.json")
    fetch_source(source, fast(tmp_path), lock)
    lock.save()
    target = tmp_path / "raw" / "demo" / "data.csv"
    target.write_bytes(b"damaged")  # forces a new download, which now differs from the lock
    behaviour.on("/data.csv", serve(PAYLOAD + b"revised\n"))
    before = snapshot(tmp_path)
    with pytest.raises(HashMismatchError, match="kzegov-data fetch --update demo"):
        fetch_source(source, fast(tmp_path), Lock.load(tmp_path / "lock.json"))
    assert snapshot(tmp_path) == before


def test_update_records_new_hash_and_keeps_old_file(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    (mirror / "demo").mkdir(parents=True)
    (mirror / "demo" / "data.csv").write_bytes(PAYLOAD)
    source = make_source(None)
    lock = Lock(tmp_path / "lock.json")
    fetch_source(source, fast(tmp_path, mirror=mirror), lock)
    old_hash = hashlib.sha256(PAYLOAD).hexdigest()
    (mirror / "demo" / "data.csv").write_bytes(PAYLOAD + b"revised\n")
    with pytest.raises(HashMismatchError):
        fetch_source(source, fast(tmp_path, mirror=mirror), lock, update=False)
    fetch_source(source, fast(tmp_path, mirror=mirror), lock, update=True)
    entry = lock.get("demo", "data.csv")
    assert entry is not None
    assert entry["sha256"] == hashlib.sha256(PAYLOAD + b"revised\n").hexdigest()
    kept = tmp_path / "raw" / "demo" / f"data.csv.{old_hash[:12]}.previous"
    assert kept.read_bytes() == PAYLOAD


def test_mirror_without_the_file_names_the_layout(tmp_path: Path) -> None:
    (tmp_path / "mirror").mkdir()
    with pytest.raises(FetchError, match=r"<source>/<file>"):
        fetch_source(make_source(None), fast(tmp_path, mirror=tmp_path / "mirror"), Lock(tmp_path / "l.json"))


def test_source_without_url_tells_which_page_and_where(tmp_path: Path) -> None:
    with pytest.raises(ManualDownloadRequired) as caught:
        fetch_source(make_source(None), fast(tmp_path), Lock(tmp_path / "l.json"))
    message = str(caught.value)
    assert "https://example.org/demo" in message
    assert str(tmp_path / "raw" / "demo") in message


def test_hand_saved_file_is_pinned(tmp_path: Path) -> None:
    target = tmp_path / "raw" / "demo" / "data.csv"
    target.parent.mkdir(parents=True)
    target.write_bytes(PAYLOAD)
    lock = Lock(tmp_path / "l.json")
    fetch_source(make_source(None), fast(tmp_path), lock)
    assert lock.get("demo", "data.csv")["sha256"] == hashlib.sha256(PAYLOAD).hexdigest()  # type: ignore[index]


def test_offline_refuses_downloads(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="offline"):
        fetch_source(make_source("http://127.0.0.1:9/x.csv"), fast(tmp_path, offline=True), Lock(tmp_path / "l.json"))


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_download_extracts_the_matching_member(server: tuple[str, Behaviour], tmp_path: Path) -> None:
    base, behaviour = server
    archive = zip_bytes({"readme.txt": b"hello", "data_20250101.csv": PAYLOAD})
    behaviour.on("/bundle", serve(archive, "application/zip"))
    source = make_source(f"{base}/bundle", archive_member="data_*.csv")
    paths = fetch_source(source, fast(tmp_path), Lock(tmp_path / "lock.json"))
    assert paths["data.csv"].read_bytes() == PAYLOAD


def test_zip_with_path_traversal_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    archive.write_bytes(zip_bytes({"../../etc/evil.csv": b"x", "data.csv": PAYLOAD}))
    with pytest.raises(FetchError, match="unsafe member"), (tmp_path / "out").open("wb") as out:
        extract_member(archive, "data.csv", out, max_bytes=10_000_000)
    absolute = tmp_path / "absolute.zip"
    absolute.write_bytes(zip_bytes({"/tmp/data.csv": PAYLOAD}))
    with pytest.raises(FetchError, match="unsafe member"), (tmp_path / "out").open("wb") as out:
        extract_member(absolute, "data.csv", out, max_bytes=10_000_000)


def test_zip_member_above_the_size_cap_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(zip_bytes({"data.csv": b"0" * 5_000_000}))  # compresses to a few kB
    with pytest.raises(FetchError, match="cap"), (tmp_path / "out").open("wb") as out:
        extract_member(archive, "data.csv", out, max_bytes=1_000_000)


def test_zip_download_that_is_not_a_zip_is_refused(server: tuple[str, Behaviour], tmp_path: Path) -> None:
    base, behaviour = server
    behaviour.on("/bundle", serve(b"PK not really", "application/zip"))
    with pytest.raises(FetchError, match="not a ZIP"):
        fetch_source(make_source(f"{base}/bundle", archive_member="*.csv"), fast(tmp_path), Lock(tmp_path / "l.json"))
