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
        widthConstraint: { maximum: 170 }, // long names wrap instead of spreading sideways
        font: { size: 14, face: FONT_FACE, strokeWidth: 3, strokeColor: "#ffffff" }
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
      var name = String(details.name != null ? details.name : node.label);
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

  /** Fill `list` (a <ul>) with the legend: glyph, label, "(count)" per entry; text as text. */
  function renderLegend(list, entries) {
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
      item.appendChild(glyph(entry.shape, entry.color));
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
        drawGlyph(ctx, at.shape, at.x, at.y, at.r, item.entry.color, scale);
        out.kgGlyphs.push(at);
        ctx.fillStyle = theme.text;
        ctx.fillText(item.text, pad + item.x + unit * 1.6, y);
      });
    });
    return out;
  }

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
      selected: null,
      focused: null,
      dimNodes: new Set(),
      dimEdges: new Set(),
      theme: LIGHT_THEME
    };
    var count = (data && data.nodes ? data.nodes.length : 0);
    var network = new vis.Network(container, { nodes: nodes, edges: edges },
                                  networkOptions(count));

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
        20 ms this way). */
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
          drawnNode.options.opacity = dim ? DIM_OPACITY : 1;  // covers the label too
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

    function labelColor(n) {
      return ink((n.font || {}).color || "#222222");
    }

    function visNode(n) {
      var copy = Object.assign({ opacity: 1 }, n);
      delete copy.details;
      if (state.theme.dark) {
        copy.font = Object.assign({}, n.font || {}, { color: labelColor(n) });
        copy.color = inked(n.color);
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
      network.setOptions({
        nodes: { font: { strokeColor: next.background } },
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

    function setData(next) {
      next = next || { nodes: [], edges: [] };
      state.data = { nodes: next.nodes || [], edges: next.edges || [] };
      state.byId = new Map();
      state.edgeById = new Map();
      state.adjacency = new Map();
      state.selected = null;
      state.focused = null;
      state.dimNodes = new Set();
      state.dimEdges = new Set();
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
      network.unselectAll();
      nodes.clear();
      edges.clear();
      nodes.add(state.data.nodes.map(visNode));
      edges.add(state.data.edges.map(visEdge));
      container.setAttribute("data-node-count", String(nodes.length));
      container.setAttribute("data-edge-count", String(edges.length));
      container.setAttribute("data-node-ids",
                             state.data.nodes.map(function (n) { return String(n.id); }).join(" "));
      network.fit({ animation: false });
      if (next.selected !== undefined && next.selected !== null) {
        select(next.selected, { focus: false });
      }
    }

    function focus(id, animation) {
      if (!state.byId.has(id)) {
        return false;
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
      applyFocus(null);
    }

    network.on("click", function (params) {
      var id = params.nodes && params.nodes.length ? params.nodes[0] : null;
      state.selected = id;
      // Tell the host first: dimming a large drawing takes a moment, the details need not wait.
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
      fit: function () { network.fit({ animation: false }); },
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
        network.destroy();
        container.classList.remove("kg-view");
        container.removeAttribute("data-kg-ready");
        container.setAttribute("data-node-count", "0");
        container.setAttribute("data-edge-count", "0");
        container.setAttribute("data-node-ids", "");
      }
    };
  }

  root.KGView = { mount: mount, search: search, snapshot: snapshot, renderLegend: renderLegend,
                  glyph: glyph, glyphPath: glyphPath, version: "1" };
})(typeof globalThis !== "undefined" ? globalThis : window);
