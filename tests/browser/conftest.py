"""Browser test harness: Debian's Chromium (``/usr/bin/chromium``) driven by Playwright.

Generic on purpose: the HTML export tests and the Streamlit app's end-to-end tests both use it.
If Chromium is missing the tests FAIL (they are never skipped): install Debian's ``chromium``
package (``apt-get install -y chromium``).

Fixtures
--------
chromium_executable : str (session)
    Path of the Chromium binary: ``/usr/bin/chromium``, else Playwright's own if ``make test``
    could install it; fails (never skips) when there is neither.
playwright_driver : playwright.sync_api.Playwright (session)
    The started sync Playwright driver.
browser : playwright.sync_api.Browser (session)
    Headless Chromium with ``--no-sandbox --disable-gpu --disable-background-networking
    --disable-component-update``, so the browser itself makes no background requests.
request_log : RequestLog (function)
    What the pages of this test's context did: ``urls`` (every request URL, in order),
    ``dialogs`` (alert/confirm/prompt messages; each dialog is dismissed), ``page_errors``
    (uncaught exceptions) and ``console_errors``. ``request_log.outside(*allowed)`` lists the URLs
    that neither equal nor start with an allowed string, e.g.
    ``request_log.outside(file_url) == []`` or ``request_log.outside("http://localhost:8501")``.
browser_context : playwright.sync_api.BrowserContext (function)
    A fresh context per test (1280x800, downloads accepted, service workers blocked) whose
    requests, dialogs and errors go to ``request_log``; closed after the test.
recorded_page, page : playwright.sync_api.Page (function)
    A new page in ``browser_context`` (``page`` is an alias of ``recorded_page``). When the test
    fails, its report gets a "page at failure" section: the URL, the alerts shown and a full-page
    screenshot saved as ``tests/artifacts/failed-<test>.png``.
artifacts_dir : pathlib.Path (session)
    ``tests/artifacts/`` (gitignored), created on demand.
save_screenshot : callable (function)
    ``save_screenshot(page, name, full_page=False) -> Path`` writes
    ``tests/artifacts/<name>.png`` and returns its path.
app_server : callable (session)
    ``app_server(data_dir, name, *streamlit_args) -> App`` starts
    ``streamlit run app.py [streamlit_args] -- --data DATA_DIR`` on
    a free port of 127.0.0.1 and waits until it is healthy; its output goes to
    ``tests/artifacts/<name>.log``. ``App`` has ``url``, ``log()`` and ``stop()``; every
    server still running is stopped when the session ends.

    The port: Streamlit is started with ``--server.port 0``, so the kernel picks a free port
    at the moment Streamlit binds it, and the port is read back from the ``URL:`` line that
    this process printed. There is no window between choosing a port and binding it (unlike
    bind-to-0-then-close), so test runs side by side never collide, and the health check can
    only reach this test's own server.

Every test collected under ``tests/browser/`` is marked ``browser`` (``make test-fast`` runs
``pytest -m "not browser"``).

Example
-------
::

    def test_offline(page, request_log, save_screenshot, tmp_path):
        url = (tmp_path / "x.html").as_uri()
        page.goto(url)
        assert request_log.outside(url) == []
        save_screenshot(page, "offline")
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ROOT = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1280, "height": 800}
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before pytest's own hook deselects by ``-m``
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder ``browser``: it drives a real Chromium."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class RequestLog:
    """Requests, dialogs and errors seen by one test's browser context."""

    urls: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    _watched: list = field(default_factory=list, repr=False)

    def outside(self, *allowed: str) -> list[str]:
        """Request URLs that neither equal nor start with any of ``allowed``."""
        return [url for url in self.urls if not any(url == a or url.startswith(a) for a in allowed)]


