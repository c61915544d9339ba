/*
 * KGView — draws graph.vis.vis_data() output with vis-network.
 *
 * Shared by the standalone HTML export and the Streamlit component. Needs the global `vis`
 * (vis-network's standalone build) loaded first, or pass it as options.vis.
 *
 *   var view = KGView.mount(container, data, {onSelect: fn(id, node), onDoubleClick: fn(id, node)});
 *
 * Positions come with the data, so physics stays off and the drawing stands still at once.
 * Hovering or selecting a node keeps its neighbourhood bright and dims the rest. The container
 * gets data-node-count / data-edge-count / data-node-ids (what is drawn; the ids space-separated,
 * in the data's order) and data-kg-ready="true" after the first frame. Data is never inserted as
 * HTML: tooltips are strings, which vis-network 9 shows as text.
 *
 * The handle: network, nodes, edges (vis DataSets), setData(data), select(id, {focus, notify}),
 * clearSelection(), focus(id), fit(), setTheme({background, text}) (hex colours of the page:
 * on a dark background, the dark inks below become the text colour), theme(),
 * domPosition(id) -> {x, y} in viewport pixels,
 * node(id) -> the data node, opacity(id) -> as drawn (dimmed or not), canvas(), destroy().
 *
 * KGView.search(data, query, limit) finds nodes by name or alias (and details aliases, when the
 * data has them); KGView.snapshot(view, {title, subtitle, legend}) returns a canvas holding the
 * title, the drawing and the legend, in the view's theme, ready for toBlob / toDataURL (its
 * kgGlyphs property lists where each legend glyph went: [{shape, x, y, r}] in canvas pixels).
 *
 * The legend: KGView.renderLegend(list, entries) fills a <ul> with one <li class=
 * "kg-legend-item"> per vis_data() legend entry: a glyph, the label and the count, all text set
 * with textContent. KGView.glyph(shape, color) is that glyph alone: an inline <svg class=
 * "kg-glyph" data-shape=...> drawing the entry's vis-network shape. KGView.glyphPath(shape, x, y,
 * r) is its outline as SVG path data, the one geometry for the page's glyphs and the snapshot's.
 */
