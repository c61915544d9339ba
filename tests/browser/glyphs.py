"""Reading legend glyphs in the browser: where an SVG glyph is filled, and whether the PNG
snapshot's legend paints the same outline (used by the app and the HTML export tests)."""

from __future__ import annotations

# For the <svg class="kg-glyph"> the selector names: in five rows across its 20 x 20 box (top to
# bottom), how many of 37 points along the row lie inside the filled outline.
GLYPH_ROWS = """
selector => {
  const path = document.querySelector(selector).querySelector('path');
  return [3, 6.5, 10, 13.5, 17].map(y => {
    let inside = 0;
    for (let x = 1; x <= 19; x += 0.5) {
      if (path.isPointInFill(new DOMPoint(x, y))) { inside += 1; }
    }
    return inside;
  });
}
"""

# Draws KGView.snapshot of the view on screen and, for each legend item under the selector,
# compares the page glyph with the snapshot's: at grid points well inside or well outside the
# page glyph's outline (1.5 units, about a pixel, from any edge), is the snapshot pixel painted in
# the glyph's colour (nearer to it than to the background)?
SNAPSHOT_AGREES = """
legendSelector => {
  const view = (globalThis.kgExport && globalThis.kgExport.view) || globalThis.kgGraph;
  const entries = globalThis.kgExport ? globalThis.kgExport.data.legend
                                      : globalThis.kgLegendEntries;
  const out = KGView.snapshot(view, {title: 'Glyphs', legend: entries});
  const ctx = out.getContext('2d');
  const rgb = hex => [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
  const far = (a, b) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);
  const background = rgb(view.theme().background);
  const items = [...document.querySelectorAll(legendSelector + ' .kg-legend-item')];
  return items.map((item, i) => {
    const svg = item.querySelector('svg.kg-glyph');
    const path = svg.querySelector('path');
    const fill = rgb(path.getAttribute('fill'));
    const at = out.kgGlyphs[i];
    const inside = (x, y) => path.isPointInFill(new DOMPoint(x, y));
    let checked = 0, agree = 0, filled = 0;
    for (let gx = 1; gx <= 19; gx += 0.5) {
      for (let gy = 1; gy <= 19; gy += 0.5) {
        const here = inside(gx, gy);
        const nearEdge = [[1.5, 0], [-1.5, 0], [0, 1.5], [0, -1.5], [1.1, 1.1], [-1.1, -1.1],
                          [1.1, -1.1], [-1.1, 1.1]]
          .some(([dx, dy]) => inside(gx + dx, gy + dy) !== here);
        if (nearEdge) { continue; }
        const px = Math.floor(at.x + (gx - 10) / 7.5 * at.r);
        const py = Math.floor(at.y + (gy - 10) / 7.5 * at.r);
        const pixel = [...ctx.getImageData(px, py, 1, 1).data.slice(0, 3)];
        const painted = far(pixel, fill) < far(pixel, background);
        checked += 1;
        agree += painted === here ? 1 : 0;
        filled += here ? 1 : 0;
      }
    }
    return {shape: svg.dataset.shape, snapshot_shape: at.shape, checked, agree, filled,
            label: item.querySelector('.kg-legend-label').textContent};
  });
}
"""


def is_triangle_down(rows: list[int]) -> bool:
    """Rows from GLYPH_ROWS that narrow steadily from a wide top to a point at the bottom."""
    return all(a > b for a, b in zip(rows, rows[1:])) and rows[0] >= 30 and rows[-1] <= 4
