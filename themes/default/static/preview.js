/* rulebook: cited articles in place. Pointing at (hover), focusing or tapping a link to a clause or
   regulation of the handbook shows that clause's text; a glossary term shows its definition; a cited
   document the handbook does not hold says so. One mechanism for all four.

   The data comes from the build as classic scripts, preview/r/{id}.js and preview/terms.js, loaded
   with <script src> only when a reader points at a link: fetch() does not work from file://, and a
   page must not grow with the handbook. Plain ES5, like rulebook.js; without it links are links. */
(function () {
  "use strict";
  var meta = document.querySelector("meta[name='rulebook-preview']");
  var me = document.querySelector("script[src$='assets/preview.js']");
  if (!meta || !me || !document.addEventListener) { return; }
  var words = meta.getAttribute("content").split("|");
  var T = { label: words[0], open: words[1], source: words[2], absent: words[3], loading: words[4],
            missing: words[5], close: words[6], articles: words[7], undefinedTerm: words[8], openWhole: words[9],
            basis: words[10], glossary: words[11], titleOpen: words[12] || "", titleClose: words[13] || "",
            colon: words[14] || ": ", explainedTerm: words[15] || "" };
  // The site root as an absolute URL: the script's own address without assets/preview.js.
  var root = me.src.replace(/assets\/preview\.js(?:[?#].*)?$/, "");

  var data = {};      // "r/{id}" or "terms" → data, once loaded
  var waiting = {};   // key → [callbacks] while its script loads; key → false when it failed
  window.rbPreview = function (key, value) {
    data[key] = value;
    var cbs = waiting[key] || [];
    waiting[key] = null;
    for (var i = 0; i < cbs.length; i++) { cbs[i](); }
  };

  function load(key, file, done) {
    if (data[key]) { done(); return; }
    if (waiting[key] === false) { done(); return; }
    if (waiting[key]) { waiting[key].push(done); return; }
    waiting[key] = [done];
    var s = document.createElement("script");
    s.src = root + file;
    s.onerror = function () {
      var cbs = waiting[key] || [];
      waiting[key] = false;
      for (var i = 0; i < cbs.length; i++) { cbs[i](); }
    };
    document.head.appendChild(s);
  }

  // Links that never preview: the page's own furniture, and a clause's own number.
  var SKIP = ".site-nav, .site-header, .crumbs, .prev-next, .toc, .skip, .clause-num, .copy-link, #rb-preview";

  /* What a link previews: {kind: "clause", key, file, anchor} for a regulation of the handbook,
     {kind: "term", term} or {kind: "cite", name, article}; null for anything else. */
  function what(a) {
    if (!a || !a.getAttribute || a.closest && a.closest(SKIP)) { return null; }
    var term = a.getAttribute("data-term");
    if (term) { return { kind: "term", term: term }; }
    var ext = a.getAttribute("data-ext");
    if (ext) { return { kind: "cite", name: ext, article: a.getAttribute("data-art") }; }
    var href = a.href;
    if (!href || href.indexOf(root) !== 0) { return null; }
    var m = /^regulations\/([^\/?#]+)\.html(?:#(.*))?$/.exec(href.slice(root.length));
    if (!m) { return null; }
    var id;
    var anchor;
    try { id = decodeURIComponent(m[1]); anchor = m[2] ? decodeURIComponent(m[2]) : ""; } catch (e) { return null; }
    return { kind: "clause", key: "r/" + id, file: "preview/r/" + m[1] + ".js",
             anchor: anchor === "top" ? "" : anchor };
  }

  function previewable(a) { return what(a) !== null; }

  // ---- the panel ------------------------------------------------------------------------------
  var panel = document.createElement("div");
  panel.id = "rb-preview";
  panel.className = "preview";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "rb-preview-title");
  panel.hidden = true;
  var current = null;     // the link whose preview is shown
  var sheet = false;      // shown as a bottom sheet (phone, or opened by a tap)

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.appendChild(document.createTextNode(text)); }
    return e;
  }

  function paragraphs(body, text, cut) {
    var lines = text.split("\n");
    var box = el("div", "pv-text");
    for (var i = 0; i < lines.length; i++) {
      var last = i === lines.length - 1;
      box.appendChild(el("p", null, lines[i] + (last && cut ? "…" : "")));
    }
    body.appendChild(box);
  }

  function fill(a, w) {
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    // What a screen reader reads as the link's description: the title and the text, not the
    // preview's controls.
    var desc = el("div", "pv-desc");
    desc.id = "rb-preview-desc";
    panel.appendChild(desc);
    var head = el("p", "pv-head");
    var title = el("span", "pv-title");
    title.id = "rb-preview-title";
    head.appendChild(title);
    desc.appendChild(head);
    var closer = el("button", "pv-close", "×");
    closer.type = "button";
    closer.setAttribute("aria-label", T.close);
    closer.title = T.close;
    var more = null, also = null;
    if (w.kind === "cite") {
      title.appendChild(document.createTextNode(T.titleOpen + w.name + T.titleClose));
      desc.appendChild(el("p", "pv-absent", T.absent));
      if (w.article) { desc.appendChild(el("p", "pv-articles", T.articles + T.colon + w.article)); }
      // Where the link leads: the 依据文件 page's entry, or where the document can be read.
      more = T.basis;
    } else if (w.kind === "term") {
      var terms = data.terms || {};
      var t = terms[w.term];
      title.appendChild(document.createTextNode(w.term));
      if (!data.terms) {
        desc.appendChild(el("p", "pv-loading", waiting.terms === false ? T.missing : T.loading));
      } else {
        if (t && t[0]) { paragraphs(desc, t[0], false); }
        else if (t && t[2] && t[2].length) {
          // No definition in the text: the clauses that explain the term, in their own words.
          desc.appendChild(el("p", "pv-note", T.explainedTerm));
          for (var k = 0; k < t[2].length; k++) {
            desc.appendChild(el("p", "pv-source", t[2][k][0]));
            paragraphs(desc, t[2][k][1], false);
          }
        }
        else { desc.appendChild(el("p", "pv-note", T.undefinedTerm)); }
        if (t && t[1]) { desc.appendChild(el("p", "pv-source", t[1])); }
        more = T.source;
        also = [T.glossary, root + "glossary.html#term-" + encodeURIComponent(w.term)];
      }
    } else {
      var d = data[w.key];
      if (!d) {
        title.appendChild(document.createTextNode(a.textContent));
        desc.appendChild(el("p", "pv-loading", waiting[w.key] === false ? T.missing : T.loading));
      } else {
        var c = w.anchor ? d.clauses[w.anchor] : null;
        title.appendChild(document.createTextNode(T.titleOpen + d.title + T.titleClose + (c ? c[0] : "")));
        if (d.subtitle) { head.appendChild(el("span", "pv-subtitle", d.subtitle)); }
        // A version other than the one in force today (a citation keeps the version of its day).
        var version = a.getAttribute && a.getAttribute("data-version");
        if (version) { head.appendChild(el("span", "pv-version", version)); }
        if (d.status) { head.appendChild(el("span", "badge pv-status", d.status)); }
        var text = c ? c.slice(1) : d.lead;
        if (text && text[0]) { paragraphs(desc, text[0], text[1] === 1); }
        // "Read the rest" only where the text was cut; else "open it where it stands".
        more = text && text[1] === 1 ? T.open : T.openWhole;
      }
    }
    if (more) {
      var p = el("p", "pv-more");
      var link = el("a", null, more);
      link.href = a.href;
      p.appendChild(link);
      if (also) {
        var second = el("a", null, also[0]);
        second.href = also[1];
        p.appendChild(document.createTextNode(" · "));
        p.appendChild(second);
      }
      panel.appendChild(p);
    }
    panel.insertBefore(closer, panel.firstChild);
  }

  function place() {
    if (!current || panel.hidden) { return; }
    var r = current.getBoundingClientRect();
    var vw = document.documentElement.clientWidth, vh = window.innerHeight;
    if (sheet) {
      panel.className = "preview sheet";
      panel.style.left = panel.style.top = panel.style.width = panel.style.maxHeight = "";
      // The sheet covers the bottom of the screen: scroll the link above it, never under it.
      var top = vh - panel.offsetHeight;
      if (r.bottom > top - 8 || r.top < 0) {
        window.scrollBy(0, r.bottom - top + 16 + Math.max(0, (top - (r.bottom - r.top)) / 3));
      }
      return;
    }
    panel.className = "preview";
    var w = Math.min(448, vw - 16);
    panel.style.width = w + "px";
    var left = Math.max(8, Math.min(r.left, vw - w - 8));
    panel.style.left = left + "px";
    // Below the link if it fits, else above; if neither, on the roomier side, shortened to fit
    // (it scrolls inside), so that no part of it is off the screen.
    panel.style.maxHeight = "";
    var h = panel.offsetHeight;
    var room = { below: vh - r.bottom - 14, above: r.top - 14 };
    var side = h <= room.below ? "below" : h <= room.above ? "above"
      : room.below >= room.above ? "below" : "above";
    if (h > room[side]) { h = Math.max(room[side], 80); panel.style.maxHeight = h + "px"; }
    panel.style.top = (side === "below" ? r.bottom + 6 : r.top - 6 - h) + "px";
  }

  function show(a, asSheet) {
    var w = what(a);
    if (!w) { return; }
    if (current && current !== a) { hide(false); }
    current = a;
    sheet = asSheet || document.documentElement.clientWidth <= 760;
    // Right after the link, so that Tab goes from the link into its preview and on.
    if (panel.parentNode !== a.parentNode || panel.previousSibling !== a) {
      a.parentNode.insertBefore(panel, a.nextSibling);
    }
    a.setAttribute("aria-expanded", "true");
    a.setAttribute("aria-controls", panel.id);
    a.setAttribute("aria-describedby", "rb-preview-desc");
    fill(a, w);
    panel.hidden = false;
    place();
    var key = w.kind === "term" ? "terms" : w.kind === "clause" ? w.key : null;
    if (key && !data[key]) {
      load(key, key === "terms" ? "preview/terms.js" : w.file, function () {
        if (current === a) { fill(a, w); place(); }
      });
    }
  }

  function hide(refocus) {
    if (!current) { return; }
    var a = current;
    var inside = panel.contains(document.activeElement);
    current = null;
    panel.hidden = true;
    a.setAttribute("aria-expanded", "false");
    a.removeAttribute("aria-describedby");
    // Back to the link, without opening its preview again (a focused link gets no focusin).
    if ((refocus || inside) && document.activeElement !== a) { suppress = a; a.focus(); }
  }

  // ---- when -----------------------------------------------------------------------------------
  var hoverTimer = null, leaveTimer = null, lastTouch = 0, suppress = null;

  function linkOf(node) {
    while (node && node !== document) {
      if (node.tagName === "A" && node.getAttribute("href") !== null) { return node; }
      node = node.parentNode;
    }
    return null;
  }

  document.addEventListener("touchstart", function () { lastTouch = Date.now(); }, true);
  document.addEventListener("pointerdown", function (ev) {
    if (ev.pointerType === "touch" || ev.pointerType === "pen") { lastTouch = Date.now(); }
  }, true);
  function touching() { return Date.now() - lastTouch < 1000; }

  // Keyboard focus opens; a tap's focus does not (the tap itself decides, below).
  document.addEventListener("focusin", function (ev) {
    var a = linkOf(ev.target);
    if (panel.contains(ev.target)) { clearTimeout(leaveTimer); return; }
    if (a && a === suppress) { suppress = null; return; }
    suppress = null;
    if (a && previewable(a) && !touching()) { show(a, false); return; }
    if (current && a !== current) { hide(false); }
  });
  document.addEventListener("focusout", function (ev) {
    if (!current) { return; }
    var to = ev.relatedTarget;
    if (to && (to === current || panel.contains(to))) { return; }
    // Focus left the link and its preview (and not for a click inside them: mousedown keeps it).
    if (to) { hide(false); }
  });

  // A tap on a link shows its preview as a sheet; a second tap on the same link follows it.
  document.addEventListener("click", function (ev) {
    var a = linkOf(ev.target);
    if (ev.target && ev.target.className === "pv-close") { hide(true); return; }
    if (panel.contains(ev.target)) { return; }
    if (a && previewable(a) && touching()) {
      if (current === a && !panel.hidden) { return; }
      ev.preventDefault();
      show(a, true);
      return;
    }
    // A click (mouse, keyboard Enter) follows the link: its preview is done with.
    if (current) { hide(false); }
  });

  // Pointing with a mouse: open after a moment, close a moment after leaving link and preview.
  document.addEventListener("mouseover", function (ev) {
    if (touching()) { return; }
    var a = linkOf(ev.target);
    if (panel.contains(ev.target) || (a && a === current)) { clearTimeout(leaveTimer); return; }
    clearTimeout(hoverTimer);
    if (a && previewable(a)) {
      hoverTimer = setTimeout(function () { show(a, false); }, 350);
    }
  });
  document.addEventListener("mouseout", function (ev) {
    clearTimeout(hoverTimer);
    if (!current || touching()) { return; }
    var to = ev.relatedTarget;
    if (to && (to === current || current.contains(to) || panel.contains(to))) { return; }
    // A preview opened by the keyboard stays while the link has focus.
    if (document.activeElement === current || panel.contains(document.activeElement)) { return; }
    clearTimeout(leaveTimer);
    leaveTimer = setTimeout(function () { hide(false); }, 300);
  });

  document.addEventListener("keydown", function (ev) {
    if ((ev.key === "Escape" || ev.key === "Esc") && current) {
      hide(true);
    }
  });
  window.addEventListener("scroll", function () { if (!sheet) { place(); } }, true);
  window.addEventListener("resize", function () { place(); });
  // Printing reads references as text: no preview on paper.
  window.addEventListener("beforeprint", function () { hide(false); });
})();