(function (root) {
  "use strict";

  var DIM_OPACITY = 0.15;
  var HOVER_DIM_MAX_NODES = 3000; // above this, only a click dims (hover would be sluggish)
  var BIG_GRAPH = 2500; // above this, hide edges while dragging or zooming
  var FONT_FACE = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  // Shapes vis-network would draw round their label, growing with it
  // (graph.layout.INSIDE_LABEL_SHAPES): here they get a fixed size, as a dot does, and their
  // label beside them. A "text" node is its label alone.
  var SIZED_BY_LABEL = new Set(["box", "ellipse", "circle", "database"]);
  var BOX_HEIGHT = 0.65;    // a box is 2 size wide, this times 2 size high (graph.layout)

  // Inks graph.vis chooses for a light canvas: labels beside shapes, highlight borders and
  // edges, edge hover. On a dark canvas they are drawn in the page's text colour instead.
  var DARK_INKS = new Set(["#222222", "#111111", "#333333", "#555555"]);
  var LIGHT_THEME = { background: "#ffffff", text: "#222222", dark: false };

  function luminance(hex) {
    var m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(String(hex || ""));
    if (!m) {
      return 1;
    }
    return (0.2126 * parseInt(m[1], 16) + 0.7152 * parseInt(m[2], 16) +
      0.0722 * parseInt(m[3], 16)) / 255;
  }


  function networkOptions(nodeCount) {
    var big = nodeCount > BIG_GRAPH;
    return {
      autoResize: true,
      physics: { enabled: false },
      layout: { improvedLayout: false },
      interaction: {
        hover: true,
        tooltipDelay: 120,
        hideEdgesOnDrag: big,
        hideEdgesOnZoom: big,
        navigationButtons: false,
        keyboard: false,
        multiselect: false,
        selectConnectedEdges: true
      },
      nodes: {
        borderWidth: 1,
        borderWidthSelected: 3,
        // A box holds its (invisible) label: long names wrap at 170 px, as KGView draws them.
        widthConstraint: { maximum: 170 },
        font: { size: 14, face: FONT_FACE, strokeWidth: 0 }
      },
      edges: {
        smooth: false,
        arrows: { to: { enabled: true, scaleFactor: 0.55 } },
        selectionWidth: 1.5,
        hoverWidth: 0.5,
        font: { size: 11, face: FONT_FACE, strokeWidth: 3, strokeColor: "#ffffff" }
      }
    };
  }

  function normalise(text) {
    var s = String(text == null ? "" : text).toLowerCase();
    return s.normalize ? s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "") : s;
  }

  /** Nodes whose name or an alias contains the query: exact, then prefix, then substring. */
  function search(data, query, limit) {
    var q = normalise(query).trim();
    if (!q) {
      return [];
    }
    var found = [];
    (data.nodes || []).forEach(function (node) {
      var details = node.details || {};
      var name = String(details.name != null ? details.name
        : node.name != null ? node.name : node.label);
      var best = null;
      function consider(text, isAlias) {
        var t = normalise(text);
        var at = t.indexOf(q);
        if (at < 0) {
          return;
        }
        var rank = (t === q ? 0 : at === 0 ? 2 : 4) + (isAlias ? 1 : 0);
        if (best === null || rank < best.rank) {
          best = { rank: rank, via: isAlias ? String(text) : null };
        }
      }
      consider(name, false);
      if (node.label != null && String(node.label) !== name) {
        consider(String(node.label), true);  // the short name drawn
      }
      (details.aliases || []).forEach(function (alias) { consider(alias, true); });
      if (best !== null) {
        found.push({ id: node.id, name: name, alias: best.via, type: details.type_label || "",
                     rank: best.rank });
      }
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
    return found.slice(0, limit || 10);
  }

  var SVG_NS = "http://www.w3.org/2000/svg";
  var GLYPH_BOX = 20;       // a page glyph is drawn in a 20 x 20 viewBox ...
  var GLYPH_RADIUS = 7.5;   // ... at this radius, centred
  var GLYPH_STROKE = "rgba(0, 0, 0, 0.35)";
  var FALLBACK_COLOR = "#BBBBBB";

  function num(n) {
    return String(Math.round(n * 100) / 100);
  }

  function polygon(points) {
    return points.map(function (p, i) {
      return (i ? "L" : "M") + num(p[0]) + " " + num(p[1]);
    }).join(" ") + " Z";
  }

  function ellipsePath(x, y, rx, ry) {
    var arc = " A" + num(rx) + " " + num(ry) + " 0 1 0 ";
    return "M" + num(x - rx) + " " + num(y) + arc + num(x + rx) + " " + num(y) +
      arc + num(x - rx) + " " + num(y) + " Z";
  }

  /** The outline of vis-network's shape `shape` centred on (x, y) at radius r, as SVG path data
      (for an <svg> <path>, or a canvas's Path2D). The geometry is vis-network 9's own (its
      triangle, triangleDown, star, hexagon, diamond, square and dot at size r); shapes that
      vis-network sizes by their label (box, ellipse, database, circle) get a fixed proportion,
      and "text" (a label alone) a bar. Unknown shapes are dots, as in vis-network. */
  function glyphPath(shape, x, y, r) {
    var i;
    var points = [];
    switch (shape) {
      case "square":
        return polygon([[x - r, y - r], [x + r, y - r], [x + r, y + r], [x - r, y + r]]);
      case "diamond":
        return polygon([[x, y - r], [x + r, y], [x, y + r], [x - r, y]]);
      case "triangle":
      case "triangleDown": {
        var up = shape === "triangle" ? 1 : -1;
        var side = 2 * r * 1.15;
        var inner = Math.sqrt(3) / 6 * side;
        var height = Math.sqrt(side * side - side * side / 4);
        var cy = y + up * 0.275 * r * 1.15;
        return polygon([[x, cy - up * (height - inner)], [x + side / 2, cy + up * inner],
                        [x - side / 2, cy + up * inner]]);
      }
      case "hexagon":
        for (i = 0; i < 6; i++) {
          points.push([x + r * Math.cos(i * Math.PI / 3), y + r * Math.sin(i * Math.PI / 3)]);
        }
        return polygon(points);
      case "star": {
        var rs = r * 0.82;
        var sy = y + 0.1 * rs;
        for (i = 0; i < 10; i++) {
          var radius = i % 2 === 0 ? rs * 1.3 : rs * 0.5;
          points.push([x + radius * Math.sin(i * Math.PI / 5), sy - radius * Math.cos(i * Math.PI / 5)]);
        }
        return polygon(points);
      }
      case "box": {
        var h = 0.65 * r;
        var c = 0.3 * r;
        var corner = " A" + num(c) + " " + num(c) + " 0 0 1 ";
        return "M" + num(x - r + c) + " " + num(y - h) + " L" + num(x + r - c) + " " + num(y - h) +
          corner + num(x + r) + " " + num(y - h + c) + " L" + num(x + r) + " " + num(y + h - c) +
          corner + num(x + r - c) + " " + num(y + h) + " L" + num(x - r + c) + " " + num(y + h) +
          corner + num(x - r) + " " + num(y + h - c) + " L" + num(x - r) + " " + num(y - h + c) +
          corner + num(x - r + c) + " " + num(y - h) + " Z";
      }
      case "ellipse":
        return ellipsePath(x, y, r, 0.65 * r);
      case "database": {
        var top = y - 0.7 * r;
        var bottom = y + 0.7 * r;
        var rim = " A" + num(r) + " " + num(0.3 * r) + " 0 0 1 ";
        // The body, then the top rim's lower edge (drawn by the stroke; same winding, so the
        // fill is unchanged).
        return "M" + num(x - r) + " " + num(top) + rim + num(x + r) + " " + num(top) +
          " L" + num(x + r) + " " + num(bottom) + rim + num(x - r) + " " + num(bottom) + " Z" +
          " M" + num(x + r) + " " + num(top) + rim + num(x - r) + " " + num(top);
      }
      case "text":
        return polygon([[x - r, y - 0.3 * r], [x + r, y - 0.3 * r], [x + r, y + 0.3 * r],
                        [x - r, y + 0.3 * r]]);
      default:
        return ellipsePath(x, y, r, r);
    }
  }

  /** A colour from the data as a fill: #rgb / #rrggbb(aa) only, else the fallback grey. */
  function fillColor(color) {
    var text = String(color || "");
    return /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(text) ? text : FALLBACK_COLOR;
  }

  /** An inline <svg class="kg-glyph" data-shape=...> drawing `shape` filled with `color`. */
  function glyph(shape, color) {
    var name = String(shape || "dot");
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", "kg-glyph");
    svg.setAttribute("viewBox", "0 0 " + GLYPH_BOX + " " + GLYPH_BOX);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("data-shape", name);
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", glyphPath(name, GLYPH_BOX / 2, GLYPH_BOX / 2, GLYPH_RADIUS));
    path.setAttribute("fill", fillColor(color));
    path.setAttribute("stroke", GLYPH_STROKE);
    path.setAttribute("stroke-width", "1");
    svg.appendChild(path);
    return svg;
  }

  /** Fill `list` (a <ul>) with the legend: glyph, label, "(count)" per entry; text as text.
      With opts.dark, glyphs take the entries' dark-canvas colours (dark_color). */
  function renderLegend(list, entries, opts) {
    var dark = Boolean(opts && opts.dark);
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    (entries || []).forEach(function (entry) {
      var item = document.createElement("li");
      item.className = "kg-legend-item";
      item.setAttribute("data-kind", String(entry.kind || "type"));
      if (entry.id !== null && entry.id !== undefined) {
        item.setAttribute("data-id", String(entry.id));
      }
      var label = document.createElement("span");
      label.className = "kg-legend-label";
      label.textContent = String(entry.label);
      var count = document.createElement("span");
      count.className = "kg-legend-count";
      count.textContent = "(" + String(entry.count) + ")";
      item.appendChild(glyph(entry.shape, dark && entry.dark_color ? entry.dark_color : entry.color));
      item.appendChild(label);
      item.appendChild(count);
      list.appendChild(item);
    });
  }

  /** Draw a legend glyph on a canvas: the same outline as the page's glyphs. */
  function drawGlyph(ctx, shape, x, y, r, color, lineWidth) {
    var path = new Path2D(glyphPath(String(shape || "dot"), x, y, r));
    ctx.fillStyle = fillColor(color);
    ctx.fill(path);
    ctx.lineWidth = lineWidth;
    ctx.strokeStyle = GLYPH_STROKE;
    ctx.stroke(path);
  }

  /** The legend laid out in rows no wider than `width`: [[{entry, x, width}]]. */
  function legendRows(ctx, entries, width, unit) {
    var rows = [[]];
    var x = 0;
    entries.forEach(function (entry) {
      var text = String(entry.label) + " (" + String(entry.count) + ")";
      var w = unit * 1.6 + ctx.measureText(text).width;
      if (x > 0 && x + w > width) {
        rows.push([]);
        x = 0;
      }
      rows[rows.length - 1].push({ entry: entry, text: text, x: x });
      x += w + unit * 1.4;
    });
    return entries.length ? rows : [];
  }

  /** Words of `text` in at most `maxLines` lines no wider than `width` (the last cut with "…"). */
  function wrapText(ctx, text, width, maxLines) {
    var lines = [];
    var line = "";
    String(text).split(/\s+/).forEach(function (word) {
      var candidate = line ? line + " " + word : word;
      if (line && ctx.measureText(candidate).width > width) {
        lines.push(line);
        line = word;
      } else {
        line = candidate;
      }
    });
    if (line) {
      lines.push(line);
    }
    if (lines.length > maxLines) {
      lines = lines.slice(0, maxLines);
      lines[maxLines - 1] += " …";
    }
    return lines.map(function (l) {
      while (l.length > 1 && ctx.measureText(l).width > width) {
        l = l.slice(0, -2) + "…";
      }
      return l;
    });
  }

  /** A canvas with the title and subtitle above the drawing and the legend below it. */
  function snapshot(view, opts) {
    opts = opts || {};
    var source = view.canvas();
    var theme = view.theme();
    var scale = source.clientWidth ? source.width / source.clientWidth : 1;
    var unit = 13 * scale;
    var pad = 16 * scale;
    var out = document.createElement("canvas");
    var ctx = out.getContext("2d");
    var legendFont = unit + "px " + FONT_FACE;
    ctx.font = legendFont;
    var rows = legendRows(ctx, opts.legend || [], source.width - 2 * pad, unit);
    var titleFont = "600 " + (1.35 * unit) + "px " + FONT_FACE;
    ctx.font = titleFont;
    var titleLines = opts.title ? wrapText(ctx, opts.title, source.width - 2 * pad, 2) : [];
    var titleHeight = titleLines.length * 1.75 * unit;
    var subtitleHeight = opts.subtitle ? 1.5 * unit : 0;
    var top = pad + titleHeight + subtitleHeight + (titleHeight || subtitleHeight ? pad / 2 : 0);
    var rowHeight = 1.7 * unit;
    out.width = source.width;
    out.height = Math.ceil(top + source.height + (rows.length ? pad / 2 + rows.length * rowHeight : 0) + pad);
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = theme.text;
    ctx.textBaseline = "top";
    ctx.font = titleFont;
    titleLines.forEach(function (line, i) {
      ctx.fillText(line, pad, pad + i * 1.75 * unit);
    });
    if (opts.subtitle) {
      ctx.globalAlpha = 0.75;
      ctx.font = legendFont;
      ctx.fillText(wrapText(ctx, opts.subtitle, out.width - 2 * pad, 1)[0], pad,
                   pad + titleHeight);
      ctx.globalAlpha = 1;
    }
    ctx.drawImage(source, 0, top);
    ctx.font = legendFont;
    ctx.textBaseline = "middle";
    out.kgGlyphs = [];
    rows.forEach(function (row, i) {
      var y = top + source.height + pad / 2 + (i + 0.5) * rowHeight;
      row.forEach(function (item) {
        var at = { shape: String(item.entry.shape || "dot"), x: pad + item.x + unit * 0.5, y: y,
                   r: unit * 0.42 };
        var fill = theme.dark && item.entry.dark_color ? item.entry.dark_color : item.entry.color;
        drawGlyph(ctx, at.shape, at.x, at.y, at.r, fill, scale);
        out.kgGlyphs.push(at);
        ctx.fillStyle = theme.text;
        ctx.fillText(item.text, pad + item.x + unit * 1.6, y);
      });
    });
    return out;
  }

  // --- labels: drawn by KGView, at a readable size on screen, most important first ---------

  var LABEL_WIDTH = 170;    // canvas px a label wraps at, at its font size (graph.layout)
  var LABEL_PX = 14;        // a label's font size at zoom 1, unless the node's font says
  var LINE_HEIGHT = 1.2;    // in font sizes (graph.layout.LABEL_LINE)
  var LABEL_GAP = 5;        // screen px between a shape and its label
  var NODE_CLEARANCE = 3;   // and at least this between a label and any other shape
  var LABEL_SIDE_PAD = 4;   // screen px kept clear left and right of a label
  var MIN_LABEL_PX = 14;    // a label is never drawn smaller than this on screen ...
  var MAX_LABEL_GROWTH = 1.25; // ... nor bigger than this times its font size
  var DIM_LABEL_ALPHA = 0.22;
  var LABEL_PLATE_ALPHA = 1;
  var MAX_ZOOM = 2;         // a small view is zoomed to fit the canvas, up to this
  var MIN_ZOOM = 0.02;
  var SMALL_VIEW = 40;      // up to this many entities, a view always starts fitted
  var MAX_SPREAD = 3;       // and is drawn up to this much further apart to fill the canvas
  var READABLE_ZOOM = 0.25; // a larger one starts no further out than this (graph.layout's
                            // room for the top names' labels is made for it)
  var FIT_PAD = 18;         // screen px left round the drawing when fitting
  var ZOOM_STEP = 1.4;
  var GRID_CELL = 48;
  var SHAPE_REACH = { star: 1.3, triangle: 1.15, triangleDown: 1.15 };

  var PRIORITY_REACH = [0, 14, 28]; // px further out a selected/focused/highlighted label may go
  var BOLD_WIDTH = 1.1;     // a bold label's width over the regular one measured
  var WIDE_LABEL = 2;       // a label with no room wrapped at LABEL_WIDTH is tried this much wider
  var MAX_CROSSING_EDGES = 4000; // above this many relations on screen, take the first free spot

  /** Whether the segment {x0, y0, x1, y1} passes through the box {x, y, w, h} (Liang–Barsky). */
  function segmentCrosses(s, box) {
    var dx = s.x1 - s.x0;
    var dy = s.y1 - s.y0;
    var t0 = 0;
    var t1 = 1;
    var edges = [[-dx, s.x0 - box.x], [dx, box.x + box.w - s.x0],
                 [-dy, s.y0 - box.y], [dy, box.y + box.h - s.y0]];
    for (var i = 0; i < 4; i++) {
      var p = edges[i][0];
      var q = edges[i][1];
      if (p === 0) {
        if (q < 0) {
          return false;
        }
      } else {
        var t = q / p;
        if (p < 0) {
          t0 = Math.max(t0, t);
        } else {
          t1 = Math.min(t1, t);
        }
        if (t0 > t1) {
          return false;
        }
      }
    }
    return true;
  }

  var measurer = null;

  /** A label's lines, each with its width in ems: wrapped at LABEL_WIDTH / base ems, so the
      lines are the same at every zoom (the width scales with the font). */
  function labelLines(text, maxEm) {
    if (!measurer) {
      measurer = document.createElement("canvas").getContext("2d");
      measurer.font = "100px " + FONT_FACE;
    }
    var em = function (s) { return measurer.measureText(s).width / 100; };
    var lines = [];
    String(text == null ? "" : text).split(/\s+/).forEach(function (word) {
      if (!word) {
        return;
      }
      var last = lines[lines.length - 1];
      var joined = last ? last.text + " " + word : word;
      var width = em(joined);
      if (last && width <= maxEm) {
        last.text = joined;
        last.em = width;
      } else {
        lines.push({ text: word, em: em(word) });
      }
    });
    return lines;
  }

  /** Boxes on screen, bucketed in a grid, to ask "does this box touch any placed so far?" */
  function BoxGrid() {
    this.cells = new Map();
  }
  BoxGrid.prototype.keys = function (b, visit) {
    var x0 = Math.floor(b.x / GRID_CELL), x1 = Math.floor((b.x + b.w) / GRID_CELL);
    var y0 = Math.floor(b.y / GRID_CELL), y1 = Math.floor((b.y + b.h) / GRID_CELL);
    for (var x = x0; x <= x1; x++) {
      for (var y = y0; y <= y1; y++) {
        if (visit(x * 100003 + y) === false) {
          return false;
        }
      }
    }
    return true;
  };
  BoxGrid.prototype.add = function (b) {
    var cells = this.cells;
    this.keys(b, function (k) {
      var list = cells.get(k);
      if (!list) {
        cells.set(k, [b]);
      } else {
        list.push(b);
      }
    });
  };
  BoxGrid.prototype.free = function (b) {
    var cells = this.cells;
    return this.keys(b, function (k) {
      var list = cells.get(k);
      if (!list) {
        return true;
      }
      for (var i = 0; i < list.length; i++) {
        var o = list[i];
        if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) {
          return false;
        }
      }
      return true;
    });
  };

  function mount(container, data, options) {
    options = options || {};
    var vis = options.vis || root.vis;
    if (!vis || !vis.Network) {
      throw new Error("KGView: vis-network is not loaded");
    }
    container.classList.add("kg-view");
    var nodes = new vis.DataSet();
    var edges = new vis.DataSet();
    var state = {
      data: { nodes: [], edges: [] },
      byId: new Map(),
      edgeById: new Map(),
      adjacency: new Map(),
      info: new Map(),
      order: [],
      typeLabels: new Map(),
      selected: null,
      focused: null,
      cursor: null,
      dimNodes: new Set(),
      dimEdges: new Set(),
      theme: LIGHT_THEME,
      placed: { labels: [], nodes: [] },
      keyboard: false,
      userMoved: false
    };
    var count = (data && data.nodes ? data.nodes.length : 0);
    var network = new vis.Network(container, { nodes: nodes, edges: edges },
                                  networkOptions(count));
    var chrome = buildChrome();

    function neighbourhood(id) {
      var entry = state.adjacency.get(id);
      var keepNodes = new Set([id]);
      if (entry) {
        entry.nodes.forEach(function (n) { keepNodes.add(n); });
      }
      return { nodes: keepNodes, edges: entry ? entry.edges : new Set() };
    }

    /** Dim everything outside the neighbourhood of `id` (or nothing when id is null).
        The opacity is written into the objects vis-network draws, not through its DataSets,
        which re-parse every item's options (0.45 s for 1,000 nodes and 5,000 edges, against
        20 ms this way). Labels are KGView's own and read the same dimmed set. */
    function applyFocus(id) {
      if (id !== null && !state.byId.has(id)) {
        id = null;
      }
      if (id === state.focused) {
        return;
      }
      state.focused = id;
      var keep = id === null ? null : neighbourhood(id);
      var nodeUpdates = [];
      state.data.nodes.forEach(function (n) {
        var dim = keep !== null && !keep.nodes.has(n.id);
        if (dim === state.dimNodes.has(n.id)) {
          return;
        }
        var drawnNode = network.body && network.body.nodes[n.id];
        if (drawnNode) {
          drawnNode.options.opacity = dim ? DIM_OPACITY : 1;
        } else {
          nodeUpdates.push({ id: n.id, opacity: dim ? DIM_OPACITY : 1 });
        }
        if (dim) {
          state.dimNodes.add(n.id);
        } else {
          state.dimNodes.delete(n.id);
        }
      });
      var edgeUpdates = [];
      state.data.edges.forEach(function (e) {
        var dim = keep !== null && !keep.edges.has(e.id);
        if (dim === state.dimEdges.has(e.id)) {
          return;
        }
        var drawnEdge = network.body && network.body.edges[e.id];
        if (drawnEdge && drawnEdge.options.color) {
          drawnEdge.options.color.opacity = dim ? 0.1 : 1;
        } else {
          edgeUpdates.push({ id: e.id, color: Object.assign({}, inked(e.color || {}),
                                                          { opacity: dim ? 0.1 : 1 }) });
        }
        if (dim) {
          state.dimEdges.add(e.id);
        } else {
          state.dimEdges.delete(e.id);
        }
      });
      if (nodeUpdates.length) {
        nodes.update(nodeUpdates);
      }
      if (edgeUpdates.length) {
        edges.update(edgeUpdates);
      }
      requestRedraw();
    }

    /* The next animation frame draws the new opacities, together with whatever else vis-network
       has to draw then (a click's selection): one redraw instead of two. */
    function requestRedraw() {
      var emitter = network.body && network.body.emitter;
      if (emitter) {
        emitter.emit("_requestRedraw");
      } else {
        network.redraw();
      }
    }

    function ink(color) {
      if (!state.theme.dark || typeof color !== "string") {
        return color;
      }
      return DARK_INKS.has(color.toLowerCase()) ? state.theme.text : color;
    }

    function inked(colors) {
      if (!colors || typeof colors !== "object") {
        return ink(colors);
      }
      var out = {};
      Object.keys(colors).forEach(function (key) { out[key] = inked(colors[key]); });
      return out;
    }

    /** The fill and border a node is drawn with in the current theme (graph.vis gives a
        lighter `dark` fill for a colour that would vanish on a dark canvas). */
    function nodeColor(n) {
      var color = inked(n.color);
      if (state.theme.dark && n.dark && color && typeof color === "object") {
        color = Object.assign({}, color, { background: n.dark.background, border: n.dark.border });
        ["highlight", "hover"].forEach(function (key) {
          if (color[key]) {
            color[key] = Object.assign({}, color[key], { background: n.dark.background });
          }
        });
      }
      return color;
    }

    function labelColor(n) {
      var info = state.info.get(n.id);
      if (info && info.inside && state.theme.dark && n.dark && n.dark.font) {
        return n.dark.font;
      }
      return ink((n.font || {}).color || "#222222");
    }

    /** vis-network draws the shapes only: KGView draws every label itself (drawLabels). A
        "text" node keeps its label, invisible, so vis-network knows where it can be clicked. */
    function visNode(n) {
      var copy = Object.assign({ opacity: 1 }, n);
      delete copy.details;
      delete copy.dark;
      copy.color = nodeColor(n);
      if (n.shape === "text") {
        copy.font = Object.assign({}, n.font || {}, { color: "rgba(0,0,0,0)", strokeWidth: 0 });
        return copy;
      }
      delete copy.label;
      if (SIZED_BY_LABEL.has(n.shape)) {
        var size = Number(n.size) || 16;
        var high = n.shape === "circle" ? 1 : BOX_HEIGHT;
        copy.widthConstraint = { minimum: 2 * size, maximum: 2 * size };
        copy.heightConstraint = { minimum: 2 * size * high };
      }
      return copy;
    }

    function visEdge(e) {
      var copy = Object.assign({}, e);
      if (state.theme.dark) {
        copy.color = inked(e.color);
      }
      return copy;
    }

    /** Draw for a page whose background and text colours are given (hex). */
    function setTheme(theme) {
      var background = (theme && theme.background) || LIGHT_THEME.background;
      var next = { background: background, text: (theme && theme.text) || LIGHT_THEME.text,
                   dark: luminance(background) < 0.5 };
      if (next.dark === state.theme.dark && next.text === state.theme.text &&
          next.background === state.theme.background) {
        return;
      }
      state.theme = next;
      container.setAttribute("data-kg-theme", next.dark ? "dark" : "light");
      network.setOptions({
        edges: { font: { strokeColor: next.background, color: next.dark ? next.text : "#343434" } }
      });
      var focused = state.focused;
      state.focused = null;
      state.dimNodes = new Set();
      state.dimEdges = new Set();
      nodes.update(state.data.nodes.map(visNode));
      edges.update(state.data.edges.map(visEdge));
      applyFocus(focused);
    }

    /** Per node: its label's lines (in ems), whether the label sits inside the shape, its font
        size at zoom 1. Measured once per drawing. */
    function measureLabels() {
      state.info = new Map();
      state.data.nodes.forEach(function (n) {
        var base = Number((n.font || {}).size) || LABEL_PX;
        var inside = n.shape === "text";
        // Wrapped as graph.layout wraps it (at LABEL_WIDTH px of a LABEL_PX font), whatever
        // the font size: the lines the layout left room for.
        var lines = labelLines(n.label, LABEL_WIDTH / LABEL_PX);
        var em = 0;
        lines.forEach(function (l) { em = Math.max(em, l.em); });
        state.info.set(n.id, { base: base, inside: inside, lines: lines, em: em });
      });
      state.order = state.data.nodes.slice().sort(function (a, b) {
        var ra = typeof a.rank === "number" ? a.rank : Infinity;
        var rb = typeof b.rank === "number" ? b.rank : Infinity;
        return ra - rb || (b.size || 0) - (a.size || 0);
      }).map(function (n) { return n.id; });
    }

    function setData(next) {
      next = next || { nodes: [], edges: [] };
      state.data = { nodes: next.nodes || [], edges: next.edges || [] };
      state.placed = { labels: [], nodes: [] };  // a new drawing: no name holds a spot yet
      state.byId = new Map();
      state.edgeById = new Map();
      state.adjacency = new Map();
      state.typeLabels = new Map();
      state.selected = null;
      state.focused = null;
      state.cursor = null;
      state.userMoved = false;
      state.dimNodes = new Set();
      state.dimEdges = new Set();
      (next.legend || []).forEach(function (entry) {
        if (entry.kind === "type") {
          state.typeLabels.set(entry.id, String(entry.label));
        }
      });
      state.data.nodes.forEach(function (n) {
        state.byId.set(n.id, n);
        state.adjacency.set(n.id, { nodes: new Set(), edges: new Set() });
      });
      state.data.edges.forEach(function (e) {
        state.edgeById.set(e.id, e);
        [[e.from, e.to], [e.to, e.from]].forEach(function (pair) {
          var entry = state.adjacency.get(pair[0]);
          if (entry) {
            entry.nodes.add(pair[1]);
            entry.edges.add(e.id);
          }
        });
      });
      measureLabels();
      hideCard();
      network.unselectAll();
      nodes.clear();
      edges.clear();
      nodes.add(state.data.nodes.map(visNode));
      edges.add(state.data.edges.map(visEdge));
      container.setAttribute("data-node-count", String(nodes.length));
      container.setAttribute("data-edge-count", String(edges.length));
      container.setAttribute("data-node-ids",
                             state.data.nodes.map(function (n) { return String(n.id); }).join(" "));
      container.setAttribute("aria-label", "Graph drawing: " + nodes.length + " entities, " +
        edges.length + " relations. Arrow keys move between connected entities, ] and [ go " +
        "through all of them, most important first; Enter selects, + and − zoom, 0 fits.");
      start();
      if (next.selected !== undefined && next.selected !== null) {
        select(next.selected, { focus: false });
      }
    }

    // --- geometry ------------------------------------------------------------------------

    function canvasSize() {
      var canvas = network.canvas && network.canvas.frame && network.canvas.frame.canvas;
      var w = canvas ? canvas.clientWidth : container.clientWidth;
      var h = canvas ? canvas.clientHeight : container.clientHeight;
      return { w: w || 1, h: h || 1, canvas: canvas };
    }

    function drawnXY(id) {
      var body = network.body && network.body.nodes[id];
      if (body) {
        return { x: body.x, y: body.y };
      }
      var n = state.byId.get(id);
      return { x: Number(n.x) || 0, y: Number(n.y) || 0 };
    }

    /** Half the width and height of a node's shape, in canvas units. */
    function shapeHalf(n) {
      var info = state.info.get(n.id);
      if (info && info.inside) {
        return { w: Math.max(info.em, 1) * info.base / 2,
                 h: Math.max(1, info.lines.length) * info.base * LINE_HEIGHT / 2 };
      }
      var size = Number(n.size) || 16;
      var r = size * (SHAPE_REACH[n.shape] || 1) + (n.borderWidth || 1) / 2;
      var flat = SIZED_BY_LABEL.has(n.shape) && n.shape !== "circle";
      return { w: r, h: flat ? size * BOX_HEIGHT + (n.borderWidth || 1) / 2 : r };
    }

    /** The box round nodes `list` with their shapes and labels (below them), canvas units. */
    function drawingBox(list) {
      var box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
      list.forEach(function (id) {
        var n = state.byId.get(id);
        var p = drawnXY(id);
        var half = shapeHalf(n);
        var info = state.info.get(id);
        var labelW = info.inside ? 0 : info.em * info.base / 2;
        var labelH = info.inside ? 0 : info.lines.length * info.base * LINE_HEIGHT + LABEL_GAP;
        box.x0 = Math.min(box.x0, p.x - Math.max(half.w, labelW));
        box.x1 = Math.max(box.x1, p.x + Math.max(half.w, labelW));
        box.y0 = Math.min(box.y0, p.y - half.h);
        box.y1 = Math.max(box.y1, p.y + half.h + labelH);
      });
      return box;
    }

    /** Fit the nodes `ids` (all when null) in the canvas, labels included, zooming in up to
        MAX_ZOOM: a small view fills the canvas, a large one shows everything. */
    function frame(ids, opts) {
      opts = opts || {};
      var list = (ids || state.order).filter(function (id) { return state.byId.has(id); });
      if (!list.length) {
        return false;
      }
      var box = drawingBox(list);
      var size = canvasSize();
      var avoid = overlayBottom();
      var w = Math.max(1, size.w - 2 * FIT_PAD);
      var h = Math.max(1, size.h - 2 * FIT_PAD - avoid);
      var scale = Math.min(w / Math.max(1, box.x1 - box.x0), h / Math.max(1, box.y1 - box.y0));
      scale = Math.max(MIN_ZOOM, Math.min(opts.maxZoom || MAX_ZOOM, scale));
      // The drawing's middle goes to the middle of the canvas below the buttons.
      var centre = { x: (box.x0 + box.x1) / 2, y: (box.y0 + box.y1) / 2 - avoid / 2 / scale };
      network.moveTo({ position: centre, scale: scale, animation: opts.animation || false });
      if (ids === null) {
        state.userMoved = false;
      }
      return true;
    }

    /** A small view fitted above zoom 1 is spread instead: its positions drawn further apart
        (up to MAX_SPREAD times) at zoom 1, so it fills the canvas with shapes at their own size
        and more room for names, rather than with shapes blown up round the same labels. */
    function spreadToFit() {
      if (network.getScale() <= 1.01) {
        return;
      }
      var ids = state.order.filter(function (id) { return network.body.nodes[id]; });
      var at = ids.map(drawnXY);
      var xs = at.map(function (p) { return p.x; });
      var ys = at.map(function (p) { return p.y; });
      var range = { x: Math.max.apply(null, xs) - Math.min.apply(null, xs),
                    y: Math.max.apply(null, ys) - Math.min.apply(null, ys) };
      var size = canvasSize();
      var box = drawingBox(ids);
      // At zoom 1 the canvas holds the spread positions plus what overhangs them (shapes,
      // labels, padding), which spreading does not grow.
      var fit = [
        [range.x, box.x1 - box.x0, size.w - 2 * FIT_PAD],
        [range.y, box.y1 - box.y0, size.h - 2 * FIT_PAD - overlayBottom()]
      ].map(function (a) { return a[0] > 1 ? (a[2] - (a[1] - a[0])) / a[0] : MAX_SPREAD; });
      var spread = Math.max(1, Math.min(MAX_SPREAD, fit[0], fit[1]));
      if (spread <= 1.01) {
        return;
      }
      var cx = (Math.max.apply(null, xs) + Math.min.apply(null, xs)) / 2;
      var cy = (Math.max.apply(null, ys) + Math.min.apply(null, ys)) / 2;
      nodes.update(ids.map(function (id, i) {
        return { id: id, x: cx + (at[i].x - cx) * spread, y: cy + (at[i].y - cy) * spread };
      }));
      frame(null);
    }

    /** The first view of a drawing: all of it, fitted; but a large view that would be fitted
        below READABLE_ZOOM starts at that zoom instead, centred on its most important entities
        (where graph.layout left room for their names), so the top names read at once. Fit
        and the − button show the rest. */
    function start() {
      frame(null);
      var count = state.order.length;
      if (count <= SMALL_VIEW) {
        spreadToFit();
        return;
      }
      if (network.getScale() >= READABLE_ZOOM) {
        return;
      }
      var top = state.order.slice(0, Math.max(10, Math.ceil(count / 10)));
      var sum = { x: 0, y: 0 };
      top.forEach(function (id) {
        var p = drawnXY(id);
        sum.x += p.x;
        sum.y += p.y;
      });
      var centre = { x: sum.x / top.length, y: sum.y / top.length };
      // Keep the window inside the drawing: no empty band on one side while nodes are cut on
      // the other.
      var size = canvasSize();
      var all = state.order.map(drawnXY);
      var xs = all.map(function (p) { return p.x; });
      var ys = all.map(function (p) { return p.y; });
      var halfW = size.w / 2 / READABLE_ZOOM;
      var halfH = size.h / 2 / READABLE_ZOOM;
      var clamp = function (v, lo, hi) { return lo > hi ? (lo + hi) / 2 : Math.min(hi, Math.max(lo, v)); };
      centre.x = clamp(centre.x, Math.min.apply(null, xs) + halfW, Math.max.apply(null, xs) - halfW);
      centre.y = clamp(centre.y, Math.min.apply(null, ys) + halfH, Math.max.apply(null, ys) - halfH);
      network.moveTo({ position: centre, scale: READABLE_ZOOM });
    }

    /** Screen px at the top of the canvas the zoom buttons take (kept clear when fitting). */
    function overlayBottom() {
      var bar = chrome && chrome.bar;
      var canvas = canvasSize().canvas;
      if (!bar || !canvas) {
        return 0;
      }
      var r = bar.getBoundingClientRect();
      var c = canvas.getBoundingClientRect();
      if (r.bottom <= c.top || r.top >= c.bottom || r.right <= c.left || r.left >= c.right) {
        return 0;  // not over the canvas (a page without kg_view.css)
      }
      return Math.min(r.bottom - c.top, c.height / 4);
    }

    function zoomBy(factor) {
      var scale = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM * 2, network.getScale() * factor));
      network.moveTo({ position: network.getViewPosition(), scale: scale });
      state.userMoved = true;
    }

    // --- labels --------------------------------------------------------------------------

    /** What labels go where at this zoom: every node's shape is an obstacle; then labels are
        tried in order of importance (the selection and its neighbours, the focus, highlights,
        then the rank graph.vis gives), each below, above, right or left of its shape, and kept
        only where it touches no shape, no label kept before and no control over the canvas. */
    function placeLabels(size) {
      var view = network.body.view;
      var scale = view.scale;
      var tx = view.translation.x;
      var ty = view.translation.y;
      var grid = new BoxGrid();
      var shapes = new Map();
      var nodeBoxes = [];
      state.data.nodes.forEach(function (n) {
        var p = drawnXY(n.id);
        var half = shapeHalf(n);
        var ring = (n.focused || (state.keyboard && n.id === state.cursor)) ? 8 : 0;
        var hw = Math.max(1.5, half.w * scale) + ring;
        var hh = Math.max(1.5, half.h * scale) + ring;
        var sx = p.x * scale + tx;
        var sy = p.y * scale + ty;
        var b = { x: sx - hw, y: sy - hh, w: 2 * hw, h: 2 * hh, id: n.id };
        shapes.set(n.id, b);
        if (b.x < size.w && b.x + b.w > 0 && b.y < size.h && b.y + b.h > 0) {
          // Labels keep a little clear of every shape: a letter touching a border misreads.
          grid.add({ x: b.x - NODE_CLEARANCE, y: b.y - NODE_CLEARANCE,
                     w: b.w + 2 * NODE_CLEARANCE, h: b.h + 2 * NODE_CLEARANCE, id: b.id });
          nodeBoxes.push(b);
        }
      });
      chromeBoxes().forEach(function (b) { grid.add(b); });
      var edgeLines = edgeSegments(shapes, size);
      var labels = [];
      var seen = new Set();
      function consider(id) {
        if (seen.has(id) || !state.byId.has(id)) {
          return;
        }
        seen.add(id);
        var n = state.byId.get(id);
        var s = shapes.get(id);
        if (s.x > size.w || s.x + s.w < 0 || s.y > size.h || s.y + s.h < 0) {
          return;
        }
        var info = state.info.get(id);
        if (!info.lines.length) {
          return;
        }
        var base = info.base;
        var minPx = Math.max(MIN_LABEL_PX, 0.85 * base);
        var px = Math.max(minPx, Math.min(base * scale, base * MAX_LABEL_GROWTH));
        if (info.inside) {
          // A "text" node is its label: drawn where the node is, at the drawing's scale.
          labels.push({ id: id, x: s.x, y: s.y, w: s.w, h: s.h, inside: true, lines: info.lines,
                        px: base * scale });
          return;
        }
        // The label as wrapped; failing that, wrapped twice as wide (a long name that finds
        // no room under its shape often fits on one or two longer lines).
        var wraps = [info.lines];
        if (info.lines.length > 1) {
          if (!info.wide) {
            info.wide = labelLines(n.label, WIDE_LABEL * LABEL_WIDTH / LABEL_PX);
          }
          wraps.push(info.wide);
        }
        // The selection and the focus are drawn bold, wider than measured.
        var widen = (id === state.selected || n.focused) ? BOLD_WIDTH : 1;
        // The selection, focus and highlights may also sit a little further out.
        var priority = id === state.selected || n.focused || n.highlighted;
        var tries = [];
        (priority ? PRIORITY_REACH : [0]).forEach(function (reach) {
          wraps.forEach(function (lines) { tries.push({ lines: lines, reach: reach }); });
        });
        for (var k = 0; k < tries.length; k++) {
          var spot = freeSpot(id, s, tries[k].lines, px, widen, tries[k].reach);
          if (spot !== null) {
            grid.add(spot.b);
            labels.push({ id: id, x: spot.x, y: spot.y, w: spot.w, h: spot.h, px: px,
                          inside: false, lines: tries[k].lines });
            return;
          }
        }
      }
      /** Of the 12 spots round shape `s` for a label of `lines` at `px`, a free one that the
          fewest relations cross (the first when none do); null when none is free. */
      function freeSpot(id, s, lines, px, widen, reach) {
        s = { x: s.x - reach, y: s.y - reach, w: s.w + 2 * reach, h: s.h + 2 * reach };
        var em = 0;
        lines.forEach(function (l) { em = Math.max(em, l.em); });
        var w = em * px * widen;
        var h = lines.length * px * LINE_HEIGHT;
        var cx = s.x + s.w / 2;
        var cy = s.y + s.h / 2;
        var right = s.x + s.w + LABEL_GAP + 2;
        var left = s.x - LABEL_GAP - 2 - w;
        var below = s.y + s.h + LABEL_GAP;
        var above = s.y - LABEL_GAP - h;
        var spots = [  // below, above, right, left, the four corners, then slid sideways
          { x: cx - w / 2, y: below }, { x: cx - w / 2, y: above },
          { x: right, y: cy - h / 2 }, { x: left, y: cy - h / 2 },
          { x: right - s.w / 2, y: below }, { x: left + s.w / 2, y: below },
          { x: right - s.w / 2, y: above }, { x: left + s.w / 2, y: above },
          { x: cx - 0.2 * w, y: below }, { x: cx - 0.8 * w, y: below },
          { x: cx - 0.2 * w, y: above }, { x: cx - 0.8 * w, y: above }
        ];
        var best = null;
        for (var i = 0; i < spots.length; i++) {
          // Kept a little apart side by side: two names on one line would read as one.
          var b = { x: spots[i].x - LABEL_SIDE_PAD, y: spots[i].y - 1, w: w + 2 * LABEL_SIDE_PAD,
                    h: h + 2, id: id };
          if (b.x < 1 || b.y < 1 || b.x + b.w > size.w - 1 || b.y + b.h > size.h - 1) {
            continue;
          }
          if (!grid.free(b)) {
            continue;
          }
          var cuts = edgeLines ? edgeLines.crossing(b) : 0;
          if (best === null || cuts < best.cuts) {
            best = { b: b, x: spots[i].x, y: spots[i].y, w: w, h: h, cuts: cuts };
          }
          if (cuts === 0) {
            break;
          }
        }
        return best;
      }
      if (state.selected !== null) {
        consider(state.selected);
        Array.from(neighbourhood(state.selected).nodes).sort(byRank).forEach(consider);
      }
      if (state.cursor !== null) {
        consider(state.cursor);
      }
      state.data.nodes.forEach(function (n) {
        if (n.focused || n.highlighted) {
          consider(n.id);
        }
      });
      // Zooming in, the names already shown keep theirs first: names appear, none vanish.
      if (state.placed.scale !== undefined && scale > state.placed.scale * 1.001) {
        state.placed.labels.map(function (l) { return l.id; }).sort(byRank).forEach(consider);
      }
      state.order.forEach(consider);
      return { labels: labels, nodes: nodeBoxes, scale: scale };
    }

    /** The relations on screen as straight segments, bucketed in a grid, to count how many
        cross a box (null when there are too many to be worth it). */
    function edgeSegments(shapes, size) {
      var segments = [];
      state.data.edges.forEach(function (e) {
        var a = shapes.get(e.from);
        var b = shapes.get(e.to);
        if (!a || !b || e.from === e.to) {
          return;
        }
        var s = { x0: a.x + a.w / 2, y0: a.y + a.h / 2, x1: b.x + b.w / 2, y1: b.y + b.h / 2 };
        if (Math.max(s.x0, s.x1) < 0 || Math.min(s.x0, s.x1) > size.w ||
            Math.max(s.y0, s.y1) < 0 || Math.min(s.y0, s.y1) > size.h) {
          return;
        }
        segments.push(s);
      });
      if (segments.length > MAX_CROSSING_EDGES) {
        return null;
      }
      var cells = new Map();
      segments.forEach(function (s, index) {
        var x0 = Math.floor(Math.max(0, Math.min(s.x0, s.x1)) / GRID_CELL);
        var x1 = Math.floor(Math.min(size.w, Math.max(s.x0, s.x1)) / GRID_CELL);
        var y0 = Math.floor(Math.max(0, Math.min(s.y0, s.y1)) / GRID_CELL);
        var y1 = Math.floor(Math.min(size.h, Math.max(s.y0, s.y1)) / GRID_CELL);
        for (var x = x0; x <= x1; x++) {
          for (var y = y0; y <= y1; y++) {
            var k = x * 100003 + y;
            var list = cells.get(k);
            if (list) {
              list.push(index);
            } else {
              cells.set(k, [index]);
            }
          }
        }
      });
      var stamp = new Int32Array(segments.length);
      var round = 0;
      return {
        crossing: function (box) {
          round += 1;
          var count = 0;
          BoxGrid.prototype.keys(box, function (k) {
            (cells.get(k) || []).forEach(function (index) {
              if (stamp[index] !== round) {
                stamp[index] = round;
                if (segmentCrosses(segments[index], box)) {
                  count += 1;
                }
              }
            });
          });
          return count;
        }
      };
    }

    function byRank(a, b) {
      var ra = (state.byId.get(a) || {}).rank;
      var rb = (state.byId.get(b) || {}).rank;
      return (typeof ra === "number" ? ra : Infinity) - (typeof rb === "number" ? rb : Infinity);
    }

    function drawRing(ctx, n, scale, tx, ty, dashed) {
      var p = drawnXY(n.id);
      var half = shapeHalf(n);
      var r = Math.max(half.w, half.h) * scale;
      ctx.save();
      ctx.globalAlpha = state.dimNodes.has(n.id) ? DIM_LABEL_ALPHA : 1;
      ctx.strokeStyle = state.theme.text;
      ctx.lineWidth = 2.5;
      if (dashed) {
        ctx.setLineDash([4, 3]);
      }
      ctx.beginPath();
      ctx.arc(p.x * scale + tx, p.y * scale + ty, r + (dashed ? 7 : 4), 0, 2 * Math.PI);
      ctx.stroke();
      if (!dashed) {
        ctx.lineWidth = 1.2;
        ctx.beginPath();
        ctx.arc(p.x * scale + tx, p.y * scale + ty, r + 8, 0, 2 * Math.PI);
        ctx.stroke();
      }
      ctx.restore();
    }

    function drawLabels(ctx) {
      var size = canvasSize();
      if (!size.canvas || !network.body || !network.body.view) {
        return;
      }
      var ratio = size.canvas.width / size.w;
      var view = network.body.view;
      ctx.save();
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      state.data.nodes.forEach(function (n) {
        if (n.focused) {
          drawRing(ctx, n, view.scale, view.translation.x, view.translation.y, false);
        }
      });
      if (state.keyboard && state.cursor !== null && state.byId.has(state.cursor)) {
        drawRing(ctx, state.byId.get(state.cursor), view.scale, view.translation.x,
                 view.translation.y, true);
      }
      var placed = placeLabels(size);
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.lineJoin = "round";
      placed.labels.forEach(function (label) {
        var n = state.byId.get(label.id);
        var strong = label.id === state.selected || n.focused;
        ctx.globalAlpha = state.dimNodes.has(label.id) ? DIM_LABEL_ALPHA : 1;
        ctx.font = (strong ? "600 " : "") + label.px.toFixed(2) + "px " + FONT_FACE;
        var lineH = label.px * LINE_HEIGHT;
        var top = label.y + (label.h - label.lines.length * lineH) / 2;
        var cx = label.x + label.w / 2;
        var color = labelColor(n);
        label.color = color;
        ctx.fillStyle = color;
        ctx.strokeStyle = state.theme.background;
        ctx.lineWidth = Math.max(2.5, label.px / 4);
        if (!label.inside) {
          // A plate in the canvas colour under the text: edges passing behind a name do not
          // cut through its letters.
          ctx.save();
          ctx.globalAlpha *= LABEL_PLATE_ALPHA;
          ctx.fillStyle = state.theme.background;
          ctx.fillRect(label.x - 1, label.y, label.w + 2, label.h);
          ctx.restore();
        }
        label.lines.forEach(function (line, i) {
          var y = top + (i + 0.5) * lineH;
          if (!label.inside) {
            ctx.strokeText(line.text, cx, y);
          }
          ctx.fillText(line.text, cx, y);
        });
      });
      ctx.restore();
      state.placed = placed;
      container.setAttribute("data-kg-labels", String(placed.labels.length));
      container.setAttribute("data-kg-labelled",
                             placed.labels.map(function (l) { return String(l.id); }).join(" "));
    }

    // --- the controls over the canvas: zoom buttons, the card, the live region -------------

    function button(text, label, onClick) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "kg-zoom-button";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.title = label;
      b.addEventListener("click", function (event) {
        event.stopPropagation();
        onClick();
      });
      return b;
    }

    function buildChrome() {
      var bar = document.createElement("div");
      bar.className = "kg-zoom";
      bar.setAttribute("role", "toolbar");
      bar.setAttribute("aria-label", "Zoom");
      bar.appendChild(button("+", "Zoom in", function () { zoomBy(ZOOM_STEP); }));
      bar.appendChild(button("−", "Zoom out", function () { zoomBy(1 / ZOOM_STEP); }));
      bar.appendChild(button("Fit", "Fit the drawing to the frame", function () { frame(null); }));
      var card = document.createElement("div");
      card.className = "kg-card";
      card.hidden = true;
      var live = document.createElement("div");
      live.className = "kg-live";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      container.appendChild(bar);
      container.appendChild(card);
      container.appendChild(live);
      return { bar: bar, card: card, live: live };
    }

    /** The controls' boxes in canvas px: labels keep clear of them. */
    function chromeBoxes() {
      var size = canvasSize();
      if (!size.canvas) {
        return [];
      }
      var origin = size.canvas.getBoundingClientRect();
      return [chrome.bar, chrome.card].filter(function (el) { return !el.hidden; })
        .map(function (el) {
          var r = el.getBoundingClientRect();
          return { x: r.left - origin.left - 4, y: r.top - origin.top - 4, w: r.width + 8,
                   h: r.height + 8 };
        });
    }

    /** Name, type and description of a node as the drawing holds them (graph.vis writes the
        tooltip as name, newline, type label, newline, description). */
    function summary(n) {
      var details = n.details || {};
      var title = String(n.title || "");
      var name = String(n.name != null ? n.name : n.label == null ? "" : n.label);
      var rest = title.indexOf(name + "\n") === 0 ? title.slice(name.length + 1) : "";
      var cut = rest.indexOf("\n");
      var typeLabel = details.type_label || state.typeLabels.get(n.type) ||
        (cut < 0 ? rest : rest.slice(0, cut));
      var description = details.description != null ? String(details.description)
        : (cut < 0 ? "" : rest.slice(cut + 1));
      return { name: name, type: typeLabel, description: description };
    }

    function showCard(id) {
      var n = state.byId.get(id);
      if (!n) {
        hideCard();
        return;
      }
      var about = summary(n);
      var card = chrome.card;
      while (card.firstChild) {
        card.removeChild(card.firstChild);
      }
      var name = document.createElement("p");
      name.className = "kg-card-name";
      name.textContent = about.name;
      var type = document.createElement("p");
      type.className = "kg-card-type";
      var fill = state.theme.dark && n.dark ? n.dark.background : (n.color || {}).background;
      var swatch = document.createElement("span");
      swatch.className = "kg-card-swatch";
      swatch.style.backgroundColor = fillColor(fill);
      type.appendChild(swatch);
      type.appendChild(document.createTextNode(about.type));
      card.appendChild(name);
      card.appendChild(type);
      if (about.description) {
        var text = document.createElement("p");
        text.className = "kg-card-description";
        text.textContent = about.description;
        card.appendChild(text);
      }
      card.setAttribute("data-node-id", String(id));
      card.hidden = false;
    }

    function hideCard() {
      if (chrome) {
        chrome.card.hidden = true;
        chrome.card.removeAttribute("data-node-id");
      }
    }

    function announce(text) {
      chrome.live.textContent = text;
    }

    function describe(id) {
      var n = state.byId.get(id);
      var about = summary(n);
      var links = (state.adjacency.get(id) || { nodes: new Set() }).nodes.size;
      return about.name + ", " + about.type + ", " + links + " connected " +
        (links === 1 ? "entity" : "entities");
    }

    // --- keyboard ------------------------------------------------------------------------

    var ARROWS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

    /** From `from`, the node the arrow points at: a neighbour in that direction if there is
        one, else the nearest node that way (so every drawn node can be reached). */
    function step(from, dir) {
      var p = drawnXY(from);
      function best(candidates) {
        var found = null;
        var score = Infinity;
        candidates.forEach(function (id) {
          if (id === from) {
            return;
          }
          var q = drawnXY(id);
          var dx = q.x - p.x;
          var dy = q.y - p.y;
          var d = Math.sqrt(dx * dx + dy * dy) || 1e-9;
          var along = (dx * dir[0] + dy * dir[1]) / d;
          if (along < 0.35) {
            return;
          }
          var s = d * (2 - along);
          if (s < score) {
            score = s;
            found = id;
          }
        });
        return found;
      }
      var entry = state.adjacency.get(from);
      return best(entry ? Array.from(entry.nodes) : []) || best(state.order);
    }

    function moveCursor(id) {
      state.cursor = id;
      var size = canvasSize();
      var s = network.canvasToDOM(drawnXY(id));
      if (s.x < 20 || s.y < 20 || s.x > size.w - 20 || s.y > size.h - 20) {
        network.moveTo({ position: drawnXY(id), scale: network.getScale() });
      }
      announce(describe(id) + ". Enter selects.");
      requestRedraw();
    }

    function onKey(event) {
      if (event.target !== container && !(network.canvas && network.canvas.frame &&
                                            network.canvas.frame.contains(event.target))) {
        return;  // a key pressed on a button or in the card
      }
      state.keyboard = true;
      var dir = ARROWS[event.key];
      if (dir) {
        event.preventDefault();
        var from = state.cursor !== null ? state.cursor : state.selected;
        if (from === null || !state.byId.has(from)) {
          var focused = state.data.nodes.filter(function (n) { return n.focused; })[0];
          moveCursor(focused ? focused.id : state.order[0]);
          return;
        }
        var next = step(from, dir);
        if (next !== null) {
          moveCursor(next);
        } else {
          announce("No entity that way. " + describe(from) + ".");
        }
      } else if (event.key === "]" || event.key === "[" || event.key === "Home") {
        // Every entity in turn, most important first: what the arrows cannot reach, this does.
        event.preventDefault();
        var at = state.cursor === null ? -1 : state.order.indexOf(state.cursor);
        var count = state.order.length;
        var index = event.key === "Home" ? 0 : event.key === "]" ? (at + 1) % count
          : (at - 1 + count) % count;
        if (count) {
          moveCursor(state.order[index]);
        }
      } else if ((event.key === "Enter" || event.key === " ") && state.cursor !== null) {
        event.preventDefault();
        select(state.cursor, { focus: false, notify: true });
        announce("Selected: " + describe(state.cursor) + ".");
      } else if (event.key === "Escape") {
        if (state.selected !== null) {
          clearSelection();
          if (options.onSelect) {
            options.onSelect(null, null);
          }
          announce("Selection cleared.");
        }
      } else if (event.key === "+" || event.key === "=") {
        zoomBy(ZOOM_STEP);
      } else if (event.key === "-" || event.key === "_") {
        zoomBy(1 / ZOOM_STEP);
      } else if (event.key === "0") {
        frame(null);
      }
    }

    container.setAttribute("tabindex", "0");
    container.setAttribute("role", "application");
    container.setAttribute("aria-roledescription", "graph drawing");
    if (network.canvas && network.canvas.frame) {
      network.canvas.frame.tabIndex = -1;  // one tab stop: the container
    }
    container.addEventListener("keydown", onKey);
    // The keyboard cursor's dashed ring shows while the keyboard is in use, not after a click.
    function onPointer() {
      if (state.keyboard) {
        state.keyboard = false;
        requestRedraw();
      }
    }
    container.addEventListener("pointerdown", onPointer);

    // --- selection -----------------------------------------------------------------------

    function focus(id, animation) {
      if (!state.byId.has(id)) {
        return false;
      }
      // Already in full view at a readable zoom: stay, so its neighbours stay in view too.
      var p = network.canvasToDOM(drawnXY(id));
      var size = canvasSize();
      var margin = 40;
      if (network.getScale() >= 0.7 && p.x > margin && p.x < size.w - margin &&
          p.y > margin + overlayBottom() && p.y < size.h - margin) {
        return true;
      }
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: animation || false });
      return true;
    }

    function select(id, opts) {
      opts = opts || {};
      if (!state.byId.has(id)) {
        return false;
      }
      network.selectNodes([id]);
      state.selected = id;
      state.cursor = id;
      showCard(id);
      applyFocus(id);
      if (opts.focus !== false) {
        focus(id, opts.animation);
      }
      if (opts.notify && options.onSelect) {
        options.onSelect(id, state.byId.get(id));
      }
      return true;
    }

    function clearSelection() {
      network.unselectAll();
      state.selected = null;
      hideCard();
      applyFocus(null);
    }

    network.on("click", function (params) {
      var id = params.nodes && params.nodes.length ? params.nodes[0] : null;
      state.selected = id;
      // The card first (it is drawn from what the page holds), then the host's details.
      if (id === null) {
        hideCard();
      } else {
        state.cursor = id;
        showCard(id);
        announce("Selected: " + describe(id) + ".");
      }
      if (options.onSelect) {
        options.onSelect(id, id === null ? null : state.byId.get(id));
      }
      if (id === null && params.edges && params.edges.length && options.onSelectEdge) {
        options.onSelectEdge(params.edges[0], state.edgeById.get(params.edges[0]));
      }
      var dimLater = state.data.nodes.length > HOVER_DIM_MAX_NODES / 3;
      if (dimLater) {
        setTimeout(function () { if (state.selected === id) { applyFocus(id); } }, 0);
      } else {
        applyFocus(id);
      }
    });
    network.on("doubleClick", function (params) {
      if (params.nodes && params.nodes.length && options.onDoubleClick) {
        options.onDoubleClick(params.nodes[0], state.byId.get(params.nodes[0]));
      }
    });
    network.on("hoverNode", function (params) {
      if (state.selected === null && state.data.nodes.length <= HOVER_DIM_MAX_NODES) {
        applyFocus(params.node);
      }
    });
    network.on("blurNode", function () {
      if (state.data.nodes.length <= HOVER_DIM_MAX_NODES) {
        applyFocus(state.selected);
      }
    });
    network.on("zoom", function () { state.userMoved = true; });
    network.on("dragEnd", function () { state.userMoved = true; });
    network.on("resize", function () {
      if (!state.userMoved) {
        start();
      }
    });
    network.on("afterDrawing", drawLabels);
    network.once("afterDrawing", function () {
      container.setAttribute("data-kg-ready", "true");
    });

    if (options.theme) {
      setTheme(options.theme);
    }
    setData(data);

    return {
      network: network,
      nodes: nodes,
      edges: edges,
      setData: setData,
      setTheme: setTheme,
      theme: function () { return Object.assign({}, state.theme); },
      select: select,
      clearSelection: clearSelection,
      focus: focus,
      fit: function (opts) { return frame(null, opts); },
      frame: function (ids, opts) { return frame(ids || null, opts); },
      zoomIn: function () { zoomBy(ZOOM_STEP); },
      zoomOut: function () { zoomBy(1 / ZOOM_STEP); },
      zoom: function () { return network.getScale(); },
      labels: function () {
        return {
          labels: state.placed.labels.map(function (l) {
            return { id: l.id, x: l.x, y: l.y, w: l.w, h: l.h, px: l.px, inside: l.inside,
                     color: l.color, alpha: state.dimNodes.has(l.id) ? DIM_LABEL_ALPHA : 1,
                     text: l.lines.map(function (line) { return line.text; }).join(" ") };
          }),
          nodes: state.placed.nodes.map(function (b) {
            return { id: b.id, x: b.x, y: b.y, w: b.w, h: b.h };
          })
        };
      },
      fill: function (id) {
        var n = state.byId.get(id);
        return n ? (nodeColor(n) || {}).background : null;
      },
      cursor: function () { return state.cursor; },
      canvas: function () { return container.querySelector("canvas"); },
      opacity: function (id) {
        var drawn = network.body && network.body.nodes[id];
        return drawn ? drawn.options.opacity : (nodes.get(id) || {}).opacity;
      },
      node: function (id) { return state.byId.get(id) || null; },
      selected: function () { return state.selected; },
      domPosition: function (id) {
        if (!state.byId.has(id)) {
          return null;
        }
        var p = network.canvasToDOM(network.getPosition(id));
        var canvas = container.querySelector("canvas");
        var box = (canvas || container).getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y };
      },
      destroy: function () {
        container.removeEventListener("keydown", onKey);
        container.removeEventListener("pointerdown", onPointer);
        network.destroy();
        [chrome.bar, chrome.card, chrome.live].forEach(function (el) {
          if (el.parentNode) {
            el.parentNode.removeChild(el);
          }
        });
        container.classList.remove("kg-view");
        container.removeAttribute("data-kg-ready");
        container.setAttribute("data-node-count", "0");
        container.setAttribute("data-edge-count", "0");
        container.setAttribute("data-node-ids", "");
      }
    };
  }

  root.KGView = { mount: mount, search: search, snapshot: snapshot, renderLegend: renderLegend,
                  glyph: glyph, glyphPath: glyphPath, version: "2" };
})(typeof globalThis !== "undefined" ? globalThis : window);
