// Live reload for `papernotes serve` (injected into served pages only, never into builds): a
// changed page is fetched and its changed parts swapped in place, or reloaded when they cannot be.
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

  // What runs or styles the page as it loads: any change there needs a reload.
  var LOADED = 'link[rel="stylesheet"], style, script:not([type]), script[type="module"], script[type="text/javascript"]';
  // What scripts set up as the page loads: a change inside one of these in the body needs a reload.
  var SET_UP = "script, canvas, iframe, object, embed, pre.mermaid, [data-copy]";

  // The page as served (before deferred scripts change it), to compare the next version with.
  function pristine(root) {
    root.querySelectorAll("script[data-events]").forEach(function (node) { node.remove(); });
    var body = root.querySelector("body"), last;
    while ((last = body.lastChild) && last.nodeType === 3 && !last.data.trim()) last.remove();  // parsed after this script
    return root;
  }
  var served = pristine(document.documentElement.cloneNode(true));

  function sameAttributes(a, b) {
    if (a.attributes.length !== b.attributes.length) return false;
    for (var i = 0; i < a.attributes.length; i++) {
      if (b.getAttribute(a.attributes[i].name) !== a.attributes[i].value) return false;
    }
    return true;
  }

  function holds(node, selector) {
    return node.nodeType === 1 && (node.matches(selector) || node.querySelector(selector) !== null);
  }

  // Into `found`, the nodes of `old` that `fresh` replaces, by their path of child indexes below
  // `path`, descending into elements whose tag, attributes and number of children stayed; false
  // when a replaced node holds something matching `unsafe`.
  function differences(old, fresh, path, unsafe, found) {
    var a = old.childNodes, b = fresh.childNodes;
    for (var i = 0; i < a.length; i++) {
      if (a[i].isEqualNode(b[i])) continue;
      var at = path.concat([i]);
      if (a[i].nodeType === 1 && a[i].nodeName === b[i].nodeName && sameAttributes(a[i], b[i]) &&
          a[i].childNodes.length === b[i].childNodes.length && !a[i].matches(unsafe)) {
        if (!differences(a[i], b[i], at, unsafe, found)) return false;
      } else if (holds(a[i], unsafe) || holds(b[i], unsafe)) {
        return false;
      } else {
        found.push({ path: at, old: a[i], fresh: b[i] });
      }
    }
    return true;
  }

  function loaded(root) {
    return Array.prototype.map.call(root.querySelectorAll(LOADED), function (node) { return node.outerHTML; }).join("\n");
  }

  // Put the new version of the page in place, keeping scroll position, listeners and every node
  // that did not change; false when only a reload can show it (what loads with the page changed,
  // a changed part is one that scripts set up, or scripts changed a part to replace).
  function swap(html) {
    var fresh = pristine(new DOMParser().parseFromString(html, "text/html").documentElement);
    var parts = [["head", LOADED], ["body", SET_UP]];
    var found = [];
    if (loaded(fresh) !== loaded(served) || fresh.getAttribute("lang") !== served.getAttribute("lang")) return false;
    for (var p = 0; p < parts.length; p++) {
      var old = served.querySelector(parts[p][0]), now = fresh.querySelector(parts[p][0]);
      if (old.childNodes.length !== now.childNodes.length || !sameAttributes(old, now)) return false;
      var here = [];
      if (!differences(old, now, [], parts[p][1], here)) return false;
      here.forEach(function (item) { item.root = document[parts[p][0]]; });
      found = found.concat(here);
    }
    var live = found.map(function (item) {
      return item.path.reduce(function (node, index) { return node && node.childNodes[index]; }, item.root);
    });
    if (live.some(function (node, i) { return !node || !node.isEqualNode(found[i].old); })) return false;
    live.forEach(function (node, i) { node.replaceWith(document.importNode(found[i].fresh, true)); });
    served = fresh;
    return true;
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  var latest = null;
  function refresh() {  // the last version asked for wins when saves come faster than pages load
    var request = latest = fetch(location.href, { cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    });
    request.then(function (html) {
      if (request === latest && !swap(html)) reload();
    }).catch(function () { if (request === latest) reload(); });
  }

  function connect() {
    // the server renders the pages open somewhere first, so it is told which one this is
    var source = new EventSource(script.dataset.events + "?page=" + encodeURIComponent(location.pathname));
    source.onmessage = function (event) {
      var change = JSON.parse(event.data);
      overlay(change.errors);
      if (change.errors.length) return;
      if (change.css) { swapStylesheets(); return; }
      if (change.pages.indexOf(page) !== -1) refresh();
    };
  }
  connect();
})();
