/*
 * The standalone HTML export: legend, search, details panel and "Save as PNG" around KGView.
 * Every piece of data is inserted with textContent / createElement, never as HTML, and only
 * http(s) document URLs become links.
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
    if (view.select(id, { focus: true })) {
      showDetails(id);
    }
    clear(results);
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
    renderResults(KGView.search(data, searchInput.value, 12), searchInput.value.trim());
  });
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      var found = KGView.search(data, searchInput.value, 1);
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

  KGView.renderLegend(legendList, data.legend);
  showDetails(null);
  window.kgExport = { view: view, data: data, showDetails: showDetails, choose: choose };
})();
