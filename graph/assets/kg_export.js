/*
 * The standalone HTML export: legend, search, details panel, guided tours and "Save as PNG"
 * around KGView. Every piece of data is inserted with textContent / createElement, never as
 * HTML, and only http(s) document URLs become links.
 *
 * Search ranks as graph.search does, from the numbers graph/page.py puts in data.search:
 * exact name, alias or id; initials of a multi-word name ("IJM"); a name or alias prefix; a
 * later word's prefix; a substring; the description; then near misses ("interpoll"). Ties go
 * to the better-connected entity. Tours (data.tours, made by graph.page.page_tours) replace
 * the drawing with each step's own, with Back / Next (and the keys -> / <-, Page Down / Up).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var container = document.querySelector('[data-testid="kg-graph"]');
  var panel = document.getElementById("kg-details");
  var legendList = document.getElementById("kg-legend");
  var searchInput = document.getElementById("kg-search");
  var results = document.getElementById("kg-search-results");
  var pngButton = document.getElementById("kg-png");
  var pngLink = document.getElementById("kg-png-link");
  var byId = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); });
  var edgeById = new Map();
  data.edges.forEach(function (e) { edgeById.set(e.id, e); });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function httpUrl(url) {
    if (!/^https?:\/\//i.test(String(url || ""))) {
      return null;
    }
    try {
      var parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function documentItem(doc) {
    var item = el("li", "kg-doc");
    var url = httpUrl(doc.url);
    var titleNode;
    if (url) {
      titleNode = el("a", "kg-doc-title", doc.title);
      titleNode.href = url;
      titleNode.target = "_blank";
      titleNode.rel = "noopener noreferrer";
    } else {
      titleNode = el("span", "kg-doc-title", doc.title);
    }
    item.appendChild(titleNode);
    var meta = [doc.publisher, doc.date].filter(function (x) { return x; }).join(", ");
    if (meta) {
      item.appendChild(el("span", "kg-doc-meta", " — " + meta));
    }
    return item;
  }

  function sources(docs) {
    return docs.map(function (d) {
      return d.publisher ? d.title + " (" + d.publisher + ")" : d.title;
    }).join("; ");
  }

  function showDetails(id) {
    clear(panel);
    var node = id === null || id === undefined ? null : byId.get(id);
    if (!node) {
      panel.appendChild(el("p", "kg-hint",
        "Click a node, or search for one, to see its description, documents and relations."));
      return;
    }
    var d = node.details || {};
    panel.setAttribute("data-node-id", String(node.id));
    panel.appendChild(el("h2", "kg-details-name", d.name));
    var type = el("p", "kg-details-type");
    type.appendChild(KGView.glyph(node.shape, node.color && node.color.background));
    type.appendChild(document.createTextNode(d.type_label || d.type || ""));
    if (d.date) {
      type.appendChild(el("span", "kg-doc-meta", " · " + d.date));
    }
    panel.appendChild(type);
    if (d.aliases && d.aliases.length) {
      panel.appendChild(el("p", "kg-details-aliases", "Also known as: " + d.aliases.join(", ")));
    }
    if (d.description) {
      panel.appendChild(el("p", "kg-details-description", d.description));
    }
    var docs = d.documents || [];
    if (docs.length) {
      panel.appendChild(el("h3", null, "Documents (" + docs.length + ")"));
      var docList = el("ul", "kg-docs");
      docs.forEach(function (doc) { docList.appendChild(documentItem(doc)); });
      panel.appendChild(docList);
    }
    var relations = d.relations || [];
    panel.appendChild(el("h3", null, "Relations (" + relations.length + ")"));
    var relList = el("ul", "kg-relations");
    relations.forEach(function (rel) {
      var item = el("li", "kg-relation");
      item.setAttribute("data-edge-id", String(rel.edge));
      var sentence = el("button", "kg-sentence", rel.sentence);
      sentence.type = "button";
      sentence.title = "Show " + rel.other_name;
      sentence.addEventListener("click", function () { choose(rel.other); });
      item.appendChild(sentence);
      if (rel.evidence) {
        item.appendChild(el("blockquote", "kg-evidence", rel.evidence));
      }
      var meta = [];
      if (rel.documents && rel.documents.length) {
        meta.push(sources(rel.documents));
      }
      if (rel.date) {
        meta.push(rel.date);
      }
      if (meta.length) {
        item.appendChild(el("p", "kg-relation-source", "— " + meta.join(" · ")));
      }
      relList.appendChild(item);
    });
    panel.appendChild(relList);
  }

  var view = KGView.mount(container, data, {
    onSelect: function (id) { showDetails(id); },
    onDoubleClick: function (id) { view.focus(id); }
  });

  function choose(id) {
    if (tourAt !== null && !view.node(id)) {
      endTour();  // the entity is not in the step's drawing: back to the whole graph
    }
    if (view.select(id, { focus: true })) {
      showDetails(id);
    }
    clear(results);
  }

  // --- search, ranked as graph.search ranks -------------------------------------------------

  var RULES = data.search || { exact: 100, initials: 95, prefix: 80, word: 60, substring: 50,
                               description: 30, fuzzy_cutoff: 72, stop_words: [] };
  var STOP = new Set(RULES.stop_words);
  var WORD = /[\p{L}\p{N}_']+/gu;  // Python's [\w']+
  var FUZZY_WEIGHT = 0.29;  // graph.search: a near miss ranks below every other kind of match
  var index = null;

  function words(text) {
    return String(text).match(WORD) || [];
  }

  function squash(text) {
    return String(text == null ? "" : text).toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  function initialsOf(name) {
    var kept = words(String(name).toLowerCase()).filter(function (w) { return !STOP.has(w); });
    return kept.length > 1 ? kept.map(function (w) { return w[0]; }).join("") : "";
  }

  /** rapidfuzz's fuzz.ratio: 100 * 2 * (longest common subsequence) / (|a| + |b|). */
  function ratio(a, b) {
    if (!a.length && !b.length) {
      return 100;
    }
    var prev = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      var row = [0];
      for (var j = 1; j <= b.length; j++) {
        row.push(a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]));
      }
      prev = row;
    }
    return 200 * prev[b.length] / (a.length + b.length);
  }

  /** Close to rapidfuzz's fuzz.WRatio, which graph.search uses: the plain ratio, the best
      alignment of the shorter text inside the longer (scaled down as lengths differ), and the
      words in sorted order. */
  function weightedRatio(a, b) {
    var short = a.length <= b.length ? a : b;
    var long = a.length <= b.length ? b : a;
    var lengths = long.length / Math.max(1, short.length);
    var best = ratio(a, b);
    var sorted = function (t) { return words(t).sort().join(" "); };
    if (lengths < 1.5) {
      return Math.max(best, 0.95 * ratio(sorted(a), sorted(b)));
    }
    var scale = lengths < 8 ? 0.9 : 0.6;
    var partial = 0;
    for (var start = 1 - short.length; start < long.length; start++) {
      var window = long.slice(Math.max(0, start), start + short.length);
      partial = Math.max(partial, ratio(short, window));
    }
    return Math.max(best, partial * scale);
  }

  function buildIndex() {
    var degree = new Map();
    data.edges.forEach(function (e) {
      degree.set(e.from, (degree.get(e.from) || 0) + 1);
      degree.set(e.to, (degree.get(e.to) || 0) + 1);
    });
    return data.nodes.map(function (node) {
      var d = node.details || {};
      var name = String(d.name != null ? d.name : node.name != null ? node.name : node.label);
      var texts = [name].concat(d.aliases || [], node.label !== name ? [node.label] : [],
                                [String(node.id)]);
      var keys = [];
      texts.forEach(function (text) {
        var key = squash(text);
        if (key && !keys.some(function (k) { return k.key === key; })) {
          keys.push({ key: key, text: String(text), alias: text !== name && text !== node.id,
                      words: words(key) });
        }
      });
      return { id: node.id, name: name, type: d.type_label || "", keys: keys,
               initials: initialsOf(name), description: squash(d.description),
               degree: degree.get(node.id) || 0 };
    });
  }

  /** The best `limit` entities for `query`, as graph.search.search ranks them. */
  function rankedSearch(query, limit) {
    var q = squash(query);
    if (!q) {
      return [];
    }
    index = index || buildIndex();
    var best = new Map();
    function offer(entry, score, via) {
      var held = best.get(entry.id);
      if (!held || score > held.score) {
        best.set(entry.id, { entry: entry, score: score, via: via });
      }
    }
    index.forEach(function (entry) {
      entry.keys.forEach(function (k) {
        if (k.key === q) {
          offer(entry, RULES.exact, k);
        } else if (k.key.indexOf(q) === 0) {
          offer(entry, RULES.prefix, k);
        } else if (k.words.slice(1).some(function (w) { return w.indexOf(q) === 0; })) {
          offer(entry, RULES.word, k);
        }
      });
      if (entry.initials && entry.initials === q.replace(/ /g, "")) {
        offer(entry, RULES.initials, null);
      }
    });
    if (best.size < limit) {
      index.forEach(function (entry) {
        entry.keys.forEach(function (k) {
          if (k.key.indexOf(q) >= 0) {
            offer(entry, RULES.substring, k);
          }
        });
        if (q.length >= 3 && entry.description.indexOf(q) >= 0) {
          offer(entry, RULES.description, null);
        }
      });
    }
    if (best.size < limit && q.length >= 3) {
      var near = [];
      index.forEach(function (entry) {
        entry.keys.forEach(function (k) {
          var score = weightedRatio(q, k.key);  // a typo: "interpoll", "arachnd"
          if (score >= RULES.fuzzy_cutoff) {
            near.push({ entry: entry, score: score, via: k });
          }
        });
      });
      near.sort(function (a, b) { return b.score - a.score; });
      near.slice(0, limit).forEach(function (n) { offer(n.entry, n.score * FUZZY_WEIGHT, n.via); });
    }
    var found = Array.from(best.values());
    found.sort(function (a, b) {
      return b.score - a.score || b.entry.degree - a.entry.degree ||
        (a.entry.name.toLowerCase() < b.entry.name.toLowerCase() ? -1 :
         a.entry.name.toLowerCase() > b.entry.name.toLowerCase() ? 1 : 0);
    });
    return found.slice(0, limit).map(function (hit) {
      return { id: hit.entry.id, name: hit.entry.name, type: hit.entry.type,
               alias: hit.via && hit.via.alias ? hit.via.text : null,
               score: Math.round(hit.score * 10) / 10 };
    });
  }

  function renderResults(found, query) {
    clear(results);
    if (!query) {
      return;
    }
    if (!found.length) {
      results.appendChild(el("li", "kg-no-match", "No entity matches."));
      return;
    }
    found.forEach(function (hit) {
      var item = el("li");
      var button = el("button", "kg-result");
      button.type = "button";
      button.appendChild(el("span", "kg-result-name", hit.name));
      if (hit.alias) {
        button.appendChild(el("span", "kg-result-alias", " (" + hit.alias + ")"));
      }
      button.appendChild(el("span", "kg-result-type", hit.type));
      button.addEventListener("click", function () { choose(hit.id); });
      item.appendChild(button);
      results.appendChild(item);
    });
  }

  searchInput.addEventListener("input", function () {
    renderResults(rankedSearch(searchInput.value, 12), searchInput.value.trim());
  });
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      var found = rankedSearch(searchInput.value, 1);
      if (found.length) {
        choose(found[0].id);
      } else {
        renderResults(found, searchInput.value.trim());
      }
    } else if (event.key === "Escape") {
      searchInput.value = "";
      clear(results);
    }
  });

  function fileName() {
    var slug = String(data.title || "graph").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
    return (slug || "graph") + ".png";
  }

  pngButton.addEventListener("click", function () {
    if (!view.canvas()) {
      return;
    }
    var subtitle = document.querySelector(".kg-subtitle");
    var out = KGView.snapshot(view, { title: data.title, legend: data.legend,
                                      subtitle: subtitle ? subtitle.textContent : "" });
    pngLink.href = out.toDataURL("image/png");
    pngLink.download = fileName();
    pngLink.click();
  });

  // --- guided tours ----------------------------------------------------------------------

  var tours = data.tours || [];
  var tourPicker = document.getElementById("kg-tour-picker");
  var tourSelect = document.getElementById("kg-tour-select");
  var tourPanel = document.getElementById("kg-tour");
  var tourButtons = {
    back: document.getElementById("kg-tour-back"),
    next: document.getElementById("kg-tour-next"),
    exit: document.getElementById("kg-tour-exit")
  };
  var tourAt = null;  // {tour, step} while a tour runs

  function stepData(step) {
    // A step carries only what differs from the page's own nodes and edges (graph.page).
    return {
      nodes: step.nodes.map(function (n) { return Object.assign({}, byId.get(n.id), n); }),
      edges: step.edges.map(function (e) { return Object.assign({}, edgeById.get(e.id), e); }),
      legend: step.legend
    };
  }

  function showStep(tourIndex, stepIndex) {
    var tour = tours[tourIndex];
    var step = tour.steps[stepIndex];
    tourAt = { tour: tourIndex, step: stepIndex };
    view.setData(stepData(step));  // fitted to the canvas: the step's view holds its subjects
    KGView.renderLegend(legendList, step.legend);
    document.getElementById("kg-tour-where").textContent =
      tour.title + " · Step " + (stepIndex + 1) + " of " + tour.steps.length;
    document.getElementById("kg-tour-title").textContent = step.title;
    document.getElementById("kg-tour-narration").textContent = step.narration;
    document.getElementById("kg-tour-sources").textContent =
      step.sources.length ? "Sources: " + step.sources.join("; ") : "";
    tourButtons.back.disabled = stepIndex === 0;
    tourButtons.next.disabled = stepIndex === tour.steps.length - 1;
    tourPanel.hidden = false;
    tourPanel.setAttribute("data-tour", String(tour.id));
    tourPanel.setAttribute("data-step", String(stepIndex + 1));
    showDetails(null);
  }

  function moveTour(by) {
    if (tourAt === null) {
      return;
    }
    var steps = tours[tourAt.tour].steps.length;
    var next = tourAt.step + by;
    if (next >= 0 && next < steps) {
      showStep(tourAt.tour, next);
    }
  }

  function endTour() {
    if (tourAt === null) {
      return;
    }
    tourAt = null;
    tourPanel.hidden = true;
    view.setData(data);
    KGView.renderLegend(legendList, data.legend);
  }

  if (tours.length) {
    tours.forEach(function (tour, i) {
      var option = el("option", null, tour.title);
      option.value = String(i);
      option.title = tour.summary;
      tourSelect.appendChild(option);
    });
    tourPicker.hidden = false;
    document.getElementById("kg-tour-start").addEventListener("click", function () {
      showStep(Number(tourSelect.value) || 0, 0);
    });
    tourButtons.back.addEventListener("click", function () { moveTour(-1); });
    tourButtons.next.addEventListener("click", function () { moveTour(1); });
    tourButtons.exit.addEventListener("click", endTour);
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (/^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) ||
                              container.contains(target));  // the drawing has its own keys
      if (tourAt === null || typing || event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      if (event.key === "ArrowRight" || event.key === "PageDown") {
        event.preventDefault();
        moveTour(1);
      } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
        event.preventDefault();
        moveTour(-1);
      } else if (event.key === "Escape") {
        endTour();
      }
    });
  }

  KGView.renderLegend(legendList, data.legend);
  showDetails(null);
  window.kgExport = { view: view, data: data, showDetails: showDetails, choose: choose,
                      search: rankedSearch, tour: { show: showStep, move: moveTour,
                                                    end: endTour, at: function () { return tourAt; } } };
})();
