// The /search/ page: loads Pagefind's UI from the site's search bundle and runs the query
// from ?q= (the header's search box). A site built without search says so.
(function () {
  var box = document.getElementById("search");
  if (!box) return;
  var bundle = box.dataset.bundle;
  function missing() {
    box.insertAdjacentHTML("beforeend", "<p class=\"empty\">This site was built without a search index.</p>");
  }
  // A large site's index is in several bundles, listed beside the first one. Pagefind's UI
  // would load them one after another (two requests each, in turn); they are asked for here all
  // at once, from the one Pagefind module the UI then uses, so that on a slow link a search
  // waits for the slowest bundle rather than for the sum of them.
  function merged() {
    return fetch(bundle + "papernotes.json")
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (manifest) {
        var merge = Array.isArray(manifest.merge) ? manifest.merge : [];
        if (!merge.length) return;
        return import(new URL(bundle + "pagefind.js", document.baseURI).href).then(function (pagefind) {
          merge.forEach(function (path) { pagefind.mergeIndex(bundle + path); });
        });
      });
  }
  function start() {
    var ui = new PagefindUI({ element: "#search", bundlePath: bundle, showSubResults: true, showImages: false,
                              resetStyles: false, autofocus: true });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }
  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = bundle + "pagefind-ui.css";
  document.head.appendChild(style);
  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onerror = missing;
  var ready = merged();
  script.onload = function () { ready.catch(function () {}).then(start); };
  document.head.appendChild(script);
})();
