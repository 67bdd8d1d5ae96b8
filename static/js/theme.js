// Dark-mode toggle: remembers the reader's choice; without one, follows prefers-color-scheme.
(function () {
  var root = document.documentElement;
  var key = "papernotes-theme";
  function current() {
    if (root.dataset.theme) return root.dataset.theme;
    return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    button.setAttribute("aria-pressed", String(current() === "dark"));
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem(key, next); } catch (e) { /* private mode */ }
      button.setAttribute("aria-pressed", String(next === "dark"));
    });
  });
})();
