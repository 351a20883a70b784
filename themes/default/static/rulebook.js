/* rulebook: small progressive enhancements. Plain ES5 so old intranet browsers run it; the pages
   work without it. */
(function () {
  "use strict";
  function label(name, fallback) {
    var el = document.querySelector("meta[name='rulebook-" + name + "']");
    return (el && el.getAttribute("content")) || fallback;
  }

  function urlFor(anchor) {
    var base = window.location.href.split("#")[0];
    return base + "#" + anchor;
  }

  function fallbackCopy(text) {
    // navigator.clipboard needs a secure context; file:// and plain http intranets often are not.
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.top = "-1000px";
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(ta);
    return ok;
  }

  function showStatus(button, ok, text) {
    var old = button.parentNode.querySelector(".copy-status");
    if (old) { old.parentNode.removeChild(old); }
    var span = document.createElement("span");
    span.className = "copy-status";
    span.setAttribute("role", "status");
    if (ok) {
      span.appendChild(document.createTextNode(label("copied", "✓")));
      button.className += " copied";
    } else {
      // Could not copy: show the link selected so the reader can copy it by hand.
      span.appendChild(document.createTextNode(label("copy-failed", "") + " "));
      var input = document.createElement("input");
      input.value = text;
      input.setAttribute("readonly", "");
      span.appendChild(input);
      setTimeout(function () { input.select(); }, 0);
    }
    button.parentNode.insertBefore(span, button.nextSibling);
    button.setAttribute("data-copied", text);
    setTimeout(function () {
      button.className = button.className.replace(/\s*copied/g, "");
      if (ok && span.parentNode) { span.parentNode.removeChild(span); }
    }, 2500);
  }

  // A copy-link button after the number of every clause (`<section id=… class="clause …">` whose
  // head is `.clause-head`). Added here rather than written into the page: it works only with a
  // script, and written out it was a sixth of every page's bytes.
  function addCopyButtons() {
    var text = label("copy-link", "#");
    var heads = document.querySelectorAll("section.clause > .clause-head");
    for (var i = 0; i < heads.length; i++) {
      var anchor = heads[i].parentNode.id;
      if (!anchor) { continue; }
      var b = document.createElement("button");
      b.type = "button";
      b.className = "copy-link";
      b.setAttribute("data-anchor", anchor);
      b.setAttribute("aria-label", text);
      b.title = text;
      b.appendChild(document.createTextNode("#"));
      heads[i].appendChild(b);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addCopyButtons);
  } else {
    addCopyButtons();
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!t || !t.className || String(t.className).indexOf("copy-link") < 0) { return; }
    ev.preventDefault();
    var text = urlFor(t.getAttribute("data-anchor"));
    var anchor = t.getAttribute("data-anchor");
    if (window.history && window.history.replaceState) {
      try { window.history.replaceState(null, "", "#" + anchor); } catch (e) { /* file:// in some browsers */ }
    }
    // replaceState does not move :target, so mark the linked clause ourselves.
    var marked = document.querySelectorAll(".linked");
    for (var i = 0; i < marked.length; i++) { marked[i].className = marked[i].className.replace(/\s*linked/g, ""); }
    var clause = document.getElementById(anchor);
    if (clause) { clause.className += " linked"; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { showStatus(t, true, text); },
        function () { showStatus(t, fallbackCopy(text), text); });
    } else {
      showStatus(t, fallbackCopy(text), text);
    }
  });
})();
