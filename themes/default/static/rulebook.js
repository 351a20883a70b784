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
    // Headings that open no clause (an English page's `## Billing`) carry their own id.
    var heads = document.querySelectorAll("section.clause > .clause-head, .heading[id]");
    for (var i = 0; i < heads.length; i++) {
      var anchor = heads[i].id || heads[i].parentNode.id;
      if (!anchor) { continue; }
      var b = document.createElement("button");
      b.type = "button";
      b.className = "copy-link";
      b.setAttribute("data-anchor", anchor);
      b.setAttribute("aria-label", text);
      b.title = text;
      b.appendChild(document.createTextNode("#"));
      glue(heads[i], b);
    }
  }

  // Put the control after the head's text so that it never stands alone on a line (a phone's
  // narrow column wrapped it under the text): the text's last character and the control go into
  // one unbreakable span. A head ending in markup (a link) gets the control as it is.
  function glue(head, button) {
    var last = head.lastChild;
    if (!last || last.nodeType !== 3 || !/\S$/.test(last.data)) {
      head.appendChild(button);
      return;
    }
    var data = last.data;
    var cut = data.length - 1;
    // A character outside the BMP is two code units: keep them together.
    if (cut > 0 && /[\uDC00-\uDFFF]/.test(data.charAt(cut))) { cut--; }
    last.data = data.slice(0, cut);
    var span = document.createElement("span");
    span.className = "copy-glue";
    span.appendChild(document.createTextNode(data.slice(cut)));
    span.appendChild(button);
    head.appendChild(span);
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

/* Reading aids (issue 13): the phone's 目录 / 分类 buttons, the current section in the page's
   contents, and one tab stop and a clean heading name per clause. Separate from the code above so
   that each part can change on its own; all of it optional, the page reads without it. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }
  function hasClass(el, name) { return (" " + el.className + " ").indexOf(" " + name + " ") >= 0; }
  function setClass(el, name, on) {
    var has = hasClass(el, name);
    if (on && !has) { el.className += " " + name; }
    if (!on && has) { el.className = (" " + el.className + " ").replace(" " + name + " ", " ").replace(/^\s+|\s+$/g, ""); }
  }

  // Disclosure buttons: each shows or hides the panel it controls (on a phone; the CSS keeps the
  // panels open on wider screens whatever the buttons say). Opening one closes the other.
  function navToggles() {
    var buttons = document.querySelectorAll(".nav-toggle[aria-controls]");
    if (!buttons.length) { return; }
    setClass(document.body, "js-nav", true);
    function panel(b) { return document.getElementById(b.getAttribute("aria-controls")); }
    function set(b, open) {
      var p = panel(b);
      if (!p) { return; }
      b.setAttribute("aria-expanded", open ? "true" : "false");
      setClass(p, "open", open);
    }
    for (var i = 0; i < buttons.length; i++) {
      if (!panel(buttons[i])) { continue; }
      buttons[i].removeAttribute("hidden");
      buttons[i].addEventListener("click", function (ev) {
        var b = ev.currentTarget;
        var open = b.getAttribute("aria-expanded") !== "true";
        for (var j = 0; j < buttons.length; j++) { set(buttons[j], false); }
        set(b, open);
      });
    }
    // Following an entry of the contents closes it, so the reader sees where it led.
    var toc = document.getElementById("page-toc");
    if (toc) {
      toc.addEventListener("click", function (ev) {
        if (ev.target && ev.target.tagName === "A") {
          for (var j = 0; j < buttons.length; j++) { set(buttons[j], false); }
        }
      });
    }
  }

  // The section scrolled to is marked in the contents: the last listed section whose top has
  // reached the top of the window (clauses are short: a lower line would mark one further down
  // than the one being read). IntersectionObserver and scrolling say when to look again.
  function tocHighlight() {
    var links = document.querySelectorAll(".page-toc a[href^='#']");
    if (!links.length || !window.IntersectionObserver) { return; }
    var targets = [];
    for (var i = 0; i < links.length; i++) {
      var t = document.getElementById(decodeURIComponent(links[i].getAttribute("href").slice(1)));
      if (t) { targets.push({ el: t, link: links[i] }); }
    }
    if (!targets.length) { return; }
    var current = null;
    function update() {
      var line = 64;
      var found = targets[0];
      for (var i = 0; i < targets.length; i++) {
        if (targets[i].el.getBoundingClientRect().top <= line) { found = targets[i]; }
      }
      // At the very end the last sections may never reach the line: the last visible one wins.
      if (window.innerHeight + window.pageYOffset >= document.documentElement.scrollHeight - 2) {
        for (var k = targets.length - 1; k >= 0; k--) {
          if (targets[k].el.getBoundingClientRect().top < window.innerHeight) { found = targets[k]; break; }
        }
      }
      if (found === current) { return; }
      if (current) { setClass(current.link, "current", false); current.link.removeAttribute("aria-current"); }
      current = found;
      setClass(found.link, "current", true);
      found.link.setAttribute("aria-current", "location");
      // On a long law's folded contents, the part being read is unfolded.
      for (var p = found.link.parentNode; p && p !== document; p = p.parentNode) {
        if (p.tagName === "DETAILS" && !p.open) { p.open = true; }
      }
    }
    var pending = false;
    function later() {
      if (pending) { return; }
      pending = true;
      var run = function () { pending = false; update(); };
      if (window.requestAnimationFrame) { window.requestAnimationFrame(run); } else { setTimeout(run, 50); }
    }
    var io = new IntersectionObserver(later, { rootMargin: "0px 0px -85% 0px", threshold: [0, 1] });
    for (var j = 0; j < targets.length; j++) { io.observe(targets[j].el); }
    window.addEventListener("scroll", later, { passive: true });
    window.addEventListener("hashchange", later);
    update();
  }

  // One tab stop per clause: the copy control (added by the script above) does what the number
  // link does and more, so the number leaves the tab order. A heading's accessible name is its
  // number and title, not the copy control's label inside it.
  function clauseHeads() {
    var heads = document.querySelectorAll("section.clause > .clause-head");
    for (var i = 0; i < heads.length; i++) {
      var head = heads[i];
      var num = head.querySelector("a.clause-num");
      if (num) { num.setAttribute("tabindex", "-1"); }
      if (/^H[1-6]$/.test(head.tagName)) {
        var text = "";
        for (var c = head.firstChild; c; c = c.nextSibling) {
          if (c.nodeType === 1 && (c.tagName === "BUTTON" || hasClass(c, "copy-status"))) { continue; }
          // The glued last character, without the control and its status beside it.
          if (c.nodeType === 1 && hasClass(c, "copy-glue")) { text += c.firstChild.textContent; continue; }
          text += c.textContent;
        }
        head.setAttribute("aria-label", text.replace(/\s+/g, " ").replace(/^\s+|\s+$/g, ""));
      }
    }
  }

  ready(function () {
    navToggles();
    tocHighlight();
    clauseHeads();
  });
})();
