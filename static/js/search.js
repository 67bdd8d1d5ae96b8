// The /search/ page: loads Pagefind's UI from the site's search bundle and runs the query
// from ?q= (the header's search box). A site built without search says so.
(function () {
  var box = document.getElementById("search");
  if (!box) return;
  var bundle = box.dataset.bundle;
  function missing() {
    box.insertAdjacentHTML("beforeend", "<p class=\"empty\">This site was built without a search index.</p>");
  }
  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = bundle + "pagefind-ui.css";
  document.head.appendChild(style);
  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onerror = missing;
  function start(merge) {
    var ui = new PagefindUI({ element: "#search", bundlePath: bundle, showSubResults: true, showImages: false,
                              resetStyles: false, autofocus: true,
                              mergeIndex: merge.map(function (path) { return { bundlePath: bundle + path }; }) });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }
  // A large site's index is in several bundles, listed beside the first one.
  script.onload = function () {
    fetch(bundle + "papernotes.json")
      .then(function (response) { return response.ok ? response.json() : {}; })
      .catch(function () { return {}; })
      .then(function (manifest) { start(Array.isArray(manifest.merge) ? manifest.merge : []); });
  };
  document.head.appendChild(script);
})();
