"""Benchmark how readable the drawing is: names OCR reads back from the app's canvas, per view.

A benchmark, not a test. It starts ``streamlit run app.py`` on the bundled data (light theme,
and again with ``--theme.base dark``), opens each view below at 1440×900 and 1280×720 in headless
Chromium (Debian's ``/usr/bin/chromium``), waits for the drawing, takes a screenshot of the
canvas as far as it lies in the window (no scrolling, no interaction) and counts the drawn names
``bench/legibility.py`` (tesseract over the canvas upscaled 3×) reads back. It also reports how
many of the most important entities (by the view's *Size by* measure) are legible, and whether
every entity of a path is.

Usage::

    .venv/bin/python -m bench.bench_legibility [--screens 1440x900 1280x720] [--themes light dark]
        [--views QUERY ...] [--tours-only | --no-tours]
        [--save DIR]   # also write each canvas screenshot there

Prints a Markdown table; writes ``bench/results/bench_legibility.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.legibility import canvas_png, drawn_ids, legible_names, settle  # noqa: E402
from graph.load import load_graph  # noqa: E402
from graph.query import entity_label  # noqa: E402
from graph.view import from_query, scene, scores  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
DATA = ROOT / "data"
VIEWS = (
    ("overview", ""),
    ("NCMEC, depth 1", "focus=ncmec&depth=1"),
    ("NCMEC, depth 2", "focus=ncmec&depth=2"),
    ("EARN IT Act, depth 1", "focus=earn_it_act&depth=1"),
    ("type: Law or bill", "types=law"),
    ("type: Government agency", "types=agency"),
    ("path PACT → NCMEC (around PACT)", "focus=pact&depth=1&from=pact&to=ncmec"),
)
TOP = (10, 40)
LISTENING = re.compile(r"URL: http://127\.0\.0\.1:(\d+)")


class Server:
    """``streamlit run app.py`` on a port the kernel picks (``--server.port 0``)."""

    def __init__(self, log: Path, *args: str) -> None:
        self.log_path = log
        self.log = log.open("w")
        command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
        command += ["--server.headless", "true", "--server.port", "0"]
        command += ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
        command += ["--server.fileWatcherType", "none", *args, "--", "--data", str(DATA)]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.url = self._wait()

    def _wait(self, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited: {self.log_path.read_text()}")
            found = LISTENING.search(self.log_path.read_text())
            if found:
                url = f"http://127.0.0.1:{found.group(1)}"
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                        return url
                except OSError:
                    pass
            time.sleep(0.2)  # polling interval
        raise RuntimeError("streamlit did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


def expected(G, query: str, view=None) -> dict:
    """What the view (parsed from ``query`` unless given) draws, by the library: names,
    importance order, path entities, highlighted entities."""
    if view is None:
        view, _ = from_query(query, G)
    drawn = scene(G, view)
    measure = scores(drawn.graph, view.size_by)
    order = sorted(drawn.graph, key=lambda n: (-measure.get(n, 0.0), n))
    path, _ = drawn.path_highlight(view.path_choice) if drawn.paths else ([], [])
    names = {n: entity_label(drawn.graph, n) for n in drawn.graph}
    return {"names": names, "order": order, "path": path, "highlight": list(view.highlight)}


def measure_view(
    browser, url: str, query: str, screen: tuple[int, int], G, save: Path | None, view=None
):
    """Open ``url/?query``, read the canvas back; ``view``: what the link draws, when
    ``query`` is not a view link (a tour step's)."""
    width, height = screen
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        for attempt in (1, 2):  # a loaded machine can miss the first minute once
            page.goto(f"{url}/?{query}" if query else url)
            try:
                settle(page)
                break
            except Exception:  # playwright's TimeoutError
                if attempt == 2:
                    raise
        png = canvas_png(page)
        ids = drawn_ids(page)
    finally:
        context.close()
    want = expected(G, query, view)
    names = {n: want["names"].get(n, n) for n in ids}
    legible = legible_names(png, names)
    if save is not None:
        slug = re.sub(r"[^a-z0-9]+", "-", (query or "overview").lower()).strip("-")
        (save / f"{slug}_{width}x{height}.png").write_bytes(png)
    row = {
        "drawn": len(ids),
        "legible": len(legible),
        "legible_ids": sorted(legible),
        "missed": {n: names[n] for n in sorted(set(ids) - set(legible))},
        "top": {k: sum(1 for n in want["order"][:k] if n in legible) for k in TOP},
        "path": [len([n for n in want["path"] if n in legible]), len(want["path"])],
        "highlight": [sum(n in legible for n in want["highlight"]), len(want["highlight"])],
    }
    return row


def table(rows: list[dict]) -> str:
    head = ["view", "screen", "theme", "drawn", "legible", "share"]
    head += [f"of the top {k}" for k in TOP] + ["path entities legible", "highlights legible"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        share = r["legible"] / r["drawn"] if r["drawn"] else 0.0
        tops = [f"{r['top'][k]}/{min(k, r['drawn'])}" for k in TOP]
        path = f"{r['path'][0]}/{r['path'][1]}" if r["path"][1] else "—"
        lit = f"{r['highlight'][0]}/{r['highlight'][1]}" if r["highlight"][1] else "—"
        cells = [r["view"], r["screen"], r["theme"], str(r["drawn"]), str(r["legible"])]
        lines.append("| " + " | ".join([*cells, f"{share:.0%}", *tops, path, lit]) + " |")
    return "\n".join(lines)


def tour_summary(rows: list[dict]) -> str:
    """One line over the tour steps: how many meet the targets."""
    steps = [r for r in rows if r["view"].startswith("tour ")]
    if not steps:
        return ""
    nine = sum(r["legible"] >= 0.9 * r["drawn"] for r in steps)
    lit = sum(r["highlight"][0] == r["highlight"][1] for r in steps)
    return (
        f"Tour steps in presentation mode: {len(steps)}; nine names in ten legible in {nine}; "
        f"every highlighted entity legible in {lit}."
    )


def tour_views(G) -> list[tuple[str, str, object]]:
    """(label, link, view) for every step of the bundled tours, presented."""
    from graph.tours import load_tours

    return [
        (f"tour {tour.id} step {n}", f"tour={tour.id}&step={n}&present=1", step.view)
        for tour in load_tours(DATA / "tours.yaml", G)
        for n, step in enumerate(tour.steps, 1)
    ]


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", nargs="+", default=["1440x900", "1280x720"])
    parser.add_argument("--themes", nargs="+", default=["light", "dark"])
    parser.add_argument(
        "--views", nargs="+", help="only these links ('' = overview; 'tour=ID&step=N&present=1')"
    )
    parser.add_argument("--save", type=Path, help="write each canvas screenshot into this folder")
    parser.add_argument("--no-tours", action="store_true", help="leave out the tour steps")
    parser.add_argument("--tours-only", action="store_true", help="only the tour steps")
    args = parser.parse_args(argv)
    screens = [tuple(int(v) for v in s.split("x")) for s in args.screens]
    views = [(*v, None) for v in VIEWS if args.views is None or v[1] in args.views]
    views = [] if args.tours_only else views
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
    G = load_graph(DATA)
    steps = [] if args.no_tours else tour_views(G)
    steps = [s for s in steps if args.views is None or s[1] in args.views]
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for theme in args.themes:
            extra = ("--theme.base", "dark") if theme == "dark" else ("--theme.base", "light")
            server = Server(out / f"bench_legibility_{theme}.log", *extra)
            try:
                runs = [(v, screen) for v in views for screen in screens]
                runs += [(step, (1280, 720)) for step in steps]  # presented on a projector
                for (label, query, view), screen in runs:
                    save = args.save / theme if args.save else None
                    if save:
                        save.mkdir(exist_ok=True)
                    row = measure_view(browser, server.url, query, screen, G, save, view)
                    row.update(view=label, screen=f"{screen[0]}×{screen[1]}", theme=theme)
                    print(
                        f"{label} {row['screen']} {theme}: {row['legible']}/{row['drawn']}",
                        file=sys.stderr,
                        flush=True,
                    )
                    rows.append(row)
            finally:
                server.stop()
        browser.close()
    print(table(rows))
    print(tour_summary(rows))
    (out / "bench_legibility.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
