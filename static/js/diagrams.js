// Mermaid diagrams (```mermaid fences): drawn with the site's own copy of Mermaid
// (js/vendor/mermaid.min.js, loaded before this file only on pages that hold a diagram), in the
// light or dark theme the page shows, and drawn again when the reader switches theme.
(function () {
  var root = document.documentElement;
  var nodes = Array.prototype.slice.call(document.querySelectorAll("pre.mermaid"));
  if (!nodes.length || !window.mermaid) return;
  var scheme = window.matchMedia("(prefers-color-scheme: dark)");
  nodes.forEach(function (node) { node.dataset.source = node.textContent; });
  function dark() {
    return root.dataset.theme ? root.dataset.theme === "dark" : scheme.matches;
  }
  var drawn = null;
  function draw() {
    var theme = dark() ? "dark" : "default";
    if (theme === drawn) return;
    drawn = theme;
    nodes.forEach(function (node) {
      node.removeAttribute("data-processed");
      node.textContent = node.dataset.source;
    });
    window.mermaid.initialize({ startOnLoad: false, theme: theme, securityLevel: "strict" });
    window.mermaid.run({ nodes: nodes, suppressErrors: true });
  }
  draw();
  new MutationObserver(draw).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  if (scheme.addEventListener) scheme.addEventListener("change", draw);
})();
