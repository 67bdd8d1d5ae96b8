// Force-directed view of /graph.json on a <canvas class="graph-canvas" data-graph="…">, or of the
// JSON in a <script class="graph-data"> beside it (a note page's neighbourhood, data-focus="note:<slug>").
// Drag the background to pan, scroll to zoom, hover for a label, click to open.
//
// The layout keeps nodes apart (repulsion and collision only between neighbours on a grid, so a
// step costs O(n), not O(n²)), runs a few milliseconds per frame, then stops; unconnected nodes sit
// in rows under the graph. The view fits the canvas until the reader pans or zooms. Labels: the
// most-linked nodes always, every node once zoomed in, never two overlapping.
(function () {
  "use strict";
  var COLORS = { note: "--accent", paper: "--paper", tag: "--tag", author: "--author", venue: "--venue" };
  var HUBS = 12;            // nodes labelled at any zoom
  var LABEL_ZOOM = 1.6;     // from this zoom on, every node's label that fits is drawn
  var LABEL_ALL = 150;      // ... and also when no more nodes than this are on screen
  var EDGES_OPAQUE = 1500;  // edges on screen drawn at full strength; more are drawn fainter
  var SPACING = 28;         // preferred distance between neighbouring nodes (layout units)
  var STEPS = 300;          // layout iterations (fewer for large graphs, whose start is already close)
  var BUDGET_MS = 10;       // layout time per frame
  var WORKER_FROM = 1500;   // nodes from which the layout runs in a Worker

  function css(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function neighbourhood(data, focus) {
    var keep = {};
    keep[focus] = true;
    data.edges.forEach(function (e) {
      if (e.source === focus) keep[e.target] = true;
      if (e.target === focus) keep[e.source] = true;
    });
    return {
      nodes: data.nodes.filter(function (n) { return keep[n.id]; }),
      edges: data.edges.filter(function (e) { return keep[e.source] && keep[e.target]; }),
    };
  }

  function Graph(canvas, data) {
    var focus = canvas.dataset.focus;
    if (focus) data = neighbourhood(data, focus);
    this.canvas = canvas;
    this.context = canvas.getContext("2d");
    this.focus = focus;
    this.hidden = {};
    this.scale = 1;
    this.offset = { x: 0, y: 0 };
    this.fitting = true;
    this.hover = null;
    var byId = {};
    this.nodes = data.nodes.map(function (n) {
      var node = { id: n.id, type: n.type, title: n.title || n.id, url: n.url, x: 0, y: 0, degree: 0 };
      byId[n.id] = node;
      return node;
    });
    this.edges = [];
    var self = this;
    data.edges.forEach(function (e) {
      var a = byId[e.source], b = byId[e.target];
      if (a && b && a !== b) { self.edges.push({ a: a, b: b }); a.degree++; b.degree++; }
    });
    this.nodes.forEach(function (node) { node.r = self.radius(node); });
    this.stepsWanted = this.nodes.length > 3000 ? 120 : STEPS;
    spiral(this.nodes, this.edges);
    if (focus && byId[focus]) { byId[focus].x = 0; byId[focus].y = 0; byId[focus].pinned = true; }
    this.hubs = this.nodes.filter(function (n) { return n.degree > 0; })
      .sort(function (a, b) { return b.degree - a.degree; }).slice(0, HUBS);
    this.hubs.forEach(function (n) { n.hub = true; });
    this.steps = 0;
    this.resize();
    this.bind();
    this.frame();
  }

  // Start from a spiral in breadth-first order from the most-linked node, so linked nodes start
  // near each other and the layout has little left to do.
  function spiral(nodes, edges) {
    var next = {}, seen = {}, order = [];
    edges.forEach(function (e) { (next[e.a.id] || (next[e.a.id] = [])).push(e.b); (next[e.b.id] || (next[e.b.id] = [])).push(e.a); });
    nodes.slice().sort(function (a, b) { return b.degree - a.degree; }).forEach(function (start) {
      if (seen[start.id]) return;
      seen[start.id] = true;
      for (var queue = [start], head = 0; head < queue.length; head++) {
        var node = queue[head];
        order.push(node);
        (next[node.id] || []).forEach(function (other) { if (!seen[other.id]) { seen[other.id] = true; queue.push(other); } });
      }
    });
    order.forEach(function (node, i) {
      var angle = i * 2.399963, radius = SPACING * 0.6 * Math.sqrt(i + 1);
      node.x = Math.cos(angle) * radius; node.y = Math.sin(angle) * radius;
    });
  }

  Graph.prototype.visible = function (node) { return !this.hidden[node.type]; };

  Graph.prototype.resize = function () {
    var ratio = window.devicePixelRatio || 1;
    var width = this.canvas.clientWidth || 600, height = this.canvas.clientHeight || Number(this.canvas.getAttribute("height"));
    this.canvas.width = width * ratio;
    this.canvas.height = height * ratio;
    this.width = width;
    this.height = height;
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
  };

  Graph.prototype.radius = function (node) {  // in layout units; drawn scaled by sqrt(zoom)
    return (node.type === "note" ? 4 : 3) + Math.min(7, Math.sqrt(node.degree));
  };

  // The layout, self-contained so it can also run in a Worker: one step moves nodes along springs
  // (edges), away from every other node (far ones grouped in a quadtree, Barnes–Hut) and from
  // overlapping neighbours, and towards the centre; no move is longer than ``temperature``.
  function layoutKernel(spacing) {
    function cell(x0, y0, size) { return { x0: x0, y0: y0, size: size, mass: 0, cx: 0, cy: 0, body: null, kids: null }; }
    function insert(quad, node, depth) {
      if (!quad.mass) { quad.body = node; quad.mass = 1; quad.cx = node.x; quad.cy = node.y; return; }
      if (!quad.kids && depth < 40) { quad.kids = [null, null, null, null]; place(quad, quad.body, depth); quad.body = null; }
      quad.cx = (quad.cx * quad.mass + node.x) / (quad.mass + 1);
      quad.cy = (quad.cy * quad.mass + node.y) / (quad.mass + 1);
      quad.mass++;
      if (quad.kids) place(quad, node, depth);
    }
    function place(quad, node, depth) {
      var half = quad.size / 2, index = (node.x >= quad.x0 + half ? 1 : 0) + (node.y >= quad.y0 + half ? 2 : 0);
      if (!quad.kids[index]) quad.kids[index] = cell(quad.x0 + (index & 1 ? half : 0), quad.y0 + (index & 2 ? half : 0), half);
      insert(quad.kids[index], node, depth + 1);
    }
    function repel(quad, node) {
      if (!quad || !quad.mass || quad.body === node) return;
      var dx = node.x - quad.cx, dy = node.y - quad.cy, d2 = dx * dx + dy * dy;
      if (quad.body || quad.size * quad.size < d2) {
        if (d2 < 0.01) { dx = Math.random() - 0.5; dy = Math.random() - 0.5; d2 = dx * dx + dy * dy; }
        var push = spacing * spacing * quad.mass / d2;
        if (quad.body) {
          var overlap = node.r + quad.body.r + 6 - Math.sqrt(d2);
          if (overlap > 0) push += overlap / Math.sqrt(d2);
        }
        node.fx += dx * push; node.fy += dy * push;
        return;
      }
      for (var i = 0; i < 4; i++) repel(quad.kids[i], node);
    }
    return function step(nodes, edges, temperature) {
      var n = nodes.length, i, a, left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
      for (i = 0; i < n; i++) {
        a = nodes[i];
        left = Math.min(left, a.x); right = Math.max(right, a.x); top = Math.min(top, a.y); bottom = Math.max(bottom, a.y);
      }
      var tree = cell(left - 1, top - 1, Math.max(right - left, bottom - top) + 2);
      for (i = 0; i < n; i++) insert(tree, nodes[i], 0);
      for (i = 0; i < n; i++) {
        a = nodes[i];
        a.fx = -a.x * 0.01; a.fy = -a.y * 0.01;
        repel(tree, a);
      }
      for (i = 0; i < edges.length; i++) {
        var e = edges[i], ex = e.b.x - e.a.x, ey = e.b.y - e.a.y, length = Math.sqrt(ex * ex + ey * ey) + 0.01;
        var pull = (length - spacing * 1.5) * 0.06 / length, pa = pull / Math.sqrt(e.a.degree), pb = pull / Math.sqrt(e.b.degree);
        e.a.fx += ex * pa; e.a.fy += ey * pa; e.b.fx -= ex * pb; e.b.fy -= ey * pb;
      }
      for (i = 0; i < n; i++) {
        a = nodes[i];
        if (a.pinned) continue;
        var force = Math.sqrt(a.fx * a.fx + a.fy * a.fy) + 1e-9, move = Math.min(force, temperature);
        a.x += a.fx / force * move; a.y += a.fy / force * move;
      }
    };
  }

  // A Worker's whole program: lay out the nodes it is sent, posting positions every few steps.
  function layoutWorker(kernel, spacing) {
    var step = kernel(spacing);
    self.onmessage = function (event) {
      var data = event.data, nodes = [], edges = [], i, s;
      for (i = 0; i < data.x.length; i++) nodes.push({ x: data.x[i], y: data.y[i], r: data.r[i], degree: data.degree[i], pinned: false });
      for (i = 0; i < data.edges.length; i += 2) edges.push({ a: nodes[data.edges[i]], b: nodes[data.edges[i + 1]] });
      for (s = 0; s < data.steps; s++) {
        step(nodes, edges, spacing * 2 * (1 - s / data.steps) + 1);
        if (s % 4 === 3 || s === data.steps - 1) {
          var x = new Float64Array(nodes.length), y = new Float64Array(nodes.length);
          for (i = 0; i < nodes.length; i++) { x[i] = nodes[i].x; y[i] = nodes[i].y; }
          self.postMessage({ x: x, y: y, step: s + 1 }, [x.buffer, y.buffer]);
        }
      }
    };
  }

  var step = layoutKernel(SPACING);

  // Small graphs are laid out between frames; large ones in a Worker, so the page stays responsive.
  Graph.prototype.layout = function () {
    if (this.worker) { this.worker.terminate(); this.worker = null; }
    if (this.connected.length <= WORKER_FROM || typeof Worker === "undefined") return;
    var nodes = this.connected, index = new Map(), self = this;
    nodes.forEach(function (node, i) { index.set(node, i); });
    var pairs = [];
    this.layoutEdges.forEach(function (e) { pairs.push(index.get(e.a), index.get(e.b)); });
    var source = "(" + layoutWorker + ")(" + layoutKernel + ", " + SPACING + ");";
    try {
      this.worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
    } catch (error) {
      return;  // a page that forbids blob: workers lays out on the main thread
    }
    this.worker.onmessage = function (event) {
      var data = event.data;
      nodes.forEach(function (node, i) { node.x = data.x[i]; node.y = data.y[i]; });
      self.steps = data.step;
      self.placeIsolated();
      if (self.steps >= self.stepsWanted) self.canvas.dataset.settled = "true";
      self.redraw();
    };
    this.worker.postMessage({
      x: nodes.map(function (n) { return n.x; }), y: nodes.map(function (n) { return n.y; }),
      r: nodes.map(function (n) { return n.r; }), degree: nodes.map(function (n) { return n.degree; }),
      edges: pairs, steps: this.stepsWanted,
    });
  };

  // Unconnected nodes in rows under the graph, apart from it.
  Graph.prototype.placeIsolated = function () {
    var box = this.bounds(this.connected), gap = SPACING * 1.2;
    var columns = Math.max(1, Math.floor((box.right - box.left) / gap) + 1);
    var top = (this.connected.length ? box.bottom : 0) + SPACING * 2.5;
    this.isolated.forEach(function (node, index) {
      node.x = box.left + (index % columns) * gap;
      node.y = top + Math.floor(index / columns) * gap;
    });
    this.isolatedTop = top;
  };

  Graph.prototype.bounds = function (nodes) {
    var box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    nodes.forEach(function (node) {
      box.left = Math.min(box.left, node.x); box.right = Math.max(box.right, node.x);
      box.top = Math.min(box.top, node.y); box.bottom = Math.max(box.bottom, node.y);
    });
    if (box.left === Infinity) box = { left: 0, right: 0, top: 0, bottom: 0 };
    return box;
  };

  // Scale and centre so every shown node is inside the canvas, with room for labels.
  Graph.prototype.fit = function () {
    var shown = this.nodes.filter(this.visible, this);
    if (!shown.length) return;
    var box = this.bounds(shown), margin = 28;
    var width = Math.max(box.right - box.left, 1), height = Math.max(box.bottom - box.top, 1);
    this.scale = Math.max(0.02, Math.min(2.2, (this.width - 2 * margin) / width, (this.height - 2 * margin) / height));
    this.offset = { x: -(box.left + width / 2) * this.scale, y: -(box.top + height / 2) * this.scale };
  };

  Graph.prototype.toScreen = function (node) {
    return { x: this.width / 2 + this.offset.x + node.x * this.scale, y: this.height / 2 + this.offset.y + node.y * this.scale };
  };

  Graph.prototype.draw = function () {
    var ctx = this.context, self = this, w = this.width, h = this.height, i;
    ctx.clearRect(0, 0, w, h);
    var shown = this.nodes.filter(this.visible, this);
    shown.forEach(function (node) { var p = self.toScreen(node); node.sx = p.x; node.sy = p.y; });
    function onScreen(node, pad) { return node.sx > -pad && node.sx < w + pad && node.sy > -pad && node.sy < h + pad; }
    ctx.strokeStyle = css("--border", "#ccc");
    ctx.lineWidth = 1;
    ctx.beginPath();
    var settled = this.steps >= this.stepsWanted || this.nodes.length <= 3000;  // a large graph's edges once it settles
    var drawn = 0;
    for (i = 0; settled && i < this.edges.length; i++) {
      var e = this.edges[i];
      if (!this.visible(e.a) || !this.visible(e.b) || (!onScreen(e.a, 0) && !onScreen(e.b, 0))) continue;
      ctx.moveTo(e.a.sx, e.a.sy); ctx.lineTo(e.b.sx, e.b.sy);
      drawn++;
    }
    ctx.globalAlpha = Math.max(0.08, Math.min(1, EDGES_OPAQUE / (drawn || 1)));  // many edges: fainter, nodes stay readable
    ctx.stroke();
    ctx.globalAlpha = 1;
    if (this.hover) {
      ctx.strokeStyle = css("--fg-soft", "#888");
      ctx.beginPath();
      var touching = 0;
      this.edges.forEach(function (e) {
        if ((e.a === self.hover || e.b === self.hover) && self.visible(e.a) && self.visible(e.b)) {
          ctx.moveTo(e.a.sx, e.a.sy); ctx.lineTo(e.b.sx, e.b.sy); touching++;
        }
      });
      ctx.globalAlpha = Math.max(0.15, Math.min(1, EDGES_OPAQUE / 10 / (touching || 1)));
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    var size = Math.max(0.8, Math.min(1.6, Math.sqrt(this.scale)));
    Object.keys(COLORS).forEach(function (type) {
      ctx.fillStyle = css(COLORS[type], "#888");
      ctx.beginPath();
      shown.forEach(function (node) {
        if (node.type !== type || !onScreen(node, 10)) return;
        var r = self.radius(node) * size * (node.id === self.focus ? 1.6 : 1);
        if (r < 2.5) { ctx.rect(node.sx - r, node.sy - r, 2 * r, 2 * r); return; }  // a dot: a square is as good and cheaper
        ctx.moveTo(node.sx + r, node.sy);
        ctx.arc(node.sx, node.sy, r, 0, Math.PI * 2);
      });
      ctx.fill();
    });
    if (this.isolated.length && this.connected.length && this.isolated.some(this.visible, this)) {
      var caption = this.toScreen({ x: this.bounds(this.connected).left, y: this.isolatedTop - SPACING * 1.2 });
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillStyle = css("--fg-soft", "#666");
      ctx.fillText("Not linked (" + this.isolated.length + ")", Math.max(4, caption.x - 6), caption.y);
    }
    this.drawLabels(shown.filter(function (node) { return onScreen(node, 0); }), size);
    this.keepSnapshot();
  };

  // While the reader drags or zooms, the last full drawing is moved and scaled as a picture (cheap
  // at any size); the full drawing follows once the movement pauses.
  Graph.prototype.keepSnapshot = function () {
    if (!this.snapshot) this.snapshot = document.createElement("canvas");
    this.snapshot.width = this.canvas.width;
    this.snapshot.height = this.canvas.height;
    this.snapshot.getContext("2d").drawImage(this.canvas, 0, 0);
    this.snapshotView = { scale: this.scale, x: this.offset.x, y: this.offset.y };
  };

  Graph.prototype.drawMoved = function () {
    var ctx = this.context, view = this.snapshotView, k = this.scale / view.scale;
    var left = this.width / 2 + this.offset.x - (this.width / 2 + view.x) * k;
    var top = this.height / 2 + this.offset.y - (this.height / 2 + view.y) * k;
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.drawImage(this.snapshot, left, top, this.width * k, this.height * k);
  };

  Graph.prototype.moved = function () {
    var self = this;
    this.moving = true;
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(function () { self.moving = false; self.redraw(); }, 160);
    this.redraw();
  };

  // Labels, most important first, each placed only where it overlaps no other label.
  Graph.prototype.drawLabels = function (candidates, size) {
    var ctx = this.context, self = this, placed = [], all = this.scale >= LABEL_ZOOM || candidates.length <= LABEL_ALL;
    var order = candidates.filter(function (node) { return all || node.hub || node.id === self.focus; });
    order.sort(function (a, b) { return (b.id === self.focus) - (a.id === self.focus) || b.degree - a.degree; });
    if (this.hover) order.unshift(this.hover);
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    var background = css("--bg", "#fff"), foreground = css("--fg", "#222");
    for (var i = 0; i < order.length && placed.length < 400; i++) {
      var node = order[i], text = node.title.length > 48 ? node.title.slice(0, 47) + "…" : node.title;
      if (node === this.hover && node.title.length <= 90) text = node.title;
      var width = ctx.measureText(text).width + 8, r = this.radius(node) * size;
      var left = node.sx + r + 3 + width > this.width ? node.sx - r - 3 - width : node.sx + r + 3;
      var box = { left: left, top: node.sy - 9, right: left + width, bottom: node.sy + 9 };
      var clash = placed.some(function (other) {
        return box.left < other.right && other.left < box.right && box.top < other.bottom && other.top < box.bottom;
      });
      if (clash && node !== this.hover) continue;
      placed.push(box);
      ctx.strokeStyle = background;
      ctx.lineWidth = 3;
      ctx.lineJoin = "round";
      ctx.strokeText(text, box.left + 4, node.sy);
      ctx.fillStyle = foreground;
      ctx.fillText(text, box.left + 4, node.sy);
    }
    this.labels = placed.length;
  };

  Graph.prototype.frame = function () {
    this.pending = false;
    if (this.steps === 0 && !this.worker) { this.split(); this.layout(); }
    if (!this.worker && this.steps < this.stepsWanted) {
      var started = performance.now();
      do {
        step(this.connected, this.layoutEdges, SPACING * 2 * (1 - this.steps / this.stepsWanted) + 1);
        this.steps++;
      } while (this.steps < this.stepsWanted && performance.now() - started < BUDGET_MS);
      this.placeIsolated();
      if (this.steps >= this.stepsWanted) this.canvas.dataset.settled = "true";
      this.redraw();
    }
    if (this.fitting) this.fit();
    if (this.moving && this.snapshot) this.drawMoved(); else this.draw();
  };

  Graph.prototype.split = function () {
    var shown = this.nodes.filter(this.visible, this);
    var linked = {}, self = this;
    this.edges.forEach(function (e) { if (self.visible(e.a) && self.visible(e.b)) { linked[e.a.id] = true; linked[e.b.id] = true; } });
    this.connected = shown.filter(function (n) { return linked[n.id]; });
    this.isolated = shown.filter(function (n) { return !linked[n.id]; });
    this.layoutEdges = this.edges.filter(function (e) { return self.visible(e.a) && self.visible(e.b); });
  };

  Graph.prototype.redraw = function () {
    if (this.pending) return;
    this.pending = true;
    var self = this;
    requestAnimationFrame(function () { self.frame(); });
  };

  Graph.prototype.nodeAt = function (x, y) {
    var best = null, bestDistance = 12 * 12, self = this;
    this.nodes.forEach(function (node) {
      if (!self.visible(node) || node.sx === undefined) return;
      var d = (node.sx - x) * (node.sx - x) + (node.sy - y) * (node.sy - y);
      if (d < bestDistance) { best = node; bestDistance = d; }
    });
    return best;
  };

  Graph.prototype.zoom = function (factor, x, y) {
    var scale = Math.max(0.02, Math.min(12, this.scale * factor)), applied = scale / this.scale;
    var cx = x - this.width / 2, cy = y - this.height / 2;
    this.offset = { x: cx - (cx - this.offset.x) * applied, y: cy - (cy - this.offset.y) * applied };
    this.scale = scale;
    this.fitting = false;
    this.moved();
  };

  Graph.prototype.bind = function () {
    var self = this, canvas = this.canvas, drag = null;
    function point(event) { var r = canvas.getBoundingClientRect(); return { x: event.clientX - r.left, y: event.clientY - r.top }; }
    canvas.addEventListener("mousedown", function (event) { drag = { start: point(event), offset: { x: self.offset.x, y: self.offset.y }, moved: false }; });
    window.addEventListener("mouseup", function () { setTimeout(function () { drag = null; }, 0); });
    canvas.addEventListener("mousemove", function (event) {
      var p = point(event);
      if (drag) {
        var dx = p.x - drag.start.x, dy = p.y - drag.start.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; self.fitting = false; }
        if (drag.moved) { self.offset = { x: drag.offset.x + dx, y: drag.offset.y + dy }; self.moved(); return; }
      }
      var hover = drag && drag.moved ? null : self.nodeAt(p.x, p.y);
      canvas.style.cursor = hover ? "pointer" : drag ? "grabbing" : "grab";
      if (hover !== self.hover || (drag && drag.moved)) { self.hover = hover; self.redraw(); }
    });
    canvas.addEventListener("mouseleave", function () { if (self.hover) { self.hover = null; self.redraw(); } });
    canvas.addEventListener("click", function (event) {
      if (drag && drag.moved) return;
      var p = point(event), node = self.nodeAt(p.x, p.y);
      if (node && node.url) window.location.href = node.url;
    });
    canvas.addEventListener("dblclick", function () { self.fitting = true; self.redraw(); });
    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = point(event);
      self.zoom(Math.pow(1.0015, -event.deltaY), p.x, p.y);
    }, { passive: false });
    window.addEventListener("resize", function () { self.resize(); self.redraw(); });
    document.querySelectorAll(".graph-filters input[data-type]").forEach(function (box) {
      self.hidden[box.dataset.type] = !box.checked;
      box.addEventListener("change", function () {
        self.hidden[box.dataset.type] = !box.checked;
        if (self.worker) { self.worker.terminate(); self.worker = null; }
        delete self.canvas.dataset.settled;
        self.steps = 0;
        self.fitting = true;
        self.redraw();
      });
    });
  };

  // A note page carries its neighbourhood inline; the graph page fetches the whole graph.
  document.querySelectorAll("canvas.graph-canvas").forEach(function (canvas) {
    var inline = canvas.parentNode.querySelector("script.graph-data");
    var data = inline ? Promise.resolve(JSON.parse(inline.textContent))
                      : fetch(canvas.dataset.graph).then(function (response) { return response.json(); });
    data.then(function (data) {
      var graph = new Graph(canvas, data);
      canvas.graph = graph;
      canvas.dataset.nodes = String(graph.nodes.length);
      if (canvas.dataset.focus && graph.nodes.length < 2) canvas.closest("section").hidden = true;
    }).catch(function () { canvas.hidden = true; });
  });
})();
