"""End to end in a real browser: `streamlit run dashboard/app.py` headless on a free port
against a tmp embedded store with the seed data, driven by Debian's Chromium through
Playwright. The pages draw their charts, the network view runs inside its iframe, and
nothing is requested from any host but the local server.

Skipped (with the reason) when /usr/bin/chromium is missing, unless CI=true or
INSIKT_REQUIRE_E2E=1, which make a missing browser a failure. scripts/ensure_chromium.sh
installs it.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from dashboard import network_html
from dashboard.i18n import SV
from graph.embedded import EmbeddedStore
from insikt_cli.dashboard_cmd import streamlit_command
from queries import subgraph
from tests.conftest import ROOT, SEED
from tests.dashboard.conftest import expected_shared, seed

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "artifacts" / "screenshots"
TIMINGS = ROOT / "artifacts" / "timings" / "browser.json"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
WAIT_MS = 60_000


def _required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("INSIKT_REQUIRE_E2E") == "1"


def _missing(reason: str) -> None:
    if _required():
        pytest.fail(f"{reason} (CI=true or INSIKT_REQUIRE_E2E=1 make this a failure; "
                    "scripts/ensure_chromium.sh installs the browser)", pytrace=False)
    pytest.skip(f"{reason}; run scripts/ensure_chromium.sh to install it")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _missing("no Chromium at /usr/bin/chromium for the end-to-end test")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def dashboard(env: dict[str, str], folder: Path) -> Iterator[str]:
    """The dashboard as `insikt dashboard` starts it, on a free port, with `env`."""
    port = _free_port()
    log = (folder / "streamlit.log").open("w")
    proc = subprocess.Popen(streamlit_command("127.0.0.1", port), cwd=folder,
                            env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError("streamlit exited: "
                                     + (folder / "streamlit.log").read_text()[-2000:])
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("streamlit did not answer within 60 s")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def server(seed_store_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on the seed data, in its own copy of the embedded store."""
    folder = tmp_path_factory.mktemp("e2e")
    store = folder / "graph.json"
    store.write_bytes(seed_store_file.read_bytes())
    with dashboard({"INSIKT_BACKEND": "embedded", "INSIKT_STORE": str(store)}, folder) as base:
        yield base


def _is_local(url: str) -> bool:
    u = urlparse(url)
    if u.scheme in ("data", "blob", "about"):
        return True
    return u.scheme in ("http", "https", "ws", "wss") and u.hostname in LOCAL_HOSTS


SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelector('[data-testid="stSkeleton"]') === null;
}"""


def _settled(page: Any) -> None:
    """Wait until Streamlit has run the script and every element has left its skeleton."""
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    page.wait_for_timeout(300)  # vega-embed and the table grids draw right after


def test_pages_in_a_real_browser(browser: Any, server: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 2300})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))  # every frame of every page
    page = context.new_page()
    timings: dict[str, float] = {}

    def visit(name: str, path: str, ready: str) -> None:
        started = time.perf_counter()
        page.goto(f"{server}/{path}")
        page.wait_for_selector(ready, timeout=WAIT_MS)
        _settled(page)
        timings[name] = round(time.perf_counter() - started, 2)

    try:
        visit("overview", "", '[data-testid="stMetric"]')
        page.wait_for_function("() => document.querySelectorAll('.vega-embed').length >= 2",
                               timeout=WAIT_MS)
        assert page.get_by_text(SV["overview.heaviest"]).count() == 1
        page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)
        with page.expect_download(timeout=WAIT_MS) as download:  # the governance report
            page.locator(".st-key-dl_report_html button").click()
        report = Path(download.value.path()).read_text(encoding="utf-8")
        assert report.startswith("<!DOCTYPE html>") and not network_html.external_refs(report)

        # Overlap, by the URL path of its page: the heatmap is a vega-embed canvas or svg
        visit("overlap", "overlapp", ".vega-embed canvas, .vega-embed svg")
        assert page.locator(".vega-embed").count() >= 1
        page.get_by_text(SV["overlap.pair"]).first.wait_for(timeout=WAIT_MS)
        page.screenshot(path=str(SHOTS / "overlap.png"), full_page=True)
        # the CSV beside the drill-down table (made when the button is pressed)
        with page.expect_download(timeout=WAIT_MS) as download:
            page.locator(".st-key-dl_ov_pair button").click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        pair = ("forsakringskassan", "pensionsmyndigheten")  # the default: the top pair
        assert {r[SV["col.insight"]] for r in rows} == expected_shared(*pair)

        # Network, by clicking its link in the sidebar: vis-network draws into a canvas in
        # the iframe, and switches physics off once the layout is stable
        started = time.perf_counter()
        page.locator('[data-testid="stSidebarNav"] a', has_text=SV["page.network"]).click()
        frame = page.frame_locator("iframe").first
        frame.locator("#mynetwork canvas").wait_for(timeout=WAIT_MS)
        _settled(page)
        timings["network"] = round(time.perf_counter() - started, 2)
        frame.locator("body[data-physics='off']").wait_for(state="attached", timeout=WAIT_MS)
        assert frame.locator(".insikt-legend").count() == 1
        page.screenshot(path=str(SHOTS / "network.png"), full_page=True)

        visit("life_events", "livshandelser", ".vega-embed canvas, .vega-embed svg")
        page.screenshot(path=str(SHOTS / "life_events.png"), full_page=True)

        # Collaboration: the suggested networks (the first one open), the bridges chart
        visit("collaboration", "samverkan", ".vega-embed canvas, .vega-embed svg")
        assert page.locator('[data-testid="stExpander"]').count() >= 3
        assert page.get_by_text(SV["collab.networks"], exact=True).count() == 1
        page.screenshot(path=str(SHOTS / "collaboration.png"), full_page=True)
    finally:
        context.close()
        TIMINGS.parent.mkdir(parents=True, exist_ok=True)
        TIMINGS.write_text(json.dumps(timings, indent=2))

    outside = sorted({u for u in requests if not _is_local(u)})
    assert requests and not outside, f"requests outside localhost: {outside}"


def test_hostile_data_stays_text_in_the_browser(browser: Any, xss_store_file: Path) -> None:
    """The XSS fixture's network view, run in Chromium: no script of the data runs (no
    dialog), labels come out as plain text and tooltips hold no element from the data."""
    g = EmbeddedStore(xss_store_file).to_networkx()
    view = subgraph.neighbourhood(g, "LifeEvent:handelse", 6, subgraph.LABEL_ORDER)
    page_html = network_html.network_html(g, view, "sv", {lb: lb for lb in subgraph.LABEL_ORDER})
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(d: Any) -> None:
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    try:
        page.set_content(page_html)
        page.locator("body[data-physics='off']").wait_for(state="attached", timeout=WAIT_MS)
        label = page.evaluate("() => nodes.get('Agency:skript').label")
        tip = page.evaluate("""() => { const t = nodes.get('Insight:bild').title;
            return [t.textContent, t.querySelectorAll('img, script, svg').length]; }""")
        page.mouse.move(10, 10)
        page.wait_for_timeout(500)
    finally:
        context.close()
    assert dialogs == []
    assert label == "<script>alert(1)</script>"  # drawn as text on the canvas
    assert "<img src=x onerror=alert(1)>" in tip[0] and tip[1] == 0
    assert not [u for u in requests if not _is_local(u)]


# -- click-to-explore and the console's deep link ---------------------------------------------

def _explore_frame(page: Any) -> Any:
    """The network page inside the click-to-explore component, once its layout has settled."""
    page.wait_for_selector("iframe[sandbox='allow-scripts']", timeout=WAIT_MS)
    deadline = time.monotonic() + 30
    while True:
        frames = [f for f in page.frames if f.url == "about:srcdoc"]
        if frames:
            frame = frames[-1]
            try:
                frame.wait_for_selector("body[data-physics='off']", state="attached",
                                        timeout=WAIT_MS)
                return frame
            except Exception:  # the frame was replaced while we waited (a new view)
                if time.monotonic() > deadline:
                    raise
        page.wait_for_timeout(100)


def _drawn(page: Any) -> list[str]:
    return sorted(_explore_frame(page).evaluate("() => nodes.getIds()"))


def _node_point(page: Any, key: str) -> tuple[float, float]:
    """Where a node is on the screen: its canvas position, through the frame's offset."""
    frame = _explore_frame(page)
    p = frame.evaluate("(k) => network.canvasToDOM(network.getPositions([k])[k])", key)
    box = page.locator("iframe[sandbox='allow-scripts']").first.bounding_box()
    return box["x"] + p["x"], box["y"] + p["y"]


