"""Benchmark the static drawings (graph.static): SVG, PDF and PNG of the bundled overview and of a
1,500-entity view, as ratios against ``graph.view.scene`` for the same view.

A benchmark, not a test. For each case the view's scene (:func:`graph.view.scene`: filters,
focus, the 1,500 cap) is timed as the baseline, in the same process on the same graph; then the
drawing (:func:`graph.view.drawing`: the layout, the measure, the highlights) and each picture
format (:func:`graph.static.render`: vis_data, shapes, label placement, the file), with what the
screen is sent (:func:`graph.vis.vis_data`) for comparison. Each timing
is the best of ``--repeat`` runs. The 1,500-entity view is the whole of a synthetic dataset
(:mod:`bench.synthetic`) of that size.

Usage::

    .venv/bin/python bench/bench_static.py [--entities 1500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import generate  # noqa: E402
from bench.timing import best_of  # noqa: E402
from graph import static  # noqa: E402
from graph import view as views  # noqa: E402
from graph.load import load_graph  # noqa: E402
from graph.vis import vis_data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def case(name: str, G, view: views.View, repeat: int) -> list[str]:
    """Time one view: its scene (the baseline), its drawing, and each picture format."""
    baseline = best_of(repeat, lambda: views.scene(G, view))
    drawn = views.scene(G, view)
    look_time = best_of(repeat, lambda: views.drawing(drawn, view))
    look = views.drawing(drawn, view)
    screen = best_of(repeat, lambda: vis_data(drawn.graph, **look.options()))
    rows = [
        f"{name}: {drawn.entities:,} entities, {drawn.relations:,} relations",
        f"  scene (baseline)     {baseline * 1000:9.1f} ms   1.0x",
        f"  drawing (layout)     {look_time * 1000:9.1f} ms  {look_time / baseline:6.1f}x",
        f"  vis_data (screen)    {screen * 1000:9.1f} ms  {screen / baseline:6.1f}x",
    ]
    for fmt in static.FORMATS:
        size = {"bytes": 0}

        def render(fmt: str = fmt, size: dict = size) -> None:
            out = io.BytesIO()
            static.render(drawn.graph, look, fmt, out, title=name)
            size["bytes"] = len(out.getvalue())

        took = best_of(repeat, render)
        rows.append(
            f"  render {fmt:<13} {took * 1000:9.1f} ms  {took / baseline:6.1f}x"
            f"   ({size['bytes'] / 1024:,.0f} KB)"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=views.MAX_DRAWN)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    lines = case("Bundled overview", load_graph(ROOT / "data"), views.View(), args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        generate(folder, args.entities)
        G = load_graph(folder)
    lines += case(f"Synthetic {args.entities:,}", G, views.View(), args.repeat)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
