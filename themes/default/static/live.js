/* rulebook serve: added to pages only by the preview server (never written to the output). Reloads
   the page after a good build that changed it; after a failed one shows the diagnostics over the
   page, which stays the last good version. Plain ES5. */
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var first = null;
  var box = null;

  function text(s) { return document.createTextNode(s); }
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) { return values[k] === undefined ? m : values[k]; });
  }

  function show(state) {
    if (box && box.parentNode) { box.parentNode.removeChild(box); }
    box = null;
    var diags = state.diagnostics || [];
    var errors = diags.filter(function (d) { return d.severity === "error"; });
    if (!state.failed) { return; }
    var t = state.strings || {};
    box = document.createElement("div");
    box.id = "rulebook-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60%;overflow:auto;z-index:99999;" +
      "background:#fff5f5;color:#222;border-top:3px solid #c62828;padding:12px 20px;font:14px/1.6 sans-serif;box-shadow:0 -2px 12px rgba(0,0,0,.2)";
    var close = document.createElement("button");
    close.type = "button";
    close.style.cssText = "float:right";
    close.appendChild(text(t.preview_close || "×"));
    close.onclick = function () { box.style.display = "none"; };
    box.appendChild(close);
    var h = document.createElement("strong");
    h.appendChild(text(t.preview_failed || "Build failed"));
    box.appendChild(h);
    var list = document.createElement("ol");
    (errors.length ? errors : diags).forEach(function (d) {
      var li = document.createElement("li");
      var where = document.createElement("code");
      where.appendChild(text(d.path + ":" + d.line + ":" + d.column));
      li.appendChild(where);
      li.appendChild(text(" " + d.message));
      if (d.help) {
        var help = document.createElement("div");
        help.style.color = "#555";
        help.appendChild(text((t.preview_help || "help") + (t.colon || ": ") + d.help));
        li.appendChild(help);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    document.body.appendChild(box);
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

  var events = new EventSource("/__rulebook/events");
  events.addEventListener("build", function (ev) {
    var state = JSON.parse(ev.data);
    if (first === null) {
      first = state.generation;
      show(state);
      return;
    }
    if (state.generation !== first && !state.failed && mine(state.changed)) {
      window.location.reload();
      return;
    }
    show(state);
  });
})();
