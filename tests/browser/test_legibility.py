"""A map one can read: names OCR reads back from the app's canvas, no label over a label or a
node, the focus marked, the keyboard, the click card and the dark theme's colours.

Legibility is ``bench/legibility.py``'s (tesseract over the canvas upscaled 3×, a name's words
found in order), the same check ``make bench`` runs (``bench/bench_legibility.py``). The app
serves the bundled dataset, light and dark. ``make test`` saves what the reader sees in
``tests/artifacts/``: ``overview_1440x900.png``, ``focus_ncmec_1280x720.png`` and their
``_dark`` twins.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.legibility import canvas_png, drawn_ids, legible_names, settle
from graph.load import load_graph
from graph.query import entity_label
from graph.tours import load_tours
from graph.view import from_query, scene, scores
from graph.vis import contrast

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
GRAPH = "[data-testid=kg-graph]"
DETAILS = ".st-key-details_panel"
SCREENS = {"1440x900": {"width": 1440, "height": 900}, "1280x720": {"width": 1280, "height": 720}}
SMALL_VIEWS = {  # views of at most 40 entities: a focus at depth 1 and 2, type filters, a path
    "focus_ncmec": "focus=ncmec&depth=1",
    "focus_ncmec_depth2": "focus=ncmec&depth=2",
    "focus_earn_it": "focus=earn_it_act&depth=1",
    "type_law": "types=law",
    "type_agency": "types=agency",
    "path_pact_ncmec": "focus=pact&depth=1&from=pact&to=ncmec",
}


@pytest.fixture(scope="module")
def light_app(app_server) -> Iterator:
    app = app_server(DATA, "legibility_light", "--theme.base", "light")
    yield app
    app.stop()


@pytest.fixture(scope="module")
def dark_app(app_server) -> Iterator:
    app = app_server(DATA, "legibility_dark", "--theme.base", "dark")
    yield app
    app.stop()


@pytest.fixture(scope="module")
def bundled():
    return load_graph(DATA)


def open_view(browser, app, query: str, screen: str):
    context = browser.new_context(viewport=SCREENS[screen])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{app.url}/?{query}" if query else app.url)
    settle(page)
    return context, page, errors


def expected(G, query: str) -> dict:
    """What the library says the view draws: names, importance order, path entities."""
    view, problems = from_query(query, G)
    assert problems == []
    drawn = scene(G, view)
    measure = scores(drawn.graph, view.size_by)
    order = sorted(drawn.graph, key=lambda n: (-measure.get(n, 0.0), n))
    path = drawn.path_highlight(view.path_choice)[0] if drawn.paths else []
    return {"names": {n: entity_label(drawn.graph, n) for n in drawn.graph}, "order": order,
            "path": path}  # fmt: skip


def read_back(page, G, query: str) -> tuple[set[str], dict]:
    want = expected(G, query)
    assert sorted(drawn_ids(page)) == sorted(want["names"])
    return legible_names(canvas_png(page), want["names"]), want


def overlaps(page) -> list[tuple[str, str, str]]:
    """Labels drawn over another label or over any node's shape (KGView's placed boxes)."""
    drawn = page.evaluate("() => globalThis.kgGraph.labels()")

    def touch(a, b) -> bool:
        return (
            a["x"] < b["x"] + b["w"] - 0.5
            and b["x"] < a["x"] + a["w"] - 0.5
            and a["y"] < b["y"] + b["h"] - 0.5
            and b["y"] < a["y"] + a["h"] - 0.5
        )

    found = []
    labels = [label for label in drawn["labels"] if not label["inside"]]
    for i, a in enumerate(labels):
        found += [("label", a["id"], b["id"]) for b in labels[i + 1 :] if touch(a, b)]
        found += [("node", a["id"], n["id"]) for n in drawn["nodes"] if touch(a, n)]
    return found


# --- the check itself -----------------------------------------------------------------------


def test_the_ocr_check_reads_clear_names_and_not_covered_ones(page):
    """The measure discriminates: names drawn clear are read; a name under another is not."""
    page.set_content("<canvas id=c width=900 height=240></canvas>")
    url = page.evaluate("""() => {
      const ctx = document.getElementById('c').getContext('2d');
      ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 900, 240);
      ctx.fillStyle = '#222'; ctx.font = "13px system-ui, sans-serif"; ctx.textAlign = 'center';
      ctx.fillText('National Center for', 150, 40); ctx.fillText('Missing and Exploited', 150, 56);
      ctx.fillText('Children', 150, 72);
      ctx.fillText('Operation Synergia', 450, 40);
      ctx.fillText('Kids Online Safety Act', 700, 150);
      ctx.fillText('Tech Against Trafficking', 704, 153);  // drawn over the last one
      return document.getElementById('c').toDataURL('image/png');
    }""")
    png = base64.b64decode(url.split(",")[1])
    names = {
        "ncmec": "National Center for Missing and Exploited Children",
        "synergia": "Operation Synergia",
        "kosa": "Kids Online Safety Act",
        "tat": "Tech Against Trafficking",
        "absent": "Polaris Project",
    }
    assert legible_names(png, names) == {"ncmec", "synergia"}


# --- the overview ---------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_overview_names_at_least_40_entities_most_important_first(
    browser, request, bundled, save_screenshot, theme
):
    app = request.getfixturevalue(f"{theme}_app")
    context, page, errors = open_view(browser, app, "", "1440x900")
    try:
        legible, want = read_back(page, bundled, "")
        save_screenshot(page, "overview_1440x900" + ("_dark" if theme == "dark" else ""))
        assert len(legible) >= 40, f"{len(legible)} names legible"
        order = want["order"]
        unread = [want["names"][n] for n in order[:20] if n not in legible]
        first = sum(n in legible for n in order[:10])
        top = sum(n in legible for n in order[:20]) / 20
        rest = sum(n in legible for n in order[20:]) / len(order[20:])
        # The most important come first: of the top 10 by the Size-by measure at least 8 read,
        # and the top 20 read at least twice as often as the rest.
        assert first >= 8 and top >= 2 * rest, (first, top, rest, unread)
        assert overlaps(page) == []
        assert errors == []
    finally:
        context.close()


def test_the_overview_on_a_projector_names_the_top_entities(
    browser, light_app, bundled, save_screenshot
):
    """At 1280x720 the overview starts zoomed in round its most important entities: most of
    the top ten read, and no label covers another or a shape."""
    context, page, errors = open_view(browser, light_app, "", "1280x720")
    try:
        legible, want = read_back(page, bundled, "")
        save_screenshot(page, "overview_1280x720")
        assert len(legible) >= 25, f"{len(legible)} names legible"
        assert sum(n in legible for n in want["order"][:10]) >= 6
        assert overlaps(page) == [] and errors == []
    finally:
        context.close()


def test_zooming_in_shows_more_names_and_keeps_the_first(browser, light_app):
    context, page, _ = open_view(browser, light_app, "", "1440x900")
    try:
        before = page.evaluate("() => globalThis.kgGraph.labels()")
        first = [label["id"] for label in before["labels"]]
        page.get_by_role("button", name="Zoom in").click()
        page.get_by_role("button", name="Zoom in").click()
        settle(page)
        closer = page.evaluate("() => globalThis.kgGraph.labels()")
        on_screen = {n["id"] for n in closer["nodes"]}
        named = {label["id"] for label in closer["labels"]}
        # Of the entities still in the window, more carry their name than before, and those
        # named before still are (all but a few, whose spot a more important name now takes).
        assert len(named) / len(on_screen) > len(first) / len(before["nodes"])
        kept = [n for n in first if n in on_screen]
        assert sum(n in named for n in kept) >= 0.9 * len(kept)
        assert overlaps(page) == []
        page.get_by_role("button", name="Fit the drawing to the frame").click()
        settle(page)
        fitted = page.evaluate("() => globalThis.kgGraph.labels()")
        assert len(fitted["nodes"]) == int(page.locator(GRAPH).get_attribute("data-node-count"))
    finally:
        context.close()


# --- views of at most 40 entities --------------------------------------------------------------


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("name", list(SMALL_VIEWS))
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_small_view_draws_nine_names_in_ten_legibly(
    browser, request, bundled, save_screenshot, theme, name, screen
):
    app = request.getfixturevalue(f"{theme}_app")
    query = SMALL_VIEWS[name]
    context, page, errors = open_view(browser, app, query, screen)
    try:
        legible, want = read_back(page, bundled, query)
        if name == "focus_ncmec_depth2" and screen == "1280x720":
            save_screenshot(page, "focus_ncmec_1280x720" + ("_dark" if theme == "dark" else ""))
        drawn = want["names"]
        assert len(drawn) <= 40
        missing = sorted(drawn[n] for n in drawn if n not in legible)
        assert len(legible) >= 0.9 * len(drawn), missing
        assert set(want["path"]) <= legible, missing  # every entity of a path
        assert overlaps(page) == []
        # Zoomed to fit: the drawing fills the canvas (no longer capped at zoom 1).
        box = page.evaluate("""() => {
          const l = globalThis.kgGraph.labels(), c = globalThis.kgGraph.canvas();
          const xs = l.nodes.map(n => n.x).concat(l.nodes.map(n => n.x + n.w));
          const ys = l.nodes.map(n => n.y).concat(l.nodes.map(n => n.y + n.h));
          return {w: (Math.max(...xs) - Math.min(...xs)) / c.clientWidth,
                  h: (Math.max(...ys) - Math.min(...ys)) / c.clientHeight,
                  zoom: globalThis.kgGraph.zoom()};
        }""")
        assert box["w"] > 0.5 or box["h"] > 0.5 or box["zoom"] == 2, box
        assert errors == []
    finally:
        context.close()


# --- focus, selection, keyboard ----------------------------------------------------------------


def test_the_focus_is_marked_and_dimming_fades_labels(browser, light_app):
    context, page, _ = open_view(browser, light_app, "focus=earn_it_act&depth=1", "1440x900")
    try:
        focused = page.evaluate(
            "() => { const v = globalThis.kgGraph; return v.nodes.getIds().filter("
            "id => v.node(id).focused); }"
        )
        assert focused == ["earn_it_act"]
        ids = drawn_ids(page)
        leaf = next(n for n in ids if n != "earn_it_act" and n != "ijm")
        point = page.evaluate("id => globalThis.kgGraph.domPosition(id)", leaf)
        page.mouse.click(point["x"], point["y"])
        page.wait_for_selector(f".kg-card[data-node-id={leaf}]")
        alpha = page.evaluate(
            """id => {
          const v = globalThis.kgGraph, near = new Set(v.network.getConnectedNodes(id));
          near.add(id);
          const out = {near: [], far: []};
          v.labels().labels.forEach(l => (near.has(l.id) ? out.near : out.far).push(l.alpha));
          return out;
        }""",
            leaf,
        )
        assert alpha["near"] and set(alpha["near"]) == {1}
        assert alpha["far"] and max(alpha["far"]) < 0.5  # the others' names fade with them
    finally:
        context.close()


def test_a_click_shows_the_card_at_once_and_the_details_follow(browser, light_app, bundled):
    context, page, errors = open_view(browser, light_app, "focus=ncmec&depth=1", "1440x900")
    try:
        point = page.evaluate("() => globalThis.kgGraph.domPosition('cybertipline')")
        page.mouse.click(point["x"], point["y"])
        # The card is filled by the click handler itself, from what the drawing holds.
        card = page.locator(".kg-card[data-node-id=cybertipline]")
        assert card.is_visible()
        node = bundled.nodes["cybertipline"]
        assert card.locator(".kg-card-name").text_content() == node["name"]
        assert card.locator(".kg-card-type").text_content() == "Tool"
        assert node["description"].startswith(card.locator(".kg-card-description").text_content())
        page.wait_for_selector(f"{DETAILS} h3:has-text('CyberTipline')", timeout=20_000)
        page.mouse.click(5, 5)  # outside the drawing: nothing changes
        assert errors == []
    finally:
        context.close()


def test_a_short_name_is_drawn_and_the_card_gives_the_whole_name(browser, light_app, bundled):
    context, page, errors = open_view(browser, light_app, "focus=ncmec&depth=1", "1440x900")
    try:
        drawn = page.evaluate(
            "() => globalThis.kgGraph.labels().labels.filter(l => l.id === 'ncmec')"
            ".map(l => l.text)"
        )
        assert drawn == [bundled.nodes["ncmec"]["short_name"]] == ["NCMEC"]
        point = page.evaluate("() => globalThis.kgGraph.domPosition('ncmec')")
        page.mouse.click(point["x"], point["y"])
        card = page.locator(".kg-card[data-node-id=ncmec]")
        card.wait_for()
        name = card.locator(".kg-card-name").text_content()
        assert (
            name
            == bundled.nodes["ncmec"]["name"]
            == "National Center for Missing and Exploited Children"
        )
        assert errors == []
    finally:
        context.close()


def test_the_drawing_is_reachable_by_keyboard(browser, light_app):
    context, page, _ = open_view(browser, light_app, "focus=ncmec&depth=1", "1440x900")
    try:
        graph = page.locator(GRAPH)
        assert graph.get_attribute("tabindex") == "0"
        assert "Arrow keys" in graph.get_attribute("aria-label")
        graph.focus()
        page.keyboard.press("ArrowDown")
        live = page.locator(f"{GRAPH} .kg-live")
        first = page.evaluate("() => globalThis.kgGraph.cursor()")
        assert first == "ncmec"  # the focus entity first
        assert live.text_content().startswith("National Center for Missing and Exploited Children")
        moves = set()
        for key in ("ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"):
            page.keyboard.press(key)
            moves.add(page.evaluate("() => globalThis.kgGraph.cursor()"))
        assert len(moves) >= 2  # the arrows move between entities
        seen, everyone = set(), set(drawn_ids(page))
        for _ in everyone:  # "]" goes through every drawn entity, most important first
            page.keyboard.press("]")
            seen.add(page.evaluate("() => globalThis.kgGraph.cursor()"))
        assert seen == everyone
        target = page.evaluate("() => globalThis.kgGraph.cursor()")
        whole = "id => { const n = globalThis.kgGraph.node(id); return n.name || n.label; }"
        name = page.evaluate(whole, target)  # the name in full, not a short label
        page.keyboard.press("Enter")
        assert live.text_content().startswith(f"Selected: {name}")
        page.wait_for_selector(f"{DETAILS} h3:has-text({name!r})", timeout=20_000)
        for label in ("Zoom in", "Zoom out", "Fit the drawing to the frame"):
            assert page.get_by_role("button", name=label).is_visible()
    finally:
        context.close()


# --- the dark theme's colours -----------------------------------------------------------------


def test_every_node_stands_out_from_the_dark_canvas(browser, dark_app):
    context, page, _ = open_view(browser, dark_app, "", "1440x900")
    try:
        drawn = page.evaluate("""() => {
          const v = globalThis.kgGraph;
          return {background: v.theme().background,
                  fills: v.nodes.getIds().map(id => [id, v.fill(id)])};
        }""")
        low = [(n, f) for n, f in drawn["fills"] if contrast(f, drawn["background"]) < 3]
        assert low == [] and len(drawn["fills"]) > 100
    finally:
        context.close()


# --- tour steps in presentation mode at 1280x720 --------------------------------------------

TOURS = load_tours(DATA / "tours.yaml", load_graph(DATA))
TOUR_STEPS = [(tour.id, n) for tour in TOURS for n in range(1, len(tour.steps) + 1)]
SAVED_STEPS = {TOUR_STEPS[0], TOUR_STEPS[len(TOUR_STEPS) // 2], TOUR_STEPS[-1]}


@pytest.fixture(scope="module")
def projector(browser) -> Iterator:
    """One page at projector size, reused for every step (a step is a link)."""
    context = browser.new_context(viewport=SCREENS["1280x720"])
    yield context.new_page()
    context.close()


def filled_share(page) -> float:
    """How much of the canvas the drawing (shapes and labels) spans, in its fuller direction."""
    drawn = page.evaluate("() => globalThis.kgGraph.labels()")
    boxes = drawn["nodes"] + [label for label in drawn["labels"] if not label["inside"]]
    canvas = page.locator("[data-testid=kg-graph] canvas").first.bounding_box()
    left = min(b["x"] for b in boxes)
    right = max(b["x"] + b["w"] for b in boxes)
    top = min(b["y"] for b in boxes)
    bottom = max(b["y"] + b["h"] for b in boxes)
    return max((right - left) / canvas["width"], (bottom - top) / canvas["height"])


def labelled(page) -> set[str]:
    """The entities the drawing gave a label (KGView's ``data-kg-labelled``)."""
    return set((page.locator(GRAPH).first.get_attribute("data-kg-labelled") or "").split())


def test_every_tour_step_shows_and_names_what_it_narrates(
    projector, light_app, bundled, save_screenshot
):
    """Presented at 1280x720, every step draws and labels each entity it highlights, no label
    over a label or a shape, the drawing spanning most of the canvas; over all steps, nine names
    in ten and every highlighted name read back by OCR (the bench gives each step's counts)."""
    problems, drawn_total, legible_total, lit_total, lit_legible = [], 0, 0, 0, 0
    for tour_id, number in TOUR_STEPS:
        step = next(t for t in TOURS if t.id == tour_id).steps[number - 1]
        projector.goto(f"{light_app.url}/?tour={tour_id}&step={number}&present=1")
        settle(projector)
        drawn = scene(bundled, step.view).graph
        names = {n: entity_label(drawn, n) for n in drawn}
        where = f"{tour_id} step {number}"
        if sorted(drawn_ids(projector)) != sorted(names):
            problems.append(f"{where}: draws other entities than its view")
        highlight = set(step.view.highlight)
        if not highlight <= labelled(projector):
            problems.append(f"{where}: unlabelled highlights {highlight - labelled(projector)}")
        if overlaps(projector):
            problems.append(f"{where}: overlaps {overlaps(projector)}")
        if filled_share(projector) < 0.8:
            problems.append(f"{where}: the drawing spans {filled_share(projector):.0%}")
        legible = legible_names(canvas_png(projector), names)
        if (tour_id, number) in SAVED_STEPS:
            save_screenshot(projector, f"tour_{tour_id}_step{number}_1280x720")
        drawn_total, legible_total = drawn_total + len(names), legible_total + len(legible)
        lit_total, lit_legible = lit_total + len(highlight), lit_legible + len(highlight & legible)
    totals = {"legible": (legible_total, drawn_total), "highlights": (lit_legible, lit_total)}
    assert problems == [], totals
    assert legible_total >= 0.9 * drawn_total, totals
    assert lit_legible >= 0.95 * lit_total, (lit_legible, lit_total)


def test_at_900_px_wide_the_panel_goes_below_and_no_button_is_cut(
    browser, light_app, save_screenshot
):
    context = browser.new_context(viewport={"width": 900, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{light_app.url}/?selected=ncmec")
        settle(page)
        page.wait_for_selector(f"{DETAILS} h3")
        canvas = page.locator(f"{GRAPH} canvas").first.bounding_box()
        panel = page.locator(".st-key-side_panel").first.bounding_box()
        save_screenshot(page, "narrow_900x800")
        assert panel["y"] >= canvas["y"] + canvas["height"] - 1  # below the drawing
        assert canvas["width"] >= 0.5 * 900
        cut = page.evaluate("""() => [...document.querySelectorAll(
              '.st-key-side_panel button, [data-testid=stSidebar] button')]
            .filter(b => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1)
            .map(b => b.innerText)""")
        assert cut == []
    finally:
        context.close()