def _heading(page: Any) -> list[str]:
    return [h.strip() for h in page.locator('[data-testid="stHeading"]').all_inner_texts()]


def _until(page: Any, check: Callable[[], bool], what: str) -> None:
    """Wait until `check()` holds (a click's message starts a rerun some time later; a frame
    read while it is replaced raises, which counts as not yet), then until the app settles."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        try:
            if check():
                break
        except Exception:  # a detached frame, an element not drawn yet
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(200)
    _settled(page)


def _placed(page: Any) -> int:
    return int(page.locator("div.insikt-net").first.get_attribute("data-placed") or 0)


def test_click_to_explore_in_a_real_browser(browser: Any, server: str) -> None:
    """Click a node: its details; double-click: the focus moves; expand a neighbour with the
    panel's button; back and forward with the layout kept; reload from the URL: the same view.
    Every click counted."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    clicks = 0
    try:
        page.goto(f"{server}/natverk?focus=Agency:forsakringskassan&depth=1")
        _settled(page)
        start = _drawn(page)
        assert "LifeEvent:bli-sjuk" in start and "Försäkringskassan" in _heading(page)
        # the settled layout goes back to Python, which then places every node itself
        _until(page, lambda: _placed(page) == len(start), "the layout to be kept")
        layout = _explore_frame(page).evaluate("() => network.getPositions()")

        page.mouse.click(*_node_point(page, "LifeEvent:bli-sjuk"))
        clicks += 1
        _until(page, lambda: "Bli sjuk" in _heading(page), "the clicked node's details")
        assert _drawn(page) == start  # a click changes the panel, not the view
        page.screenshot(path=str(SHOTS / "network-clicked.png"), full_page=True)

        page.mouse.dblclick(*_node_point(page, "LifeEvent:bli-sjuk"))
        clicks += 1
        _until(page, lambda: "focus=LifeEvent%3Abli-sjuk" in page.url and _drawn(page) != start,
               "the new focus")
        refocused = _drawn(page)
        assert "Agency:forsakringskassan" in refocused

        # expand a neighbour: select it, then its button in the panel
        agency = "Agency:arbetsgivaren" if "Agency:arbetsgivaren" in refocused else next(
            n for n in refocused if n.startswith("Agency:"))
        page.mouse.click(*_node_point(page, agency))
        clicks += 1
        _until(page, lambda: "Bli sjuk" not in _heading(page), "the agency's details")
        page.locator(".st-key-net_expand button").click()
        clicks += 1
        _until(page, lambda: "expand=" + agency.replace(":", "%3A") in page.url
               and set(_drawn(page)) > set(refocused), "the expanded view")
        expanded = _drawn(page)
        page.screenshot(path=str(SHOTS / "network-expanded.png"), full_page=True)

        # back to the agency's view, and forward again
        page.locator(".st-key-net_back button").first.click()
        _until(page, lambda: "focus=Agency%3Aforsakringskassan" in page.url
               and _drawn(page) == start and _placed(page) == len(start), "going back")
        # a new frame, yet every node is where it was: the layout was kept in the session
        again = _explore_frame(page).evaluate("() => network.getPositions()")
        assert again.keys() == layout.keys()
        assert all(abs(again[k]["x"] - layout[k]["x"]) < 1 and abs(again[k]["y"] - layout[k]["y"])
                   < 1 for k in layout)
        page.locator(".st-key-net_forward button").first.click()
        _until(page, lambda: _drawn(page) == expanded, "going forward")

        # the URL alone brings the same view back (a reload, a link sent to someone)
        link = page.url
        fresh = context.new_page()
        fresh.goto(link)
        _settled(fresh)
        _until(fresh, lambda: _drawn(fresh) == expanded, "the view from its link")
        assert fresh.url == link
        fresh.screenshot(path=str(SHOTS / "network-reloaded.png"), full_page=True)
        # the download is the same view, titled and with its context
        with fresh.expect_download(timeout=WAIT_MS) as download:
            fresh.locator(".st-key-dl_html_natverk button").click()
        saved = Path(download.value.path()).read_text(encoding="utf-8")
        assert "<title>Insiktsgrafen – Nätverk: Bli sjuk" in saved
        assert "insikt-context" in saved and not network_html.external_refs(saved)
    finally:
        context.close()
    assert clicks == 4
    assert not [u for u in requests if not _is_local(u)]


