/*
 * The standalone page's charts: the timeline (an SVG: one lane per entity type in the schema's
 * colours, entities as dots and relations as squares, undated ones counted aside) and the
 * technologies × trafficking stages matrix (a table whose cells list their relations' quotes).
 * Data comes from the page's JSON (data.timeline: graph.timeline; data.matrix:
 * graph.analytics.abuse_matrix); every text is set with textContent, never as HTML. Clicking
 * a timeline item selects its entity in the drawing through window.kgExport.choose.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    return node;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function choose(id) {
    if (window.kgExport && window.kgExport.choose) { window.kgExport.choose(id); }
  }

  // Days since 1970 of a YYYY-MM-DD date, so spans of a year and of a day share one axis.
  function day(iso) {
    var p = String(iso).split("-").map(Number);
    return Date.UTC(p[0], (p[1] || 1) - 1, p[2] || 1) / 86400000;
  }

  function drawTimeline(box, t) {
    var sentence = document.getElementById("kg-timeline-sentence");
    var undated = document.getElementById("kg-timeline-undated");
    sentence.textContent = t.sentence + ".";
    undated.textContent = "Undated, so not on the axis: " + t.undated_entities + " entities and " +
      t.undated_relations + " relations.";
    var items = t.items || [];
    box.setAttribute("data-item-count", String(items.length));
    if (!items.length) { return; }
    var lanes = [];
    items.forEach(function (i) { if (lanes.indexOf(i.type_label) < 0) { lanes.push(i.type_label); } });
    var first = Math.min.apply(null, items.map(function (i) { return day(i.start); }));
    var last = Math.max.apply(null, items.map(function (i) { return day(i.start); }));
    var y0 = new Date(first * 86400000).getUTCFullYear();
    var y1 = new Date(last * 86400000).getUTCFullYear() + 1;
    var left = 8 + 7 * Math.max.apply(null, lanes.map(function (l) { return l.length; }));
    left = Math.min(left, 220);
    var width = Math.max(box.clientWidth || 900, 480), laneH = 28, top = 8;
    var height = top + laneH * lanes.length + 28;
    var x = function (d) { return left + (d - day(y0 + "-01-01")) /
      (day(y1 + "-01-01") - day(y0 + "-01-01")) * (width - left - 72); };  // room to stack
    var root = svg("svg", { width: width, height: height, role: "img",
                            "aria-label": "Timeline of dated entities and relations" });
    var step = Math.max(1, Math.ceil((y1 - y0) / 12));
    for (var year = y0; year <= y1; year += step) {
      var gx = x(day(year + "-01-01"));
      root.appendChild(svg("line", { x1: gx, x2: gx, y1: top, y2: height - 24, stroke: "#e2e2dd" }));
      var tick = svg("text", { x: gx, y: height - 8, "text-anchor": "middle", "font-size": 11,
                               fill: "#5b5b60" });
      tick.textContent = String(year);
      root.appendChild(tick);
    }
    lanes.forEach(function (lane, i) {
      var label = svg("text", { x: left - 8, y: top + laneH * i + laneH / 2 + 4,
                                "text-anchor": "end", "font-size": 12, fill: "#1d1d1f" });
      label.textContent = lane;
      root.appendChild(label);
    });
    var stacked = {};
    items.forEach(function (item) {
      var lane = lanes.indexOf(item.type_label);
      var where = lane + "|" + Math.round(x(day(item.start)) / 6);
      var nth = stacked[where] = (stacked[where] || 0) + 1;
      var cx = x(day(item.start)) + (nth - 1) * 7;
      var cy = top + laneH * lane + laneH / 2;
      var mark = item.kind === "entity"
        ? svg("circle", { cx: cx, cy: cy, r: 6 })
        : svg("rect", { x: cx - 5, y: cy - 5, width: 10, height: 10 });
      mark.setAttribute("fill", item.color);
      mark.setAttribute("stroke", "#333333");
      mark.setAttribute("stroke-width", "0.6");
      mark.setAttribute("class", "kg-timeline-item");
      mark.setAttribute("tabindex", "0");
      mark.setAttribute("role", "button");
      mark.setAttribute("data-id", item.id);
      mark.setAttribute("data-entity", item.entity);
      mark.setAttribute("aria-label", item.date + ": " + item.label);
      var tip = svg("title");
      tip.textContent = item.date + " · " + item.label + " (" + item.type_label + ")";
      mark.appendChild(tip);
      mark.addEventListener("click", function () { choose(item.entity); });
      mark.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); choose(item.entity); }
      });
      root.appendChild(mark);
    });
    clear(box);
    box.appendChild(root);
  }

  function showQuotes(out, cell, rowName, columnName) {
    clear(out);
    out.appendChild(el("h3", null, rowName + " × " + columnName));
    cell.relations.forEach(function (relation) {
      out.appendChild(el("p", "kg-matrix-sentence", relation.sentence));
      if (!relation.quotes.length) {
        out.appendChild(el("p", "kg-matrix-none", "No quote recorded for this relation."));
      }
      relation.quotes.forEach(function (q) {
        var quote = el("blockquote", "kg-matrix-quote", "\u201c" + q.quote + "\u201d");
        quote.appendChild(el("cite", null, q.title + (q.locator ? " (" + q.locator + ")" : "")));
        out.appendChild(quote);
      });
    });
  }

  function drawMatrix(table, out, m) {
    var cells = {};
    (m.cells || []).forEach(function (c) { cells[c.row + "\u0000" + c.column] = c; });
    var head = el("tr");
    head.appendChild(el("th", null, "Technology"));
    m.columns.forEach(function (c) { head.appendChild(el("th", "kg-matrix-col", c.name)); });
    var thead = el("thead");
    thead.appendChild(head);
    var body = el("tbody");
    m.rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("th", "kg-matrix-row", r.name));
      m.columns.forEach(function (c) {
        var td = el("td");
        var cell = cells[r.id + "\u0000" + c.id];
        if (cell) {
          var button = el("button", "kg-matrix-cell", cell.documents);
          button.type = "button";
          button.setAttribute("data-row", r.id);
          button.setAttribute("data-column", c.id);
          button.setAttribute("aria-label", r.name + " abused for " + c.name + ": " +
                              cell.documents + " documents; show the quotes");
          button.addEventListener("click", function () { showQuotes(out, cell, r.name, c.name); });
          td.appendChild(button);
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(thead);
    table.appendChild(body);
  }

  var box = document.getElementById("kg-timeline");
  if (box && data.timeline) {
    drawTimeline(box, data.timeline);
    var redraw = null;
    window.addEventListener("resize", function () {
      clearTimeout(redraw);
      redraw = setTimeout(function () { drawTimeline(box, data.timeline); }, 150);
    });
    document.getElementById("kg-charts").addEventListener("toggle", function () {
      drawTimeline(box, data.timeline);
    });
  }
  var table = document.getElementById("kg-matrix");
  if (table && data.matrix && data.matrix.rows.length) {
    drawMatrix(table, document.getElementById("kg-matrix-quotes"), data.matrix);
  } else if (table) {
    document.getElementById("kg-matrix-box").hidden = true;
  }
})();
