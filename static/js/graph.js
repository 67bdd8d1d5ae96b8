// Force-directed view of /graph.json on a <canvas class="graph-canvas" data-graph="…">, or of the
// JSON in a <script class="graph-data"> beside it (a note page's neighbourhood, data-focus="note:<slug>").
// Drag the background to pan, scroll to zoom, hover for a label, click to open.
(function () {
  "use strict";
  var COLORS = { note: "--accent", paper: "--paper", tag: "--tag", author: "--author", venue: "--venue" };

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
    this.hover = null;
    var byId = {};
    this.nodes = data.nodes.map(function (n, i) {
      var angle = i * 2.399963, radius = 12 * Math.sqrt(i + 1);
      var node = { id: n.id, type: n.type, title: n.title, url: n.url, x: Math.cos(angle) * radius,
                   y: Math.sin(angle) * radius, vx: 0, vy: 0, degree: 0 };
      byId[n.id] = node;
      return node;
    });
    this.edges = [];
    var self = this;
    data.edges.forEach(function (e) {
      var a = byId[e.source], b = byId[e.target];
      if (a && b) { self.edges.push({ a: a, b: b }); a.degree++; b.degree++; }
    });
    this.steps = 0;
    this.resize();
    this.bind();
    this.tick();
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

  Graph.prototype.simulate = function () {
    var nodes = this.nodes.filter(this.visible, this), n = nodes.length;
    var repulsion = 1400, spring = 0.02, length = 70, gravity = 0.008;
    for (var i = 0; i < n; i++) {
      var a = nodes[i];
      for (var j = i + 1; j < n; j++) {
        var b = nodes[j], dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01;
        if (d2 > 250000) continue;
        var f = repulsion / d2, d = Math.sqrt(d2);
        a.vx += f * dx / d; a.vy += f * dy / d; b.vx -= f * dx / d; b.vy -= f * dy / d;
      }
    }
    var self = this;
    this.edges.forEach(function (e) {
      if (!self.visible(e.a) || !self.visible(e.b)) return;
      var dx = e.b.x - e.a.x, dy = e.b.y - e.a.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
      var f = spring * (d - length);
      e.a.vx += f * dx / d; e.a.vy += f * dy / d; e.b.vx -= f * dx / d; e.b.vy -= f * dy / d;
    });
    nodes.forEach(function (node) {
      node.vx -= node.x * gravity; node.vy -= node.y * gravity;
      node.vx *= 0.6; node.vy *= 0.6;
      node.x += Math.max(-20, Math.min(20, node.vx));
      node.y += Math.max(-20, Math.min(20, node.vy));
    });
  };

  Graph.prototype.toScreen = function (node) {
    return { x: this.width / 2 + this.offset.x + node.x * this.scale, y: this.height / 2 + this.offset.y + node.y * this.scale };
  };

  Graph.prototype.radius = function (node) {
    return (node.type === "note" ? 4 : 3) + Math.min(6, Math.sqrt(node.degree));
  };

  Graph.prototype.draw = function () {
    var ctx = this.context, self = this;
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.strokeStyle = css("--border", "#ccc");
    ctx.lineWidth = 1;
    this.edges.forEach(function (e) {
      if (!self.visible(e.a) || !self.visible(e.b)) return;
      var p = self.toScreen(e.a), q = self.toScreen(e.b);
      ctx.beginPath(); ctx.moveTo(p.x, p.y); ctx.lineTo(q.x, q.y); ctx.stroke();
    });
    this.nodes.forEach(function (node) {
      if (!self.visible(node)) return;
      var p = self.toScreen(node);
      ctx.beginPath();
      ctx.fillStyle = css(COLORS[node.type], "#888");
      ctx.arc(p.x, p.y, self.radius(node) * (node.id === self.focus ? 1.6 : 1), 0, Math.PI * 2);
      ctx.fill();
    });
    var label = this.hover || (this.focus && this.nodes.filter(function (n) { return n.id === self.focus; })[0]);
    if (label) {
      var p = this.toScreen(label);
      ctx.font = "13px system-ui, sans-serif";
      var text = label.title.length > 70 ? label.title.slice(0, 69) + "…" : label.title;
      var width = ctx.measureText(text).width;
      var left = p.x + width + 24 > this.width ? Math.max(2, p.x - width - 18) : p.x + 8;
      ctx.fillStyle = css("--bg", "#fff");
      ctx.fillRect(left, p.y - 22, width + 10, 20);
      ctx.fillStyle = css("--fg", "#222");
      ctx.fillText(text, left + 5, p.y - 8);
    }
  };

  Graph.prototype.tick = function () {
    var self = this;
    if (this.steps < 400) { this.simulate(); this.steps++; }
    this.draw();
    if (this.steps < 400 || this.dirty) { this.dirty = false; requestAnimationFrame(function () { self.tick(); }); }
  };

  Graph.prototype.redraw = function () {
    if (this.steps >= 400 && !this.dirty) { this.dirty = true; var self = this; requestAnimationFrame(function () { self.tick(); }); }
  };

  Graph.prototype.nodeAt = function (x, y) {
    var best = null, bestDistance = 12 * 12, self = this;
    this.nodes.forEach(function (node) {
      if (!self.visible(node)) return;
      var p = self.toScreen(node), d = (p.x - x) * (p.x - x) + (p.y - y) * (p.y - y);
      if (d < bestDistance) { best = node; bestDistance = d; }
    });
    return best;
  };

  Graph.prototype.bind = function () {
    var self = this, canvas = this.canvas, drag = null;
    function point(event) { var r = canvas.getBoundingClientRect(); return { x: event.clientX - r.left, y: event.clientY - r.top }; }
    canvas.addEventListener("mousedown", function (event) { drag = { start: point(event), offset: { x: self.offset.x, y: self.offset.y }, moved: false }; });
    window.addEventListener("mouseup", function () { drag = null; });
    canvas.addEventListener("mousemove", function (event) {
      var p = point(event);
      if (drag) {
        var dx = p.x - drag.start.x, dy = p.y - drag.start.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
        self.offset = { x: drag.offset.x + dx, y: drag.offset.y + dy };
      }
      self.hover = self.nodeAt(p.x, p.y);
      canvas.style.cursor = self.hover ? "pointer" : drag ? "grabbing" : "grab";
      self.redraw();
    });
    canvas.addEventListener("click", function (event) {
      if (drag && drag.moved) return;
      var p = point(event), node = self.nodeAt(p.x, p.y);
      if (node && node.url) window.location.href = node.url;
    });
    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      var factor = event.deltaY < 0 ? 1.15 : 1 / 1.15;
      self.scale = Math.max(0.2, Math.min(6, self.scale * factor));
      self.redraw();
    }, { passive: false });
    window.addEventListener("resize", function () { self.resize(); self.redraw(); });
    document.querySelectorAll(".graph-filters input[data-type]").forEach(function (box) {
      self.hidden[box.dataset.type] = !box.checked;
      box.addEventListener("change", function () { self.hidden[box.dataset.type] = !box.checked; self.steps = Math.min(self.steps, 300); self.redraw(); self.tick(); });
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