@pytest.fixture(scope="session")
def chromium_executable(playwright_driver) -> str:
    """Debian's Chromium; else the one ``make test`` got from ``playwright install``; else fail."""
    if CHROMIUM.exists():
        return str(CHROMIUM)
    bundled = Path(playwright_driver.chromium.executable_path)
    if bundled.exists():
        return str(bundled)
    pytest.fail(
        f"{CHROMIUM} not found: the browser tests need Debian's 'chromium' package "
        "(apt-get install -y chromium).",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver, chromium_executable):
    launched = playwright_driver.chromium.launch(
        executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield launched
    finally:
        launched.close()


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


def _watch_page(page, log: RequestLog) -> None:
    """Record one page's dialogs (dismissing them), uncaught errors and console errors, once."""
    if any(seen is page for seen in log._watched):
        return
    log._watched.append(page)

    def on_dialog(dialog) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(message) -> None:
        if message.type == "error":
            log.console_errors.append(message.text)

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))
    page.on("console", on_console)


@pytest.fixture
def browser_context(browser, request_log: RequestLog) -> Iterator:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, service_workers="block")
    context.on("request", lambda request: request_log.urls.append(request.url))
    context.on("page", lambda page: _watch_page(page, request_log))
    try:
        yield context
    finally:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item, so a fixture can tell its test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _describe_failure(page, name: str) -> str:
    """What the page showed when its test failed: alerts and the screenshot's path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"failed-{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    try:
        page.screenshot(path=str(shot), full_page=True)
        alerts = page.locator("[data-testid=stAlert], [role=alert]").all_inner_texts()
    except Exception as error:  # the page may be gone; the failure itself matters more
        return f"could not inspect the page: {error}"
    shown = "\n".join(f"  - {text.strip()[:300]}" for text in alerts) or "  (none)"
    return f"url: {page.url}\nalerts on the page:\n{shown}\nscreenshot: {shot}"


@pytest.fixture
def recorded_page(browser_context, request_log: RequestLog, request):
    new_page = browser_context.new_page()
    _watch_page(new_page, request_log)
    yield new_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        report.sections.append(("page at failure", _describe_failure(new_page, request.node.name)))


@pytest.fixture
def page(recorded_page):
    return recorded_page


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def save_screenshot(artifacts_dir: Path) -> Callable[..., Path]:
    def save(page, name: str, full_page: bool = False) -> Path:
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "screenshot"
        path = artifacts_dir / f"{safe}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


# --- the Streamlit app as a server ------------------------------------------------------------

# Streamlit prints this once it listens; with ``--server.port 0`` it shows the port it was given.
LISTENING = re.compile(r"URL: http://127\.0\.0\.1:(\d+)")


class App:
    """A running `streamlit run app.py` and what it printed."""

    def __init__(self, data: Path, log_path: Path, streamlit_args: tuple[str, ...] = ()):
        self.log_path = log_path
        self._log = log_path.open("w")
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
                "0",
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
                *streamlit_args,
                "--",
                "--data",
                str(data),
            ],
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.port = 0
        self.url = ""
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> None:
        """Poll until this process has printed its port and answers its health check."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"streamlit exited early:\n{self.log()}")
            if not self.port:
                found = LISTENING.search(self.log())
                if found and int(found.group(1)) == 0:
                    pytest.fail(f"streamlit did not report the port it bound:\n{self.log()}")
                if found:
                    self.port = int(found.group(1))
                    self.url = f"http://127.0.0.1:{self.port}"
            if self.port:
                try:
                    with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                        if reply.status == 200:
                            return
                except OSError:
                    pass
            time.sleep(0.1)  # polling interval, not a wait for something to happen
        pytest.fail(f"streamlit did not become healthy in {timeout} s:\n{self.log()}")

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if not self._log.closed:
            self._log.close()


@pytest.fixture(scope="session")
def app_server(artifacts_dir: Path) -> Iterator[Callable[..., App]]:
    started: list[App] = []

    def start(data: Path, name: str, *streamlit_args: str) -> App:
        app = App(Path(data), artifacts_dir / f"{name}.log", streamlit_args)
        started.append(app)
        return app

    try:
        yield start
    finally:
        for app in started:
            app.stop()
