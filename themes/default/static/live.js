/* rulebook serve: added to pages only by the preview server (never written to the output). Reloads
   the page after a build that changed it; after a failed one shows the errors over the page, which
   stays the last good version; after a good one with warnings shows this page's own warnings in a
   banner and every warning of the site one click away.

   One reload channel for all the open pages of the preview: a SharedWorker (live-worker.js) holds
   it and passes each build to every page; where there is none, the pages elect one of them (Web
   Locks) to hold it and pass the builds to the others (BroadcastChannel); failing both, each page
   opens its own. The server tags each page with the publication it was served from and the
   server that served it, so a page that missed a build or outlived a restarted server reloads.
   Plain ES5. */
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var me = document.currentScript;
  var gen = me ? Number(me.getAttribute("data-generation")) || 0 : 0;
  var server = me ? me.getAttribute("data-server") : null;
  /* A build this page missed while the server was failing: reload at the next good one. */
  var owed = false;
  var t = {};
  var box = null;
  var banner = null;
  var corner = null;

  function text(s) { return document.createTextNode(s); }
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) { return values[k] === undefined ? m : values[k]; });
  }
  function remove(el) { if (el && el.parentNode) { el.parentNode.removeChild(el); } }
  function el(tag, css) {
    var e = document.createElement(tag);
    if (css) { e.style.cssText = css; }
    return e;
  }

  /* One diagnostic as a list item: where (file:line:column), what, and what to do. */
  function item(d, link) {
    var li = el("li", "margin:4px 0");
    var where = el("code", "color:inherit;background:transparent;font-size:inherit");
    where.appendChild(text(d.path + ":" + d.line + ":" + d.column));
    li.appendChild(where);
    li.appendChild(text(" " + d.message));
    if (d.help) {
      var help = el("div", "color:#444");
      help.appendChild(text((t.preview_help || "help") + (t.colon || ": ") + d.help));
      li.appendChild(help);
    }
    if (link && d.page && d.page !== here()) {
      var a = el("a", "color:#0b4f9e;text-decoration:underline");
      a.href = "/" + d.page.split("/").map(encodeURIComponent).join("/");
      a.appendChild(text(t.preview_open_page || d.page));
      var p = el("div");
      p.appendChild(a);
      li.appendChild(p);
    }
    return li;
  }

  function list(diags, link) {
    var ol = el("ol", "margin:6px 0;padding-left:1.6em");
    diags.forEach(function (d) { ol.appendChild(item(d, link)); });
    return ol;
  }

  /* The errors of a failed build, over the page. */
  function overlay(diags) {
    var errors = diags.filter(function (d) { return d.severity === "error"; });
    box = el("div", "position:fixed;left:0;right:0;bottom:0;max-height:60%;overflow:auto;z-index:99999;" +
      "background:#fff5f5;color:#222;border-top:3px solid #c62828;padding:12px 20px;font:14px/1.6 sans-serif;box-shadow:0 -2px 12px rgba(0,0,0,.2)");
    box.id = "rulebook-overlay";
    box.setAttribute("role", "alert");
    var close = el("button", "float:right");
    close.type = "button";
    close.appendChild(text(t.preview_close || "×"));
    close.onclick = function () { box.style.display = "none"; };
    box.appendChild(close);
    var h = el("strong");
    h.appendChild(text(t.preview_failed || "Build failed"));
    box.appendChild(h);
    box.appendChild(list(errors.length ? errors : diags, false));
    document.body.appendChild(box);
  }

  /* This page's own warnings: a banner at the top of the page. */
  function pageBanner(own) {
    banner = el("div", "margin:0;padding:8px 20px;background:#fff8e1;color:#222;border-bottom:2px solid #f9a825;" +
      "font:14px/1.6 sans-serif");
    banner.id = "rulebook-page-warnings";
    banner.setAttribute("role", "status");
    var h = el("strong");
    h.appendChild(text(fill(t.preview_page_warnings || "{n} warning(s) on this page", { n: own.length })));
    banner.appendChild(h);
    banner.appendChild(list(own, false));
    document.body.insertBefore(banner, document.body.firstChild);
  }

  /* Every warning of the site: a button in the corner that opens the list. */
  function siteList(all) {
    corner = el("div", "position:fixed;right:12px;bottom:12px;z-index:99998;font:14px/1.6 sans-serif;color:#222;text-align:right");
    corner.id = "rulebook-warnings";
    var panel = el("div", "display:none;max-height:60vh;max-width:min(40em,90vw);overflow:auto;background:#fff;" +
      "border:1px solid #bbb;border-radius:4px;padding:8px 14px;margin-bottom:6px;box-shadow:0 2px 12px rgba(0,0,0,.2);text-align:left");
    panel.id = "rulebook-warnings-list";
    var h = el("strong");
    h.appendChild(text(fill(t.preview_warnings || "{n} warning(s)", { n: all.length })));
    panel.appendChild(h);
    panel.appendChild(list(all, true));
    var button = el("button", "background:#fff8e1;color:#222;border:1px solid #f9a825;border-radius:4px;padding:4px 10px;cursor:pointer");
    button.type = "button";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", panel.id);
    button.appendChild(text(fill(t.preview_all_warnings || "{n} warning(s)", { n: all.length })));
    button.onclick = function () {
      var open = panel.style.display === "none";
      panel.style.display = open ? "block" : "none";
      button.setAttribute("aria-expanded", open ? "true" : "false");
    };
    corner.appendChild(panel);
    corner.appendChild(button);
    document.body.appendChild(corner);
  }

  function show(state) {
    remove(box); remove(banner); remove(corner);
    box = banner = corner = null;
    var diags = state.diagnostics || [];
    if (state.failed) { overlay(diags); return; }
    var warnings = diags.filter(function (d) { return d.severity !== "error"; });
    if (!warnings.length) { return; }
    var p = here();
    var own = warnings.filter(function (d) { return d.page === p; });
    if (own.length) { pageBanner(own); }
    siteList(warnings);
  }

  /* The file this page was served from, as the server names it (`regulations/x.html`). */
  function here() {
    var p = window.location.pathname;
    try { p = decodeURIComponent(p); } catch (e) { /* keep it as it is */ }
    p = p.replace(/^\/+/, "");
    if (p === "" || p.charAt(p.length - 1) === "/") { p += "index.html"; }
    return p;
  }

  /* Whether a build changed this page: `changed` lists the pages that differ (null: all of them,
     as when the theme's styles changed). A quick update of one edited page and the full build
     that follows it reload only the pages whose text they changed. */
  function mine(changed) {
    if (!changed) { return true; }
    var p = here();
    for (var i = 0; i < changed.length; i++) {
      if (changed[i] === p || changed[i] === p + "/index.html") { return true; }
    }
    return false;
  }

  var reloading = false;
  function reload() {
    if (!reloading) { reloading = true; window.location.reload(); }
  }

  function handle(data) {
    var state;
    try { state = JSON.parse(data); } catch (e) { return; }
    t = state.strings || {};
    /* The last publication this page heard of (tests wait for it). */
    document.documentElement.setAttribute("data-rulebook-live", String(state.generation));
    var restarted = server !== null && String(state.server) !== server;
    if (!restarted && state.generation < gen) { return; }
    if (!restarted && state.generation === gen) { show(state); return; }
    var missed = restarted || state.generation > gen + 1;
    gen = state.generation;
    if (!state.failed && (owed || missed || mine(state.changed))) { reload(); return; }
    /* A failed build that withdrew this page (its source became a draft or classified). */
    if (state.failed && state.changed && state.changed.length && mine(state.changed)) { reload(); return; }
    if (state.failed && missed) { owed = true; }
    show(state);
  }

  /* Each page's own channel: the last resort. */
  function direct(onData) {
    var events = new EventSource("/__rulebook/events");
    events.addEventListener("build", function (ev) { onData(ev.data); });
    events.onerror = function () {
      if (events.readyState === 2) { setTimeout(function () { direct(onData); }, 1000); }
    };
  }

  function connect() {
    if (window.SharedWorker) {
      try {
        var worker = new SharedWorker("/__rulebook/live-worker.js", { name: "rulebook-live" });
        worker.port.onmessage = function (m) { handle(m.data); };
        worker.port.start();
        window.addEventListener("pagehide", function () { worker.port.postMessage("bye"); });
        return;
      } catch (e) { /* no shared workers here: the next way */ }
    }
    if (navigator.locks && window.BroadcastChannel) {
      var channel = new BroadcastChannel("rulebook-live");
      var leading = false;
      var last = null;
      channel.onmessage = function (m) {
        if (m.data === "hello") {
          if (leading && last !== null) { channel.postMessage(last); }
          return;
        }
        handle(m.data);
      };
      /* The lock is held while this page lives: the next page in line takes over when it closes. */
      navigator.locks.request("rulebook-live", function () {
        leading = true;
        return new Promise(function () {
          direct(function (data) { last = data; channel.postMessage(data); handle(data); });
        });
      });
      channel.postMessage("hello");
      return;
    }
    direct(handle);
  }

  connect();
})();
