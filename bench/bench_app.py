"""Benchmark the explorer in Chromium: page load to a still graph, reruns, and stock pyvis.

A benchmark, not a test. For each dataset — the bundled ``data/`` and synthetic 1,000- and
10,000-entity datasets written to a temporary folder — it starts ``streamlit run app.py`` on a
free port and opens it in headless Chromium (Debian's ``/usr/bin/chromium``), then measures:

- **cold / warm load → still**: from navigation start until the graph is drawn and no node has
  moved for a full second (positions are sampled every animation frame; "still at" is the last
  frame that changed anything). *Cold* is the first session after the server started (the
  dataset is read and laid out); *warm* is a second session (caches hit).
- **mount → still**: from the graph element appearing in the page to still, i.e. the drawing's
  own cost without Streamlit's page boot.
- **rerun: new colouring**: clicking "Colour by: Community" the first time (communities are
  found, a new drawing is sent) until the new colours are drawn.
- **rerun: colouring seen before**: switching the colouring back and forth again (the best of
  three): a whole-page rerun whose drawing the browser already holds.
- **click → card / click → details panel**: clicking a node until the drawing's card shows
  its name, type and description (drawn in the browser from what it holds) and until the
  details panel names it (a rerun); the best of three nodes.
- **payload**: the bytes of the drawing's JSON text the server hands the graph component for
  the default view (read from an ``AppTest`` run of the same app, as the test suite does), and
  what each node's ``details`` would add (``graph.vis.vis_data(..., details=True)`` of the
  drawn graph, as the standalone HTML page embeds them; the app leaves them out).
- **stock pyvis**: ``pyvis.network.Network`` with its defaults (physics on) drawing the same
  entities and relations as the app, as a standalone page opened from disk with every non-file
  request aborted (its template asks CDNs for Bootstrap): time to first drawing, and to still
  (or "> max-wait" if it is still moving).

Usage::

    .venv/bin/python bench/bench_app.py [--sizes 1500 10000] [--max-wait 60] [--no-pyvis]

A second table times the same interactions on the server alone (Streamlit's ``AppTest``, no
browser): how long the script takes, which bounds what any browser can do.

Results are printed as tables and written to ``bench/results/bench_app.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.load import load_graph  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
VIEWPORT = {"width": 1280, "height": 800}
STILL_WINDOW_MS = 1000

# Page-side probe: when the graph element appears, when it is ready, and when positions last
# changed (sampled every animation frame from `getNetwork()`).
PROBE = """
window.__kg = {mount: null, ready: null, lastChange: null, stillAt: null, frames: 0};
(() => {
  const probe = window.__kg;
  let last = null;
  function checksum(net) {
    const pos = net.getPositions();
    let s = 0, i = 1;
    for (const id in pos) { s += (pos[id].x * 1.000123 + pos[id].y * 0.999877) * (i++ % 97 + 1); }
    return s;
  }
  function frame(now) {
    const net = window.__kgNetwork && window.__kgNetwork();
    if (net && probe.ready !== null) {
      probe.frames++;
      const c = checksum(net);
      if (last === null || c !== last) { probe.lastChange = now; last = c; }
      if (now - probe.lastChange >= STILL_WINDOW_MS && probe.stillAt === null) {
        probe.stillAt = probe.lastChange;
      }
    }
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();
""".replace("STILL_WINDOW_MS", str(STILL_WINDOW_MS))

APP_HOOKS = """
window.__kgNetwork = () => globalThis.kgGraph && globalThis.kgGraph.network;
new MutationObserver(() => {
  const g = document.querySelector('[data-testid=kg-graph]');
  if (g && window.__kg.mount === null) window.__kg.mount = performance.now();
  if (g && g.dataset.kgReady === 'true' && window.__kg.ready === null && globalThis.kgGraph) {
    window.__kg.ready = performance.now();
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""

PYVIS_HOOKS = """
window.__kgNetwork = () => (typeof network !== 'undefined' && network) ? network : null;
(function wait() {
  if (typeof network !== 'undefined' && network && network.on) {
    window.__kg.mount = performance.now();
    network.once('afterDrawing', () => { window.__kg.ready = performance.now(); });
  } else { setTimeout(wait, 5); }
})();
"""


# --- datasets ---------------------------------------------------------------------------------


def synthetic(folder: Path, n: int) -> Path:
    """A synthetic dataset of ``n`` entities (bench/synthetic.py when present, else our own)."""
    try:
        from bench.synthetic import generate
    except ImportError:
        generate = _generate
    generate(folder, n)
    return folder


def _generate(folder: Path, n: int, relations_per_entity: int = 3) -> None:
    """A small stand-in generator: preferential attachment over a few entity types."""
    import random

    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    types = ["ngo", "company", "agency", "tool", "person", "report"]
    rows = ["id,name,type"] + [f"e{i},Entity {i},{rng.choice(types)}" for i in range(n)]
    ends: list[int] = [0]
    edges = set()
    for i in range(1, n):
        edges.add((i, rng.choice(ends)))
        ends += [i, rng.choice(ends)]
    while len(edges) < relations_per_entity * n:
        a, b = rng.choice(ends), rng.choice(ends)
        if a != b:
            edges.add((a, b))
    (folder / "entities.csv").write_text("\n".join(rows) + "\n")
    (folder / "relations.csv").write_text(
        "source,target,relation\n" + "".join(f"e{a},e{b},supported\n" for a, b in edges)
    )


# --- the app ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``streamlit run app.py -- --data DIR`` on a free port."""

    def __init__(self, data: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
                "--",
                "--data",
                str(data),
            ],
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("streamlit did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


def wait_still(page, max_wait_s: float) -> dict:
    """Wait until the probe reports still (or give up); return its timings in ms."""
    try:
        page.wait_for_function(
            "() => window.__kg && window.__kg.stillAt !== null",
            timeout=max_wait_s * 1000,
            polling=100,
        )
    except Exception:  # noqa: BLE001 - a timeout is a result here
        pass
    return page.evaluate("() => ({...window.__kg, now: performance.now()})")


def app_load(browser, url: str, max_wait_s: float) -> dict:
    """One fresh session: navigation start to a still graph."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.add_init_script(PROBE + APP_HOOKS)
    page.goto(url)
    probe = wait_still(page, max_wait_s)
    probe["nodes"] = int(page.locator("[data-testid=kg-graph]").get_attribute("data-node-count"))
    return {"page": page, "context": context, **probe}


def rerun_colour(page, option: str = "Community") -> float:
    """Click a "Colour by" option; ms until the new payload is drawn."""
    page.evaluate("""() => {
      const g = document.querySelector('[data-testid=kg-graph]');
      window.__seq = Number(g.dataset.kgSeq || 0);
    }""")
    label = page.locator("[data-testid=stSidebar] [data-testid=stRadioOption]").filter(
        has_text=re.compile(f"^{option}$")
    )
    wait_idle(page)
    start = page.evaluate("() => performance.now()")
    label.click()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=kg-graph]').dataset.kgSeq)"
        " > window.__seq",
        timeout=60_000,
        polling="raf",
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate("() => performance.now()") - start


def rerun_select(page, share: float) -> dict[str, float]:
    """Click a reachable node (the one at ``share`` of the list); ms until the drawing's card
    shows it (``card``: drawn in the browser from the data it holds, no server round trip) and
    until the details panel names it (``panel``)."""
    node = page.evaluate(
        """(share) => {
      const v = globalThis.kgGraph, net = v.network;
      const box = document.querySelector('[data-testid=kg-graph]').getBoundingClientRect();
      const ids = v.nodes.getIds().filter(id => {
        const p = v.domPosition(id);
        const canvas = document.querySelector('[data-testid=kg-graph] canvas')
            .getBoundingClientRect();
        const at = {x: Math.round(p.x) - canvas.left, y: Math.round(p.y) - canvas.top};
        return net.getNodeAt(at) === id &&
          p.x > box.left + 5 && p.x < box.right - 5 && p.y > box.top + 5 &&
          p.y < Math.min(box.bottom, window.innerHeight) - 5;
      });
      const selected = v.selected();
      const others = ids.filter(id => id !== selected);
      return others[Math.floor(others.length * share)];
    }""",
        share,
    )
    name = page.evaluate("id => globalThis.kgGraph.node(id).label", node)
    point = page.evaluate("id => globalThis.kgGraph.domPosition(id)", node)
    wait_idle(page)
    page.evaluate(CARD_WATCH, node)
    start = page.evaluate("() => performance.now()")
    page.mouse.click(round(point["x"]), round(point["y"]))
    page.wait_for_selector(f".st-key-details_panel h3:has-text({name!r})", timeout=60_000)
    panel = page.evaluate("() => performance.now()") - start
    card = page.evaluate("() => globalThis.__kgCardAt")
    return {"card": (card - start) if card is not None else float("nan"), "panel": panel}


# Polls every frame until the click card names the node; records when (page time).
CARD_WATCH = """(id) => {
  globalThis.__kgCardAt = null;
  const poll = () => {
    const card = document.querySelector('.kg-card');
    if (card && !card.hidden && card.getAttribute('data-node-id') === String(id)) {
      globalThis.__kgCardAt = performance.now();
    } else {
      requestAnimationFrame(poll);
    }
  };
  requestAnimationFrame(poll);
}"""


def wait_idle(page, quiet_ms: int = 300) -> None:
    """Wait until no script has been running for ``quiet_ms`` (Streamlit marks the app)."""
    page.evaluate(
        """(quiet) => new Promise(resolve => {
      let since = performance.now();
      (function check() {
        const app = document.querySelector('[data-testid=stApp]');
        const running = app && app.dataset.testScriptState === 'running';
        if (running) { since = performance.now(); }
        if (performance.now() - since >= quiet) { resolve(); } else { setTimeout(check, 50); }
      })();
    })""",
        quiet_ms,
    )


# --- stock pyvis ------------------------------------------------------------------------------


def pyvis_page(nodes: list, edges: list, out: Path) -> Path:
    from pyvis.network import Network

    net = Network(height="750px", width="100%", directed=True, cdn_resources="in_line")
    for node in nodes:
        net.add_node(node["id"], label=node["label"], title=node["label"])
    for edge in edges:
        net.add_edge(edge["from"], edge["to"], title=edge.get("relation", ""))
    out.write_text(net.generate_html(), encoding="utf-8")
    return out


def pyvis_load(browser, path: Path, max_wait_s: float) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    page = context.new_page()
    page.add_init_script(PROBE + PYVIS_HOOKS)
    # Stock pyvis stabilises inside its load handler, which can block "load" for a long time.
    page.goto(path.as_uri(), wait_until="commit")
    probe = wait_still(page, max_wait_s)
    context.close()
    return probe


# --- driver -----------------------------------------------------------------------------------


def fmt_bytes(value: int) -> str:
    return f"{value / 1e6:.2f} MB" if value >= 1e6 else f"{value / 1e3:.0f} KB"


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


def payload_bytes(data: Path) -> dict:
    """The drawing's JSON text for the default view, as the server sends it, and its size with
    node details (which the app does not send)."""
    from streamlit.testing.v1 import AppTest

    from graph.query import induced
    from graph.vis import vis_data

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.session_state["dataset_dir"] = str(data)
    at.run()
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    [component] = [c for c in at.get("bidi_component") if c.key == "graph_canvas"]
    text = json.loads(component.proto.json)  # the component's data: the drawing as JSON text
    sent = json.loads(text)
    G = load_graph(data)
    drawn = induced(G, [n["id"] for n in sent["nodes"]])
    positions = {n["id"]: (n["x"], n["y"]) for n in sent["nodes"]}
    sizes = {
        details: len(
            json.dumps(
                vis_data(drawn, positions=positions, details=details),
                ensure_ascii=False,
                separators=(",", ":"),
            ).encode()
        )
        for details in (False, True)
    }
    return {
        "payload_bytes": len(text.encode()),
        "payload_nodes": len(sent["nodes"]),
        "details_bytes": sizes[True] - sizes[False],
    }


def measure(label: str, data: Path, browser, args, work: Path) -> dict:
    G = load_graph(data)
    sizes = payload_bytes(data)
    server = Server(data, work / f"{label}.log")
    try:
        cold = app_load(browser, server.url, args.max_wait)
        cold["context"].close()
        warm = app_load(browser, server.url, args.max_wait)
        page = warm["page"]
        payload = page.evaluate("""() => ({
            nodes: globalThis.kgGraph.nodes.get().map(n => ({id: n.id, label: n.label})),
            edges: globalThis.kgGraph.edges.get().map(
                e => ({from: e.from, to: e.to, relation: e.relation}))})""")
        colour = rerun_colour(page)
        colour_back = min(
            rerun_colour(page, "Type"), rerun_colour(page, "Community"), rerun_colour(page, "Type")
        )
        select = [rerun_select(page, share) for share in (0.3, 0.6, 0.9)]
        warm["context"].close()
    finally:
        server.stop()
    row = {
        "dataset": label,
        "entities": G.number_of_nodes(),
        "relations": G.number_of_edges(),
        "drawn": warm["nodes"],
        "cold_still_ms": cold["stillAt"],
        "warm_still_ms": warm["stillAt"],
        "mount_to_still_ms": (warm["stillAt"] - warm["mount"]) if warm["stillAt"] else None,
        "rerun_colour_ms": colour,
        "rerun_colour_again_ms": colour_back,
        "rerun_select_ms": min(t["panel"] for t in select),
        "click_card_ms": min(t["card"] for t in select),
        **sizes,
    }
    if args.pyvis:
        page_path = pyvis_page(
            payload["nodes"],
            payload["edges"],
            work / f"{label.replace(' ', '_').replace(',', '')}_pyvis.html",
        )
        stock = pyvis_load(browser, page_path, args.max_wait)
        row["pyvis_first_draw_ms"] = stock["ready"]
        row["pyvis_still_ms"] = stock["stillAt"]
        row["pyvis_gave_up_after_ms"] = None if stock["stillAt"] else stock["now"]
    return row


def table(rows: list[dict], max_wait: float) -> str:
    head = [
        "dataset",
        "entities",
        "drawn",
        "payload (details would add)",
        "cold load→still",
        "warm load→still",
        "mount→still",
        "rerun: new colouring",
        "rerun: colouring seen before",
        "click → card",
        "click → details panel",
        "pyvis first draw",
        "pyvis still",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        still = (
            fmt_ms(r.get("pyvis_still_ms"))
            if r.get("pyvis_still_ms")
            else (f"> {max_wait:.0f} s" if "pyvis_still_ms" in r else "—")
        )
        lines.append(
            "| "
            + " | ".join(
                [
                    r["dataset"],
                    f"{r['entities']:,}",
                    f"{r['drawn']:,}",
                    f"{fmt_bytes(r['payload_bytes'])} (+{fmt_bytes(r['details_bytes'])})",
                    fmt_ms(r["cold_still_ms"]),
                    fmt_ms(r["warm_still_ms"]),
                    fmt_ms(r["mount_to_still_ms"]),
                    fmt_ms(r["rerun_colour_ms"]),
                    fmt_ms(r["rerun_colour_again_ms"]),
                    fmt_ms(r["click_card_ms"]),
                    fmt_ms(r["rerun_select_ms"]),
                    fmt_ms(r.get("pyvis_first_draw_ms"))
                    if r.get("pyvis_first_draw_ms")
                    else (f"> {max_wait:.0f} s" if "pyvis_still_ms" in r else "—"),
                    still,
                ]
            )
            + " |"
        )
    return "\n".join(lines)


# --- the server alone -------------------------------------------------------------------------


def server_times(data: Path) -> dict:
    """Script run times (ms) for the first run and a few interactions, with AppTest."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.session_state["dataset_dir"] = str(data)
    G = load_graph(data)
    some = max(G, key=G.degree)
    steps = [
        ("first run (load, lay out)", at.run),
        ("rerun, nothing changed", at.run),
        ("search and select", lambda: at.text_input(key="sidebar_search").input(some).run()),
        ("focus on it", lambda: at.button(key="details_focus").click().run()),
        ("depth 2", lambda: at.slider(key="sidebar_depth").set_value(2).run()),
        ("reset", lambda: at.button(key="sidebar_reset").click().run()),
        (
            "colour by community",
            lambda: at.radio(key="sidebar_color_by").set_value("community").run(),
        ),
        ("colour by type again", lambda: at.radio(key="sidebar_color_by").set_value("type").run()),
    ]
    times = {}
    for name, step in steps:
        start = time.perf_counter()
        step()
        times[name] = (time.perf_counter() - start) * 1000
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception[0].value}")
    return times


def datasets(args, work: Path) -> list[tuple[str, Path]]:
    found = [("bundled", ROOT / "data")] if args.bundled else []
    return found + [(f"synthetic {n:,}", synthetic(work / f"synthetic_{n}", n)) for n in args.sizes]


def browser_rows(args) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as driver:
        work = Path(tmp)
        browser = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for label, folder in datasets(args, work):
            print(f"measuring {label} in Chromium …", file=sys.stderr, flush=True)
            rows.append(measure(label, folder, browser, args, work))
        browser.close()
    return rows


def server_rows(args) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        found = {}
        for label, folder in datasets(args, Path(tmp)):
            print(f"timing {label} on the server …", file=sys.stderr, flush=True)
            found[label] = server_times(folder)
    return found


def server_table(server: dict[str, dict[str, float]]) -> str:
    names = list(next(iter(server.values())))
    lines = ["| server script run | " + " | ".join(server) + " |", "|---|" + "---|" * len(server)]
    lines += [
        f"| {name} | " + " | ".join(fmt_ms(server[d][name]) for d in server) + " |"
        for name in names
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[1500, 10000],
        help="synthetic dataset sizes (entities; above 1,500 the app draws 1,500)",
    )
    parser.add_argument(
        "--max-wait", type=float, default=60.0, help="seconds to wait for a graph to stand still"
    )
    parser.add_argument("--no-pyvis", dest="pyvis", action="store_false")
    parser.add_argument("--no-bundled", dest="bundled", action="store_false")
    parser.add_argument(
        "--no-server", dest="server", action="store_false", help="skip the server-only timings"
    )
    parser.add_argument(
        "--no-browser", dest="browser", action="store_false", help="skip the browser timings"
    )
    args = parser.parse_args(argv)

    rows = browser_rows(args) if args.browser else []
    if rows:
        print(table(rows, args.max_wait))
    server = server_rows(args) if args.server else {}
    if server:
        print()
        print(server_table(server))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_app.json").write_text(json.dumps({"browser": rows, "server": server}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
