"""What a person sees: the report in a real headless Chromium (also at 1,000 articles), and `make browse`'s Datasette over HTTP.

Chromium is Debian's ``chromium`` package (.ci/run installs it when missing), driven over the
DevTools protocol with a websocket, so the test sees console errors and exceptions as they
happen, measures the charts as laid out, and saves a full-page screenshot.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from synthetic_news import build_news_store
from test_report import seed_database

from quotes.cli import cli

ROOT = Path(__file__).resolve().parents[1]

#: Flags every run of Chromium gets: no sandbox (root in CI), no GPU, nothing fetched or synced.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
)
#: Seconds to wait for Chromium or Datasette to come up, and for one DevTools answer.
TIMEOUT = 30
#: The tallest a report of 1,000 articles may be, in CSS pixels at 1280 px wide (50 articles once made 51,700).
READABLE_HEIGHT = 25_000
#: Seconds `quotes report` may take for 1,000 articles, start-up included ("under a few seconds").
REPORT_SECONDS = 5


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    pytest.skip("Chromium is not installed: `apt-get install chromium` (.ci/run installs it)")


class DevTools:
    """One headless Chromium with a fresh profile, driven over the DevTools protocol.

    Every event received is kept in ``events``, so console errors are seen whenever they came.
    """

    def __init__(self, chromium: str, profile: Path) -> None:
        import websocket

        self.log = (profile.parent / "chromium.log").open("wb")
        self.process = subprocess.Popen(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "--window-size=1280,900", "--hide-scrollbars", "about:blank"],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"Chromium did not start; see {self.log.name}")
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=TIMEOUT) as answer:
            page = next(t for t in json.load(answer) if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=TIMEOUT,
                                                  suppress_origin=True)
        self.events: list[dict] = []
        self.next_id = 0
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")

    def call(self, method: str, **params: object) -> dict:
        """Send one command and return its result, keeping the events that arrive meanwhile."""
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.events.append(message)

    def wait_for(self, event: str) -> dict:
        """The first event of this name, waiting for it when it has not come yet."""
        while True:
            for message in self.events:
                if message.get("method") == event:
                    return message["params"]
            self.events.append(json.loads(self.socket.recv()))

    def open(self, url: str) -> None:
        """Load ``url`` and wait for its load event."""
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> object:
        """The JSON value of a JavaScript expression in the page."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors (failed loads included) so far."""
        found = []
        for message in self.events:
            params = message.get("params", {})
            if message.get("method") == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                found.append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
            elif message.get("method") == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"].get("text", "exception"))
            elif message.get("method") == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(f"{params['entry'].get('url', '')}: {params['entry']['text']}")
        return found

    def screenshot(self, path: Path) -> None:
        """Save the whole page, not just the window, as a PNG."""
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        if getattr(self, "socket", None):
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory, nlp) -> Path:
    """The seeds in a file named quotes.sqlite, as the checkout's default database is."""
    return seed_database(tmp_path_factory.mktemp("seeded") / "quotes.sqlite", nlp)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    chrome = DevTools(_chromium(), tmp_path / "profile")
    yield chrome
    chrome.close()


def test_the_report_renders_in_chromium_with_every_chart_and_source_link(seeded_db, browser, tmp_path):
    report = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["--db", str(seeded_db), "report", "-o", str(report)])
    assert result.exit_code == 0, result.output

    browser.open(report.as_uri())
    browser.screenshot(tmp_path / "report.png")

    assert browser.errors() == []
    charts = browser.evaluate(
        "[...document.querySelectorAll('svg')].map(s => {const r = s.getBoundingClientRect();"
        " return {label: s.getAttribute('aria-label'), width: r.width, height: r.height}})"
    )
    labels = [chart["label"] for chart in charts]
    assert "Quotes per speaker" in labels
    assert "Roles of John Kirby over time" in labels
    assert "Quotes of each speaker carried by each outlet" in labels
    assert all(chart["width"] > 100 and chart["height"] > 50 for chart in charts), charts
    links = browser.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    with sqlite3.connect(seeded_db) as db:
        sources = {row[0] for row in db.execute("select distinct url from quote_sources")}
    assert len(sources) > 2
    for source in sources:  # the real seeds have no URL: their links are the files, relative to the report
        assert (source if source.startswith("https://") else Path(source).as_uri()) in links, source
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert browser.evaluate("document.querySelector('h1').textContent") == "Who said what, where"
    assert browser.evaluate("getComputedStyle(document.querySelector('mark')).backgroundColor") != "rgba(0, 0, 0, 0)"


