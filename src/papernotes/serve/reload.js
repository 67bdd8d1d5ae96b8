// Live reload for `papernotes serve` (injected into served pages only, never into builds).
(function () {
  "use strict";
  var script = document.currentScript;
  var page = script.dataset.page;
  var scrollKey = "papernotes-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var restore = function () { window.scrollTo(0, Number(saved)); };
    restore();
    window.addEventListener("load", restore);
  }

  function overlay(errors) {
    var box = document.getElementById("papernotes-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "papernotes-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#1d1f23;color:#f5f5f5;font:14px/1.5 ui-monospace,monospace;padding:16px 20px;" +
        "border-top:4px solid #e5484d;box-shadow:0 -8px 24px rgba(0,0,0,.3)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "Build failed — the last good version is shown. Fix the file and save.";
    box.appendChild(title);
    errors.forEach(function (error) {
      var item = document.createElement("div");
      item.className = "papernotes-error";
      item.style.marginTop = "12px";
      var where = document.createElement("div");
      where.style.color = "#ff8f8f";
      where.textContent = error.where + ": error: " + error.message;
      item.appendChild(where);
      if (error.line) {
        var source = document.createElement("pre");
        source.style.cssText = "margin:4px 0 0;padding:6px 10px;background:#2a2d33;white-space:pre-wrap";
        source.textContent = error.line;
        item.appendChild(source);
      }
      box.appendChild(item);
    });
  }

  function swapStylesheets() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("papernotes", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.toString();
      fresh.onload = function () { link.remove(); };
      link.after(fresh);
    });
  }

  function connect() {
    // the server renders the pages open somewhere first, so it is told which one this is
    var source = new EventSource(script.dataset.events + "?page=" + encodeURIComponent(location.pathname));
    source.onmessage = function (event) {
      var change = JSON.parse(event.data);
      overlay(change.errors);
      if (change.errors.length) return;
      if (change.css) { swapStylesheets(); return; }
      if (change.pages.indexOf(page) !== -1) {
        sessionStorage.setItem(scrollKey, String(window.scrollY));
        location.reload();
      }
    };
  }
  connect();
})();
