"""Soak the explorer: concurrent browser sessions searching and clicking for minutes.

A benchmark, not a test (the test suite's short version is ``tests/test_app.py::
test_ten_sessions_searching_and_clicking_in_turn_meet_no_exception``). It starts ``streamlit run
app.py`` on the bundled data and opens ``--sessions`` headless Chromium contexts against it
(one Streamlit session each, all at once); each, for ``--seconds``, in turn types a search and
presses Enter, clicks on the canvas, toggles *Hide isolated* and presses *Reset view*, waiting
for each rerun to end. It counts the actions done and every exception seen: Streamlit's
exception boxes, uncaught page errors, and tracebacks in the server's log; and the server's
resident memory at the end.

Usage::

    .venv/bin/python -m bench.bench_soak [--sessions 10] [--seconds 120]

Results are printed and written to ``bench/results/bench_soak.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from bench.bench_app import CHROMIUM, CHROMIUM_ARGS, ROOT, Server

RESULTS = ROOT / "bench" / "results" / "bench_soak.json"
QUERIES = ["interpol", "arachnid", "ncmec", "tiktok", "zzz", "<script>", "operation synergia"]
IDLE = "() => !document.querySelector('[data-testid=stStatusWidget]')"


async def session(browser, url: str, seconds: float, number: int) -> tuple[int, list[str]]:
    """One browser session doing searches and clicks for ``seconds``: (actions, errors)."""
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    actions = 0
    try:
        await page.goto(url, timeout=180_000)
        await page.wait_for_selector("canvas", timeout=180_000)
        deadline, step = time.monotonic() + seconds, number
        while time.monotonic() < deadline:
            step += 1
            await act(page, step)
            await page.wait_for_timeout(300)
            await page.wait_for_function(IDLE, timeout=120_000)
            boxes = await page.locator("[data-testid=stException]").all_inner_texts()
            errors += [f"session {number}: exception box: {text[:300]}" for text in boxes]
            actions += 1
    except Exception as error:  # noqa: BLE001 - a benchmark reports, it does not stop
        errors.append(f"session {number}: {error!r}"[:500])
    finally:
        await context.close()
    return actions, errors


async def act(page, step: int) -> None:
    kind = step % 4
    if kind == 0:
        search = page.get_by_label("Search entities", exact=True).and_(page.locator("input"))
        await search.fill(QUERIES[step % len(QUERIES)])
        await search.press("Enter")
    elif kind == 1:
        box = await page.locator("canvas").first.bounding_box()
        if box:
            x = box["x"] + box["width"] * (0.3 + 0.1 * (step % 5))
            await page.mouse.click(x, box["y"] + box["height"] / 2)
    elif kind == 2:
        await page.get_by_text("Hide isolated").first.click()
    else:
        await page.get_by_role("button", name="Reset view").click()


def resident_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


async def soak(url: str, sessions: int, seconds: float) -> tuple[int, list[str]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as driver:
        browser = await driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        done = await asyncio.gather(*(session(browser, url, seconds, n) for n in range(sessions)))
        await browser.close()
    return sum(a for a, _ in done), [e for _, errors in done for e in errors]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(ROOT / "data", Path(tmp) / "server.log")
        started = time.monotonic()
        try:
            actions, errors = asyncio.run(soak(server.url, args.sessions, args.seconds))
            rss = resident_mb(server.process.pid)
        finally:
            server.stop()
        log = (Path(tmp) / "server.log").read_text()
    result = {
        "sessions": args.sessions,
        "seconds": args.seconds,
        "elapsed_s": round(time.monotonic() - started, 1),
        "actions": actions,
        "errors": errors,
        "server_tracebacks": log.count("Traceback (most recent call last)"),
        "server_rss_mb_at_end": rss,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
