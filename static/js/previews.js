// Hover previews of links to other notes and paper pages (as Quartz's popovers): the linked
// page is fetched from this site, its title, date and opening shown in a box that floats above
// the text (position: fixed, so nothing moves), scrolled to the linked heading or block.
// Keyboard: focusing a link shows its preview, Escape hides it. Sites turn it off with
// `hover_previews: false` in papernotes.yaml.
(function () {
  var SHOW_DELAY = 300, HIDE_DELAY = 200;
  var pages = {};  // URL without fragment -> Promise of a parsed document
  var box = null, current = null, showTimer = 0, hideTimer = 0;

  function previewable(link) {
    if (!link.href || link.target === "_blank" || link.hasAttribute("download")) return false;
    if (link.closest(".pn-popover, .site-header, .toc, .note-nav, .footnote-ref, .footnote-backref")) return false;
    var url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.pathname === location.pathname) return false;
    return /(\/|\.html)$/.test(url.pathname);  // a page (whether it is a note or a paper is seen once fetched)
  }

  function page(url) {
    var key = url.split("#")[0];
    if (!pages[key]) {
      pages[key] = fetch(key, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      }).then(function (text) {
        return new DOMParser().parseFromString(text, "text/html");
      });
      pages[key].catch(function () { delete pages[key]; });
    }
    return pages[key];
  }

  function ensureBox() {
    if (box) return box;
    box = document.createElement("div");
    box.className = "pn-popover";
    box.id = "pn-popover";
    box.setAttribute("role", "tooltip");
    box.hidden = true;
    box.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    box.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(box);
    return box;
  }

  function content(doc, hash) {
    var article = doc.querySelector("article.note, article.paper");
    if (!article) return null;  // only notes and papers are previewed
    var fragment = document.createDocumentFragment();
    var head = document.createElement("div");  // stays in view while the preview scrolls
    head.className = "pn-popover-head";
    var title = article.querySelector(".note-title, h1");
    if (title) {
      var heading = document.createElement("p");
      heading.className = "pn-popover-title";
      heading.appendChild(document.createElement("strong")).textContent = title.textContent;
      head.appendChild(heading);
    }
    var meta = Array.prototype.map.call(article.querySelectorAll(".authors, .note-meta time, .note-meta > span:not(.reading-time)"),
                                        function (node) { return node.textContent.trim(); }).filter(Boolean);
    if (meta.length) {
      var line = document.createElement("p");
      line.className = "pn-popover-meta";
      line.textContent = meta.join(" · ");
      head.appendChild(line);
    }
    fragment.appendChild(head);
    var body = article.querySelector(".note-body, .abstract, .discussions");
    if (!body) return null;
    var copy = document.importNode(body, true);
    copy.querySelectorAll("script, .local-graph, nav, form").forEach(function (node) { node.remove(); });
    var anchor = null;
    copy.querySelectorAll("[id]").forEach(function (node) {  // ids stay unique on this page
      if (hash && node.id === hash) anchor = node;
      node.setAttribute("data-preview-id", node.id);
      node.removeAttribute("id");
    });
    fragment.appendChild(copy);
    return { nodes: fragment, anchor: anchor };
  }

  function place(link) {
    var rect = link.getBoundingClientRect();
    var width = box.offsetWidth, height = box.offsetHeight;
    var left = Math.min(Math.max(8, rect.left), window.innerWidth - width - 8);
    var top = rect.bottom + 8;
    if (top + height > window.innerHeight - 8 && rect.top - height - 8 > 8) top = rect.top - height - 8;
    box.style.left = left + "px";
    box.style.top = Math.max(8, top) + "px";
  }

  function show(link) {
    var url = new URL(link.href, location.href);
    var hash = decodeURIComponent(url.hash.slice(1));
    page(url.href).then(function (doc) {
      if (current !== link) return;
      var found = content(doc, hash);
      if (!found) return;
      ensureBox();
      box.replaceChildren(found.nodes);
      box.hidden = false;
      box.scrollTop = 0;
      if (found.anchor) {
        var covered = box.querySelector(".pn-popover-head").getBoundingClientRect().bottom;
        box.scrollTop = found.anchor.getBoundingClientRect().top - covered - 4;
      }
      place(link);
      link.setAttribute("aria-describedby", "pn-popover");
    }).catch(function () { /* no preview for a page that cannot be fetched */ });
  }

  function hide() {
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    if (box) box.hidden = true;
  }

  function scheduleHide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY);
  }

  function enter(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || !previewable(link)) return;
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    if (current && current !== link) hide();
    current = link;
    showTimer = setTimeout(function () { show(link); }, event.type === "focusin" ? 0 : SHOW_DELAY);
  }

  function leave(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (link && link === current) scheduleHide();
  }

  document.addEventListener("mouseover", enter);
  document.addEventListener("mouseout", leave);
  document.addEventListener("focusin", enter);
  document.addEventListener("focusout", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && box && !box.hidden) hide();
  });
  window.addEventListener("scroll", function () { if (box && !box.hidden) hide(); }, { passive: true });
})();