@pytest.mark.neo4j
def test_console_deep_link_in_a_real_browser(browser: Any, neo4j_store: Any,
                                              tmp_path: Path) -> None:
    """A console link with a parameterised query, opened in the browser on Neo4j: the
    console is filled in, the rows are there and so is their graph."""
    from loaders.load import load_dataset

    load_dataset(neo4j_store, SEED)
    query = ("MATCH (a:Agency {id: $agency})-[r:REPORTS]->(i:Insight) RETURN a, r, i "
             "ORDER BY i.id LIMIT $n")
    link = "fragor?" + urllib.parse.urlencode({"cy": query, "cy.agency": "forsakringskassan",
                                               "cy.n": "3", "cyt.n": "int"})
    with dashboard({"INSIKT_BACKEND": "neo4j"}, tmp_path) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 2600})
        page = context.new_page()
        try:
            page.goto(f"{base}/{link}")
            _settled(page)
            assert page.locator(".st-key-cy_text textarea").input_value() == query
            reported = sorted(i["id"] for i in seed("insights")
                              if any(r["agency"] == "forsakringskassan"
                                     for r in i.get("reported_by") or []))[:3]
            want = sorted(["Agency:forsakringskassan", *(f"Insight:{i}" for i in reported)])

            def drawn() -> list[list[str]]:
                return [sorted(f.evaluate("() => nodes.getIds()")) for f in page.frames
                        if f.url == "about:srcdoc"
                        and f.evaluate("() => typeof nodes") != "undefined"]

            _until(page, lambda: want in drawn(), "the result's graph")
            page.screenshot(path=str(SHOTS / "console-deep-link.png"), full_page=True)
        finally:
            context.close()


def test_hostile_data_through_the_explore_component(browser: Any, xss_store_file: Path,
                                                    tmp_path: Path) -> None:
    """The XSS fixture on the network page: the hostile agency as the focus, clicked, in the
    component's sandboxed frame and in the side panel. No script of the data runs, the name
    is shown as text, and nothing leaves localhost."""
    store = tmp_path / "graph.json"
    store.write_bytes(xss_store_file.read_bytes())
    with dashboard({"INSIKT_BACKEND": "embedded", "INSIKT_STORE": str(store)}, tmp_path) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1400})
        requests: list[str] = []
        context.on("request", lambda r: requests.append(r.url))
        page = context.new_page()
        dialogs: list[str] = []

        def on_dialog(d: Any) -> None:
            dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        try:
            page.goto(f"{base}/natverk?focus=Agency:skript&depth=2")
            _settled(page)
            frame = _explore_frame(page)
            assert frame.evaluate("() => nodes.get('Agency:skript').label") == \
                "<script>alert(1)</script>"
            page.mouse.click(*_node_point(page, "Agency:skript"))
            # the panel shows the name as text, not markup
            _until(page, lambda: "<script>alert(1)</script>" in _heading(page), "the details")
            # the frame has an opaque origin: it cannot reach the app's page
            assert frame.evaluate("() => { try { return !!parent.document; } "
                                  "catch (e) { return 'blocked'; } }") == "blocked"
            page.mouse.move(20, 20)
            page.wait_for_timeout(300)
        finally:
            context.close()
    assert dialogs == []
    assert not [u for u in requests if not _is_local(u)]
