/* modelmap web app: the callbacks that run in the browser (no server round trip).
 *
 * Highlighting: hovering a classifier in any linked chart sets the highlight store; every
 * linked chart then draws rings (or a line) over that classifier's points in an SVG overlay
 * of its own. The overlay is redrawn after every Plotly redraw (zoom, pan, new figure), and
 * Plotly itself is never asked to re-render, so highlighting stays fast with 1,000s of points.
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var current = null;

  function dc() { return window.dash_clientside; }
  function noUpdate() { return dc().no_update; }
  function trigger() {
    var t = (dc().callback_context || {}).triggered || [];
    return t.length && t[0].prop_id !== "." ? t[0] : null;
  }
  function parseId(propId) {
    var s = propId.slice(0, propId.lastIndexOf("."));
    try { return JSON.parse(s); } catch (e) { return s; }
  }
  function pointId(point) {
    if (!point) { return null; }
    var c = point.customdata;
    if (Array.isArray(c)) { c = c[0]; }
    return (c === undefined || c === null) ? null : c;
  }
  function eventId(value) {
    return value && value.points && value.points.length ? pointId(value.points[0]) : null;
  }
  function axis(layout, ref, letter) {
    var name = (ref || letter).replace(/^([xy])(\d*)$/, function (m, l, n) { return l + "axis" + n; });
    return layout[name];
  }

  function overlay(gd) {
    var box = gd.querySelector(".svg-container");
    var main = gd.querySelector(".main-svg");
    if (!box || !main) { return null; }
    var svg = box.querySelector("svg.mm-overlay");
    if (!svg) {
      svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("class", "mm-overlay");
      box.appendChild(svg);
    }
    svg.setAttribute("width", main.getAttribute("width"));
    svg.setAttribute("height", main.getAttribute("height"));
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    return svg;
  }

  function collect(gd, meta, id) {
    var data = gd.data, layout = gd._fullLayout, groups = [];
    function add(trace, indices) {
      var xa = axis(layout, trace.xaxis, "x"), ya = axis(layout, trace.yaxis, "y"), pts = [];
      if (!xa || !ya) { return; }
      indices.forEach(function (i) {
        var x = trace.x[i], y = trace.y[i];
        if (x === null || y === null || x === undefined || y === undefined) { return; }
        var px = xa._offset + xa.d2p(x), py = ya._offset + ya.d2p(y);
        if (isFinite(px) && isFinite(py)) { pts.push([px, py]); }
      });
      if (pts.length) { groups.push(pts); }
    }
    if (meta.kind === "lookup") {
      var target = data[meta.target];
      if (target) { add(target, (meta.lookup || {})[String(id)] || []); }
      return groups;
    }
    (meta.sources || []).forEach(function (s) {
      var trace = data[s];
      if (!trace || !trace.customdata) { return; }
      var cd = trace.customdata, hits = [];
      for (var i = 0; i < cd.length; i++) {
        var c = Array.isArray(cd[i]) ? cd[i][0] : cd[i];
        if (c === id) { hits.push(i); }
      }
      add(trace, hits);
    });
    return groups;
  }

  function draw(svg, groups, meta, layout) {
    var size = layout._size, clip = document.createElementNS(SVG, "clipPath");
    clip.setAttribute("id", "mm-clip-" + Math.random().toString(36).slice(2));
    var rect = document.createElementNS(SVG, "rect");
    rect.setAttribute("x", size.l - 8); rect.setAttribute("y", size.t - 8);
    rect.setAttribute("width", size.w + 16); rect.setAttribute("height", size.h + 16);
    clip.appendChild(rect); svg.appendChild(clip);
    var g = document.createElementNS(SVG, "g");
    g.setAttribute("clip-path", "url(#" + clip.getAttribute("id") + ")");
    g.setAttribute("class", "mm-hl");
    g.style.color = meta.color || "#d6336c";
    groups.forEach(function (pts) {
      if (meta.kind === "line" && pts.length > 1) {
        var line = document.createElementNS(SVG, "polyline");
        line.setAttribute("points", pts.map(function (p) { return p.join(","); }).join(" "));
        line.setAttribute("class", "mm-hl-line");
        g.appendChild(line);
      }
      var rings = meta.kind === "line" ? [pts[0], pts[pts.length - 1]] : pts;
      rings.forEach(function (p) {
        var c = document.createElementNS(SVG, "circle");
        c.setAttribute("cx", p[0]); c.setAttribute("cy", p[1]);
        c.setAttribute("r", meta.kind === "lookup" ? 6 : 8);
        c.setAttribute("class", "mm-hl-ring");
        g.appendChild(c);
      });
    });
    svg.appendChild(g);
  }

  function paint(gd) {
    var data = gd.data || [], meta = null;
    for (var i = 0; i < data.length; i++) {
      if (data[i].meta && data[i].meta.mm === "highlight") { meta = data[i].meta; break; }
    }
    var svg = overlay(gd);
    if (!svg || !meta || !gd._fullLayout) { return; }
    if (meta.labels) { labels(svg, gd, meta.labels); }
    if (current === null) { return; }
    var groups = collect(gd, meta, current);
    if (groups.length) { draw(svg, groups, meta, gd._fullLayout); }
  }

  /* Map labels: after every redraw (zoom, pan), the titles of the points in view, best
   * first, each placed above its point unless it would overlap one already placed, up to
   * spec.max; zooming in leaves room for more. spec: {trace, text: [title or ""], max}. */
  function labels(svg, gd, spec) {
    var t = gd.data[spec.trace], fl = gd._fullLayout, size = fl._size;
    if (!t || !t.x) { return; }
    var xa = fl.xaxis, ya = fl.yaxis, placed = [], n = 0;
    var g = document.createElementNS(SVG, "g");
    g.setAttribute("class", "mm-map-labels");
    for (var i = t.x.length - 1; i >= 0 && n < spec.max; i--) {
      var text = spec.text[i];
      if (!text) { continue; }
      var px = xa._offset + xa.d2p(t.x[i]), py = ya._offset + ya.d2p(t.y[i]);
      if (!(px >= size.l && px <= size.l + size.w && py >= size.t && py <= size.t + size.h)) {
        continue;
      }
      var w = 6 * text.length + 6, box = [px - w / 2, py - 22, px + w / 2, py - 7];
      var free = placed.every(function (b) {
        return box[2] < b[0] || box[0] > b[2] || box[3] < b[1] || box[1] > b[3];
      });
      if (!free) { continue; }
      placed.push(box);
      var el = document.createElementNS(SVG, "text");
      el.setAttribute("x", px); el.setAttribute("y", py - 10);
      el.setAttribute("text-anchor", "middle");
      el.setAttribute("class", "mm-map-label");
      el.style.fill = spec.color || "#212529";
      el.textContent = text;
      g.appendChild(el);
      n += 1;
    }
    svg.appendChild(g);
  }

  function paintAll() {
    var graphs = document.querySelectorAll(".mm-linked-chart .js-plotly-plot");
    for (var i = 0; i < graphs.length; i++) { paint(graphs[i]); }
  }

  /* Hovering is handled here, on Plotly's own events, so that highlighting never waits
   * for Dash: the overlay is drawn in the same task as the hover. The store
   * "mm-highlight" is set afterwards for whatever else shows the highlight (status bar). */
  function setHighlight(id) {
    if (id === undefined) { id = null; }
    if (id === current) { return; }
    current = id;
    paintAll();
    if (dc() && dc().set_props) { dc().set_props("mm-highlight", {data: id}); }
  }

  function bind(gd) {
    if (!gd._ev || gd.__mmBound === gd._ev || !gd.on) { return; }
    gd.__mmBound = gd._ev;
    gd.on("plotly_afterplot", function () { paint(gd); });
    if (!gd.closest(".mm-hover-source")) { return; }
    gd.on("plotly_hover", function (e) { setHighlight(eventId(e)); });
    gd.on("plotly_unhover", function () { setHighlight(null); });
  }

  var pending = false;
  function bindAll() {
    pending = false;
    var graphs = document.querySelectorAll(".mm-linked-chart .js-plotly-plot");
    for (var i = 0; i < graphs.length; i++) { bind(graphs[i]); }
  }
  new MutationObserver(function () {
    if (!pending) { pending = true; setTimeout(bindAll, 0); }
  }).observe(document.documentElement, {childList: true, subtree: true});

  /* Shareable state: the job and the views live in the address (?job=3&view=ranking&
   * beside=map); a reload or a sent link opens the same. */
  function urlParams() { return new URLSearchParams(window.location.search); }
  function writeUrl(patch) {
    var q = urlParams();
    Object.keys(patch).forEach(function (k) {
      if (patch[k] === null || patch[k] === undefined || patch[k] === "off") { q.delete(k); }
      else { q.set(k, String(patch[k])); }
    });
    var text = q.toString();
    window.history.replaceState(null, "", window.location.pathname + (text ? "?" + text : ""));
  }
  var fromUrl = (function () {
    var q = urlParams(), out = {};
    if (q.get("view")) { out.left = q.get("view"); }
    if (q.get("beside")) { out.right = q.get("beside"); }
    return out;
  })();

  /* The controls listed in _state.URL_STATE: restored once from the address the page was
   * opened with, written back whenever one changes. */
  var openedWith = urlParams(), restored = false;
  function decode(text, kind) {
    if (kind === "switch") { return text === "1" || text === "true"; }
    if (kind === "number") { var n = Number(text); return isNaN(n) ? noUpdate() : n; }
    if (kind === "list" || kind === "numbers") {
      var items = text === "" ? [] : text.split(",").map(decodeURIComponent);
      return kind === "numbers" ? items.map(Number).filter(function (n) { return !isNaN(n); })
        : items;
    }
    return text;
  }
  /* Once, when the page opens; the selection (and with it every view) waits for it. */
  function restoreUrl(spec) {
    var first = !restored;
    restored = true;
    return spec.map(function (e) {
      if (!first || !openedWith.has(e.param)) { return noUpdate(); }
      return decode(openedWith.get(e.param), e.kind);
    }).concat([first ? true : noUpdate()]);
  }
  function stateUrl(spec, values) {
    if (!restored) { return ""; }
    var patch = {};
    spec.forEach(function (e, k) {
      var v = values[k];
      if (JSON.stringify(v) === JSON.stringify(e.default === undefined ? null : e.default)) {
        patch[e.param] = null;
      } else if (v === false && e.default === true) { patch[e.param] = "0";  /* on by default */
      } else if (v === null || v === undefined || v === "" || v === false || v === 0 ||
          (Array.isArray(v) && !v.length)) { patch[e.param] = null; }
      else if (Array.isArray(v)) { patch[e.param] = v.map(function (x) {
        return String(x).replace(/,/g, "%2C"); }).join(","); }
      else if (v === true) { patch[e.param] = "1"; }
      else { patch[e.param] = String(v); }
    });
    writeUrl(patch);
    return "";
  }

  function route(navClicks, beside, clicks, panes) {
    var t = trigger();
    var next = Object.assign({left: "menu", right: "off"}, panes || {});
    if (!t && (fromUrl.left || fromUrl.right)) { next = Object.assign(next, fromUrl); }
    /* on load, answer the panes (not no_update): Dash skips the callbacks that depend on an
     * output that was not updated, and the page would stay empty */
    if (!t) { return [next, next.right, noUpdate()]; }
    var id = parseId(t.prop_id);
    if (id && id.type === "mm-nav") {
      if (!t.value) { return [noUpdate(), noUpdate(), noUpdate()]; }
      if (next.right === id.view) { next.right = next.left; }
      next.left = id.view;
      return [next, next.right, noUpdate()];
    }
    if (id === "mm-beside") {
      if (beside === next.right) { return [noUpdate(), noUpdate(), noUpdate()]; }
      if (beside === next.left) { next.left = next.right !== "off" ? next.right : "menu"; }
      next.right = beside;
      return [next, noUpdate(), noUpdate()];
    }
    var clicked = eventId(t.value);
    if (clicked === null) { return [noUpdate(), noUpdate(), noUpdate()]; }
    if (next.left !== "summary" && next.right !== "summary") { next.right = "summary"; }
    return [next, next.right, clicked];
  }

  function panes(value, visible) {
    var p = Object.assign({left: "menu", right: "off"}, value || {});
    var outs = dc().callback_context.outputs_list;
    var split = p.right && p.right !== "off" && p.right !== p.left;
    var styles = outs[0].map(function (o) {
      var v = o.id.view;
      if (v === p.left) { return {order: 0}; }
      if (split && v === p.right) { return {order: 1}; }
      return {display: "none"};
    });
    var navs = outs[1].map(function (o) {
      return "mm-nav-link" + (o.id.view === p.left ? " active" : "") +
        (split && o.id.view === p.right ? " beside" : "");
    });
    var vis = outs[2].map(function (o, k) {
      var on = o.id.view === p.left || (split && o.id.view === p.right);
      return on === visible[k] ? noUpdate() : on;
    });
    document.body.classList.toggle("mm-split", !!split);
    writeUrl({view: p.left, beside: split ? p.right : null});
    /* a chart drawn (or re-configured) while its view was hidden has the default width;
     * Plotly's responsive charts resize on a window resize, so announce one once the
     * views are on screen */
    setTimeout(function () { window.dispatchEvent(new Event("resize")); }, 50);
    return [styles, navs, vis];
  }

  function settings(value) {
    var s = value || {};
    var theme = s.theme === "dark" ? "dark" : "light";
    document.documentElement.setAttribute("data-bs-theme", theme);
    document.documentElement.setAttribute("data-ag-theme-mode", theme);
    var outs = dc().callback_context.outputs_list;
    var format = s.image === "svg" ? "svg" : "png";
    function config(o) {
      return {displaylogo: false, responsive: true, scrollZoom: o.id.name === "map",
              toImageButtonOptions: {format: format, scale: 2,
                                     filename: "modelmap-" + o.id.name}};
    }
    return [outs[0].map(config), outs[1].map(config)];
  }

  /* Ranking's "Find": scroll to the best-ranked bar whose title contains the text and
   * highlight it everywhere. */
  function find(text, titles) {
    var q = (text || "").trim().toLowerCase();
    if (!q) { return ""; }
    var el = document.getElementById(JSON.stringify({name: "ranking", type: "mm-linked"}));
    var gd = el && el.querySelector(".js-plotly-plot");
    var bars = gd && (gd.data || []).filter(function (t) { return t.type === "bar"; })[0];
    if (!bars || !gd._fullLayout) { return "nothing to search yet"; }
    var hits = [];
    bars.customdata.forEach(function (id, i) {
      var title = String((titles || {})[String(id)] || "");
      if (title.toLowerCase().indexOf(q) >= 0) { hits.push([bars.y[i], id, title]); }
    });
    if (!hits.length) { return "no title contains \u201c" + text + "\u201d"; }
    hits.sort(function (a, b) { return a[0] - b[0]; });
    var ya = gd._fullLayout.yaxis, py = ya._offset + ya.d2p(hits[0][0]);
    var box = gd.closest(".mm-view"), top = gd.getBoundingClientRect().top;
    if (box) {
      var where = top - box.getBoundingClientRect().top + box.scrollTop + py;
      box.scrollTop = Math.max(0, where - box.clientHeight / 2);
    }
    setHighlight(hits[0][1]);
    return "#" + (hits[0][0] + 1) + " " + hits[0][2] +
      (hits.length > 1 ? " (" + hits.length + " matches)" : "");
  }

  /* Table: the search box is AG Grid's quick filter (in the browser, no round trip). */
  function gridSearch(text, options) {
    return Object.assign({}, options || {}, {quickFilterText: text || ""});
  }

  /* A CSV cell: text that a spreadsheet would run as a formula (= + - @, tab, CR first)
   * gets a leading quote; cells with a comma, quote or line break are quoted. */
  function csvCell(value) {
    if (value === null || value === undefined) { return ""; }
    var text = String(value);
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) { text = "'" + text; }
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  /* Table: export the rows and columns shown, in the table's order. */
  function gridCsv(api) {
    var columns = api.getAllDisplayedColumns();
    var ids = [];  // a score with an interval is exported with its low and high
    columns.forEach(function (c) {
      var id = c.getColId();
      ids.push([id]);
      if ((c.getColDef().headerClass || "").indexOf("mm-ci") >= 0) {
        ids.push([id + "_low", "ci:" + id, 0], [id + "_high", "ci:" + id, 1]);
      }
    });
    var lines = [ids.map(function (c) { return csvCell(c[0]); }).join(",")];
    var n = 0;
    api.forEachNodeAfterFilterAndSort(function (node) {
      if (!node.data) { return; }
      n += 1;
      lines.push(ids.map(function (c) {
        var v = c.length > 1 ? (node.data[c[1]] || [])[c[2]] : node.data[c[0]];
        return csvCell(v);
      }).join(","));
    });
    return {text: lines.join("\r\n") + "\r\n", rows: n};
  }

  function gridExport(clicks) {
    if (!clicks || !window.dash_ag_grid) { return ""; }
    var api = window.dash_ag_grid.getApi("mm-grid");
    if (!api) { return "the table is not ready yet"; }
    var csv = gridCsv(api);
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([csv.text], {type: "text/csv;charset=utf-8"}));
    link.download = "modelmap-table.csv";
    document.body.appendChild(link); link.click(); link.remove();
    return "exported " + csv.rows + " rows";
  }

  /* Table: a score cell with its interval and marks, from the row's "ci:<score>" entry
   * ([low, high, tied with the best]) and "ref" (a reference, never "best"). */
  function num(v) {
    return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3)
      : String(+v.toFixed(4));
  }
  function scoreCell(params, column) {
    var v = params.value;
    if (v === null || v === undefined) { return ""; }
    var text = typeof v === "number" ? num(v) : String(v);
    var ci = params.data && params.data["ci:" + column];
    if (ci) {
      text = (typeof v === "number" ? v.toFixed(3) : text) + " [" + ci[0].toFixed(2) + ", "
        + ci[1].toFixed(2) + "]";
      if (params.data.ref) { text += " ref"; } else if (ci[2]) { text += " \u2248best"; }
    }
    return text;
  }
  window.dashAgGridFunctions = Object.assign(window.dashAgGridFunctions || {},
                                             {mmScore: scoreCell});

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    modelmap: {
      highlight: function (id, titles) {
        if (id === undefined) { id = null; }
        if (id !== current) { current = id; paintAll(); }
        if (id === null) { return ""; }
        var title = (titles || {})[String(id)];
        return "Highlighted: " + (title || ("#" + id));
      },
      route: route,
      panes: panes,
      find: find,
      gridSearch: gridSearch,
      jobUrl: function (job) { writeUrl({job: job}); return ""; },
      restoreUrl: restoreUrl,
      stateUrl: stateUrl,
      gridExport: gridExport,
      settings: settings
    }
  });
})();