def test_a_report_of_a_thousand_articles_stays_readable_and_its_index_filters_and_sorts(browser, tmp_path):
    db = build_news_store(tmp_path / "quotes.sqlite")
    report = tmp_path / "report.html"
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "quotes", "--db", str(db), "report", "-o", str(report)], check=True,
                   capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert time.perf_counter() - began < REPORT_SECONDS

    browser.open(report.as_uri())
    browser.screenshot(tmp_path / "report.png")

    assert browser.errors() == []
    height = browser.evaluate("document.documentElement.scrollHeight")
    assert 5_000 < height < READABLE_HEIGHT, height
    rows = "[...document.querySelectorAll('#speaker-index tbody tr')]"
    with sqlite3.connect(db) as conn:
        speakers = conn.execute("select count(distinct speaker_id) from quotes").fetchone()[0]
    assert browser.evaluate(f"{rows}.length") == speakers
    assert browser.evaluate("document.getElementById('index-count').textContent") == f"{speakers} of {speakers} speakers"

    browser.evaluate("const box = document.getElementById('index-filter'); box.value = 'marta energy';"
                     " box.dispatchEvent(new Event('input'))")  # as if typed: a given name and a word of a role
    shown = browser.evaluate(f"{rows}.filter(r => !r.hidden).map(r => r.textContent.toLowerCase())")
    assert shown and len(shown) < speakers
    assert all("marta" in row and "energy" in row for row in shown)
    assert browser.evaluate("document.getElementById('index-count').textContent") == \
        f"{len(shown)} of {speakers} speakers"

    browser.evaluate("document.getElementById('index-filter').value = '';"
                     " document.getElementById('index-filter').dispatchEvent(new Event('input'));"
                     " document.querySelectorAll('#speaker-index th button')[1].click()")  # Speaker: A to Z
    names = browser.evaluate(f"{rows}.map(r => r.cells[1].textContent)")
    assert names == sorted(names, key=str.lower) and len(names) == speakers
    browser.evaluate("document.querySelectorAll('#speaker-index th button')[3].click()")  # Quotes: most first
    quotes = browser.evaluate(f"{rows}.map(r => Number(r.cells[3].textContent.replace(/,/g, '')))")
    assert quotes == sorted(quotes, reverse=True)
    assert browser.errors() == []
    assert (tmp_path / "report.png").stat().st_size > 50_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _json_once_up(url: str, server: subprocess.Popen) -> object | None:
    """The JSON at ``url``, retried until the server answers; None if it exits or TIMEOUT passes first."""
    deadline = time.monotonic() + TIMEOUT
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return json.load(answer)
        except OSError:  # not listening yet
            time.sleep(0.2)
    return None


def test_make_browse_serves_canned_queries_read_only(seeded_db, tmp_path):
    port = _free_port()
    before = seeded_db.read_bytes()
    log = tmp_path / "browse.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            ["make", "-s", "browse", f"DB={seeded_db}", f"PORT={port}", "HOST=127.0.0.1"],
            cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    query = urllib.parse.urlencode({"speaker": "kirby", "_shape": "array"})
    try:
        rows = _json_once_up(f"http://127.0.0.1:{port}/quotes/quotes_by_speaker.json?{query}", server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # make and the Datasette it started
        server.wait(timeout=TIMEOUT)
    assert rows is not None, log.read_text()
    assert {row["speaker"] for row in rows} == {"John Kirby"}
    assert {row["outlet"] for row in rows} >= {"Fox News", "Benzinga"}
    assert any("from Pyongyang" in row["mention_text"] for row in rows)  # Benzinga's wording, same quote
    assert seeded_db.read_bytes() == before
