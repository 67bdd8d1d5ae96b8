// The /search/ page: Pagefind's UI, started with the query from ?q= (the header's search box).
(function () {
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") {
    if (box) box.insertAdjacentHTML("beforeend", "<p class=\"empty\">The search index is missing from this build.</p>");
    return;
  }
  var ui = new PagefindUI({ element: "#search", bundlePath: box.dataset.bundle, showSubResults: true, showImages: false,
                            resetStyles: false, autofocus: true });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
