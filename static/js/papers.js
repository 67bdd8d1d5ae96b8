// Papers index: filter rows as you type; sort by clicking a column header.
(function () {
  var table = document.getElementById("paper-table");
  var filter = document.getElementById("paper-filter");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  if (filter) {
    filter.addEventListener("input", function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var text = row.dataset.search;
        row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
  }
  table.querySelectorAll("th button[data-sort]").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.dataset.sort;
      var descending = button.getAttribute("aria-sort") !== "descending";
      if (key === "title" && !button.hasAttribute("aria-sort")) descending = false;
      table.querySelectorAll("th button").forEach(function (b) { b.removeAttribute("aria-sort"); });
      button.setAttribute("aria-sort", descending ? "descending" : "ascending");
      rows.sort(function (a, b) {
        var x = a.dataset[key], y = b.dataset[key];
        var order = key === "title" ? x.localeCompare(y) : Number(x) - Number(y);
        if (order === 0) order = a.dataset.title.localeCompare(b.dataset.title);
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