A4_PRINTABLE_PX = round((210 - 2 * 12) / 25.4 * 96)
"""The width of an A4 page inside the report's 12 mm print margins, in CSS px (703)."""
REPORT_SHOTS = Path("/tmp/insikt-report-shots")
OVERFLOW = """(limit) => {
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const box = e.getBoundingClientRect();
    if (box.width > 0 && (box.right > limit + 0.5 || box.left < -0.5))
      out.push(e.tagName + ' ' + Math.round(box.left) + '..' + Math.round(box.right) + ' '
               + (e.textContent || '').slice(0, 40));
  }
  return out.slice(0, 10);
}"""
CLIPPED_LABELS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg')) {
    const vb = svg.viewBox.baseVal;
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBBox();
      if (b.x < vb.x - 0.5 || b.x + b.width > vb.x + vb.width + 0.5)
        out.push(Math.round(b.x) + '..' + Math.round(b.x + b.width) + ' ' + t.textContent);
    }
  }
  return out.slice(0, 10);
}"""


@pytest.fixture(scope="module")
def reports(large_dataset: Path) -> dict[tuple[str, str], tuple[Path, Any]]:
    """The governance report of the seed and of the large synthetic dataset (a full
    30-agency matrix, long names) in both languages, written to /tmp/insikt-report-shots."""
    import networkx as nx

    from graph.store import apply_graph_data
    from loaders.dataset import read_dataset
    from queries.report import build_report, render_html
    from tests.conftest import SEED

    REPORT_SHOTS.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, folder in (("seed", SEED), ("large", large_dataset)):
        g = nx.MultiDiGraph()
        apply_graph_data(g, read_dataset(folder))
        for lang in ("sv", "en"):
            report = build_report(g, lang=lang)
            path = REPORT_SHOTS / f"report-{name}-{lang}.html"
            path.write_text(render_html(report), encoding="utf-8")
            out[(name, lang)] = (path, report)
    return out


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("data", ["seed", "large"])
def test_the_report_fits_the_window_and_a4(browser: Any, reports: dict[tuple[str, str], Any],
                                           data: str, lang: str) -> None:
    """The governance report in a 1,400 px window and as an A4 page in print: nothing is wider
    than the page, chart labels fit their charts, and the matrix names agencies (not slugs).
    Screenshots and PDFs stay in /tmp/insikt-report-shots for a look."""
    path, report = reports[(data, lang)]
    stem = REPORT_SHOTS / f"report-{data}-{lang}"
    whole = data == "seed"  # the large report is long: its top (the matrix) is enough to see
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    try:
        page.goto(path.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 1400
        assert page.evaluate(OVERFLOW, 1400) == []
        assert page.evaluate(CLIPPED_LABELS) == []
        page.screenshot(path=f"{stem}-1400.png", full_page=whole)
        matrix = page.inner_text("table.matrix")
        assert report.name("Agency", report.matrix.agencies[0]) in matrix
        assert not set(report.matrix.agencies) & set(matrix.split())  # names, not slugs
        page.emulate_media(media="print")
        page.set_viewport_size({"width": A4_PRINTABLE_PX, "height": 1000})
        assert page.evaluate("document.documentElement.scrollWidth") <= A4_PRINTABLE_PX
        assert page.evaluate(OVERFLOW, A4_PRINTABLE_PX) == []
        assert page.evaluate(CLIPPED_LABELS) == []
        page.screenshot(path=f"{stem}-a4.png", full_page=whole)
        if whole:
            page.pdf(path=f"{stem}.pdf", format="A4")
    finally:
        page.close()
