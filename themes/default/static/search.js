/* rulebook search: the header's search box and the search.html results page. Plain JavaScript
   (ES2017), no framework, no network beyond this site's own files: the index under search/ is a set
   of classic scripts, so it loads from a web server and from file:// alike.
   The query algorithm is the one in src/search/query.rs, step for step (a test compares them). */
(function () {
  "use strict";
  var form = document.querySelector("form.site-search");
  if (!form) { return; }
  var root = form.getAttribute("data-root") || "";
  var input = form.querySelector("input[type=search]");
  var popup = form.querySelector(".search-popup");
  var str = function (k) { return form.getAttribute("data-" + k) || ""; };

  var WINDOW_REGS = 256, WANT_TYPING = 20, WANT_PAGE = 200, SHOWN = 8, TITLE = "^";
  var KIND_TITLE = 0, KIND_CLAUSE = 1, KIND_STEP = 2, KIND_ROW = 3, KIND_TERM = 4;

  /* ---- Loading index files: each registers itself through window.rbSearch. ---- */
  var files = {}, waiting = {};
  var stats = { files: 0, names: [] };
  window.rbSearch = function (name, data) {
    files[name] = Promise.resolve(data);
    if (waiting[name]) { waiting[name](data); delete waiting[name]; }
  };
  function load(name) {
    if (files[name]) { return files[name]; }
    files[name] = new Promise(function (resolve) {
      waiting[name] = resolve;
      var s = document.createElement("script");
      s.src = root + "search/" + name + ".js";
      var done = function () {
        if (s.parentNode) { s.parentNode.removeChild(s); }
        if (waiting[name]) { delete waiting[name]; resolve(null); }
      };
      s.onload = done;
      s.onerror = done;
      stats.files++;
      stats.names.push(name);
      document.head.appendChild(s);
    });
    return files[name];
  }

  /* ---- Folding: the table is generated from the Rust code (src/search/fold.rs) at build time. ---- */
  var table = null;
  function buildTable(runs) {
    table = new Int32Array(65536);
    for (var i = 0; i < 65536; i++) { table[i] = i; }
    runs.forEach(function (r) {
      for (var c = r[0]; c < r[0] + r[1]; c++) { table[c] = r[2] === 0 ? -1 : c + r[2]; }
    });
  }
  /* The folded text; `map`, if given, receives the index in `s` of each folded code unit. */
  var buf = new Uint16Array(4096);
  function fold(s, map) {
    // Into a buffer of code units, turned into a string a block at a time (a string per character
    // made checking long clauses the slowest part of a query).
    var out = "", n = 0;
    for (var i = 0; i < s.length; i++) {
      var f = table[s.charCodeAt(i)];
      if (f < 0) { continue; }
      buf[n++] = f;
      if (map) { map.push(i); }
      if (n === buf.length) { out += String.fromCharCode.apply(null, buf); n = 0; }
    }
    return n ? out + String.fromCharCode.apply(null, buf.subarray(0, n)) : out;
  }
  var WHITE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

  /* ---- Keys, hashing, postings (src/search/format.rs). ---- */
  function keys(term) {
    var cs = Array.from(term);
    if (cs.length === 1) { return [term]; }
    var out = [];
    for (var i = 0; i + 1 < cs.length; i++) {
      var k = cs[i] + cs[i + 1];
      if (out.indexOf(k) < 0) { out.push(k); }
    }
    return out.sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
  }
  function hash(key) {
    var h = 0x811c9dc5;
    for (var ch of key) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }
  /* Postings: gaps in base 32, continuation digits MORE, last digit LAST (format.rs). */
  var MORE = "0123456789abcdefghijklmnopqrstuv", LAST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_-.:;=";
  var DIGIT = {};
  for (var di = 0; di < 32; di++) { DIGIT[MORE.charCodeAt(di)] = di; DIGIT[LAST.charCodeAt(di)] = 32 + di; }
  function decode(s) {
    var out = [], acc = 0, n = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s.charCodeAt(i)];
      if (d === undefined) { continue; }
      if (d >= 32) {
        var v = n * 32 + (d - 32);
        acc = out.length ? acc + v : v;
        out.push(acc);
        n = 0;
      } else {
        n = n * 32 + d;
      }
    }
    return out;
  }
  function count(e) {
    if (typeof e !== "string") { return e.n; }
    var c = 0;
    for (var i = 0; i < e.length; i++) { if (DIGIT[e.charCodeAt(i)] >= 32) { c++; } }
    return c;
  }
  function intersect(a, b) {
    var i = 0, j = 0, out = [];
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) { i++; } else if (a[i] > b[j]) { j++; } else { out.push(a[i]); i++; j++; }
    }
    return out;
  }
  function union(a, b) {
    var out = a.concat(b).sort(function (x, y) { return x - y; });
    return out.filter(function (d, i) { return i === 0 || out[i - 1] !== d; });
  }
  function occurrences(hay, needle) {
    var n = 0, i = hay.indexOf(needle);
    while (i >= 0) { n++; i = hay.indexOf(needle, i + needle.length); }
    return n;
  }

  /* ---- The engine (src/search/query.rs). ---- */
  var meta = null;
  async function getMeta() {
    if (!meta) {
      meta = await load("meta");
      if (meta && !table) { buildTable(meta.fold); }
    }
    return meta;
  }
  function terms(q) {
    var seen = [], out = [];
    q.split(WHITE).forEach(function (raw) {
      var t = fold(raw);
      if (!t || seen.indexOf(t) >= 0) { return; }
      seen.push(t);
      var variants = [t];
      meta.synonyms.forEach(function (g) {
        if (g.indexOf(t) >= 0) {
          g.forEach(function (s) { if (variants.indexOf(s) < 0) { variants.push(s); } });
        }
      });
      out.push({ variants: variants });
    });
    return out;
  }
  async function entry(title, key) {
    var shard = hash(key) % Math.max(1, meta.shards);
    var file = await load("s/" + shard);
    if (!file) { return null; }
    var e = file[title ? TITLE + key : key];
    return e === undefined ? null : { shard: shard, e: e };
  }
  async function postings(shard, e, lo, hi, need) {
    var keep = function (d) { return d >= lo && d < hi; };
    if (typeof e === "string") { return decode(e).filter(keep); }
    var out = [];
    for (var k = 0; k < e.f.length; k++) {
      var from = e.f[k], to = k + 1 < e.f.length ? e.f[k + 1] : Infinity;
      if (to <= lo || from >= hi) { continue; }
      if (need) {
        var lo2 = 0, hi2 = need.length;
        while (lo2 < hi2) { var m = (lo2 + hi2) >> 1; if (need[m] < from) { lo2 = m + 1; } else { hi2 = m; } }
        if (lo2 >= need.length || need[lo2] >= to) { continue; }
      }
      var s = await load("c/" + shard + "-" + (e.j + k));
      if (typeof s === "string") { out = out.concat(decode(s).filter(keep)); }
    }
    return out;
  }
  async function allKeys(title, variant, lo, hi) {
    var ks = keys(variant), entries = [];
    for (var i = 0; i < ks.length; i++) {
      var e = await entry(title, ks[i]);
      if (!e) { return []; }
      entries.push(e);
    }
    entries.sort(function (a, b) { return count(a.e) - count(b.e); });
    var running = null;
    for (var j = 0; j < entries.length; j++) {
      var list = await postings(entries[j].shard, entries[j].e, lo, hi, running);
      var next = running ? intersect(running, list) : list;
      if (!next.length) { return next; }
      running = next;
    }
    return running || [];
  }
  /* Documents, or with `whole` (a term of one character, whose postings name regulations) the first
     document number of each regulation whose documents of this field are all candidates. */
  async function candidates(ts, title, lo, hi, whole) {
    var result = null, stride = Math.max(1, meta.stride);
    for (var i = 0; i < ts.length; i++) {
      var set = [];
      for (var v = 0; v < ts[i].variants.length; v++) {
        var docs = await allKeys(title, ts[i].variants[v], lo, hi);
        if (whole) {
          docs = docs.map(function (d) { return Math.floor(d / stride) * stride; })
            .filter(function (d, k, a) { return k === 0 || a[k - 1] !== d; });
        }
        set = union(set, docs);
      }
      var next = result ? intersect(result, set) : set;
      if (!next.length) { return next; }
      result = next;
    }
    return result || [];
  }
  function inTitleField(d) { return d[4] === KIND_TITLE || d[4] === KIND_TERM; }
  /* A heading is written out, or as the number of characters of the text it starts. */
  function headingOf(d) {
    if (typeof d[2] !== "number") { return d[2]; }
    var end = 0, text = d[3];
    for (var k = 0; k < d[2] && end < text.length; k++) {
      var c = text.charCodeAt(end);
      end += c >= 0xD800 && c < 0xDC00 ? 2 : 1;
    }
    return text.slice(0, end);
  }
  function check(ts, doc, reg, d) {
    var text = fold(d[3]), heading = fold(headingOf(d)), kind = d[4], status = reg.st;
    var exact = true, inHeading = heading.length > 0, matched = 0, used = [];
    for (var i = 0; i < ts.length; i++) {
      var found = -1;
      for (var v = 0; v < ts[i].variants.length; v++) {
        if (text.indexOf(ts[i].variants[v]) >= 0) { found = v; break; }
      }
      if (found < 0) { return null; }
      var w = ts[i].variants[found];
      used.push(w);
      exact = exact && found === 0;
      inHeading = inHeading && heading.indexOf(w) >= 0;
      matched += occurrences(text, w) * w.length;
    }
    // A document of a regulation whose title holds each term's characters in order (请假 in 请销假制度).
    if (reg.folded === undefined) { reg.folded = Array.from(fold(reg.title)); }
    var rest = reg.folded;
    var about = ts.every(function (t) {
      var at = 0, cs = Array.from(t.variants[0]);
      return cs.every(function (c) {
        while (at < rest.length && rest[at] !== c) { at++; }
        if (at >= rest.length) { return false; }
        at++;
        return true;
      });
    });
    var phrase = ts.length > 1 && text.indexOf(ts.map(function (t) { return t.variants[0]; }).join("")) >= 0;
    // A glossary term by its name; by its definition it is one text among others.
    var tier = kind === KIND_TITLE ? 4 : kind === KIND_TERM && inHeading ? 3 : inHeading ? 2 : 1;
    var kindRank = kind === KIND_STEP ? 1 : kind === KIND_ROW ? 0 : 2;
    var density = Math.min(99999, Math.floor(matched * 10000 / (text.length + 20)));
    // A 废止 regulation is never read in place of one in force: below every other hit, whatever its match.
    var score = (status >= 3 ? 0 : 1e10) + tier * 1e9 + (exact ? 1e8 : 0) + (about ? 5e7 : 0) + (phrase ? 1e7 : 0) + (3 - Math.min(3, status)) * 1e6 +
      kindRank * 1e5 + density;
    return {
      doc: doc, href: d[0] ? reg.h + "#" + d[0] : reg.h, title: reg.title, label: d[1], kind: kind,
      status: status, score: score, text: d[3], used: used
    };
  }
  /* Start loading the texts of the next few regulations a query will check, so that their requests
     overlap instead of following one another (the results are the same; a query that stops early
     may have loaded a few it did not need). */
  var PREFETCH = 3;
  function prefetch(cands, from, stride, statusOf, opts) {
    var seen = 0, last = -1;
    for (var i = from; i < cands.length && seen < PREFETCH; i++) {
      var r = Math.floor(cands[i] / stride);
      if (r === last) { continue; }
      last = r;
      if (opts.statuses.length && opts.statuses.indexOf(statusOf(r)) < 0) { continue; }
      load("t/" + r);
      seen++;
    }
  }
  async function search(q, opts) {
    if (!(await getMeta())) { return []; }
    var ts = terms(q);
    if (!ts.length) { return []; }
    // The shards of every key at once (the engine then finds them loaded).
    var shards = {};
    ts.forEach(function (t) {
      t.variants.forEach(function (v) {
        keys(v).forEach(function (k) { shards[hash(k) % Math.max(1, meta.shards)] = true; });
      });
    });
    await Promise.all(Object.keys(shards).map(function (s) { return load("s/" + s); }));
    var stride = Math.max(1, meta.stride), regs = meta.regs, hits = [];
    var statusOf = function (reg) {
      if (reg === meta.glossary) { return 0; }
      for (var k = 3; k >= 0; k--) { if (reg >= meta.statusStart[k]) { return k; } }
      return 0;
    };
    // Single characters are indexed per regulation: a query with a term of one character checks
    // every document of the regulations that have all its terms.
    var whole = ts.some(function (t) {
      return t.variants.some(function (v) { return Array.from(v).length === 1; });
    });
    var fields = [true, false];
    outer:
    for (var f = 0; f < fields.length; f++) {
      for (var loReg = 0; loReg < regs; loReg += WINDOW_REGS) {
        var cands = await candidates(ts, fields[f], loReg * stride, (loReg + WINDOW_REGS) * stride, whole);
        var i = 0;
        while (i < cands.length) {
          var regNo = Math.floor(cands[i] / stride), e = i;
          while (e < cands.length && Math.floor(cands[e] / stride) === regNo) { e++; }
          var group = cands.slice(i, e);
          i = e;
          if (opts.statuses.length && opts.statuses.indexOf(statusOf(regNo)) < 0) { continue; }
          prefetch(cands, i, stride, statusOf, opts);
          var reg = await load("t/" + regNo);
          if (!reg) { continue; }
          if (opts.categories.length && opts.categories.indexOf(reg.cat) < 0) { continue; }
          var locals = [];
          if (whole) {
            for (var l = 0; l < reg.d.length; l++) { if (inTitleField(reg.d[l]) === fields[f]) { locals.push(l); } }
          } else {
            locals = group.map(function (d) { return d % stride; });
          }
          for (var g = 0; g < locals.length; g++) {
            var d = reg.d[locals[g]];
            var h = d && check(ts, regNo * stride + locals[g], reg, d);
            if (h) { hits.push(h); }
          }
          if (hits.length >= opts.want) { break outer; }
        }
      }
    }
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return hits;
  }

  /* ---- Showing results. ---- */
  function esc(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  /* A piece of `text` around the first match, the matched characters in <mark>. */
  function snippet(text, used, width) {
    var map = [], folded = fold(text, map), marks = [];
    used.forEach(function (w) {
      var i = folded.indexOf(w);
      while (i >= 0 && w.length) {
        marks.push([map[i], map[i + w.length - 1] + 1]);
        i = folded.indexOf(w, i + w.length);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var first = marks.length ? marks[0][0] : 0;
    var start = Math.max(0, first - Math.floor(width / 3)), end = Math.min(text.length, start + width);
    var out = start > 0 ? "…" : "", pos = start;
    marks.forEach(function (m) {
      if (m[0] < pos || m[0] >= end) { return; }
      out += esc(text.slice(pos, m[0])) + "<mark>" + esc(text.slice(m[0], Math.min(m[1], end))) + "</mark>";
      pos = Math.min(m[1], end);
    });
    out += esc(text.slice(pos, end)) + (end < text.length ? "…" : "");
    return out.replace(/\n/g, " ");
  }
  // In the header's popup a hit is an option of its listbox; on the results page, a plain link.
  function hitHtml(h, id, plain) {
    var status = h.status > 0 ? ' <span class="badge status-status_' + ["current", "trial", "draft", "repealed"][h.status] +
      '">' + esc(meta.statuses[h.status]) + "</span>" : "";
    var label = h.label && h.kind !== KIND_TITLE ? ' <span class="hit-label">' + esc(h.label) + "</span>" : "";
    var title = h.kind === KIND_TITLE ? snippet(h.title, h.used, 80) : esc(h.title);
    var text = h.kind === KIND_TITLE ? "" : '<span class="hit-snippet">' + snippet(h.text, h.used, 72) + "</span>";
    return '<a class="search-hit"' + (plain ? "" : ' role="option"') + ' id="' + id + '" href="' + esc(root + h.href) + '">' +
      '<span class="hit-head"><span class="hit-title">' + title + "</span>" + label + status + "</span>" + text + "</a>";
  }
  function remember(q) {
    try { window.sessionStorage.setItem("rulebook-search", q); } catch (e) { /* storage off */ }
  }

  /* ---- The header box: results while typing. ---- */
  var active = -1, seq = 0, timer = null, shownFor = null;
  function items() { return popup.querySelectorAll(".search-hit"); }
  function setActive(i) {
    var list = items();
    if (!list.length) { return; }
    active = (i + list.length) % list.length;
    for (var k = 0; k < list.length; k++) {
      list[k].className = "search-hit" + (k === active ? " active" : "");
      list[k].setAttribute("aria-selected", k === active ? "true" : "false");
    }
    input.setAttribute("aria-activedescendant", list[active].id);
    list[active].scrollIntoView({ block: "nearest" });
  }
  function close() {
    popup.hidden = true;
    input.setAttribute("aria-expanded", "false");
    active = -1;
  }
  async function typed() {
    var q = input.value, mine = ++seq;
    if (!(await getMeta()) || mine !== seq) { return; }
    if (!fold(q)) { close(); shownFor = q; return; }
    var hits = await search(q, { want: WANT_TYPING, categories: [], statuses: [] });
    if (mine !== seq) { return; }
    shownFor = q;
    var html = hits.slice(0, SHOWN).map(function (h, i) { return hitHtml(h, "search-hit-" + i); }).join("");
    if (!hits.length) { html = '<p class="search-none">' + esc(str("none")) + "</p>"; }
    html += '<a class="search-all" href="' + esc(root + "search.html?q=" + encodeURIComponent(q)) + '">' +
      esc(str("all")) + "</a>";
    popup.innerHTML = html;
    popup.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
    if (hits.length) { setActive(0); }
    popup.setAttribute("data-query", q);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(typed, 120);
  });
  input.addEventListener("focus", function () { if (shownFor === input.value && popup.innerHTML) { popup.hidden = false; } });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "Down") { ev.preventDefault(); setActive(active + 1); }
    else if (ev.key === "ArrowUp" || ev.key === "Up") { ev.preventDefault(); setActive(active - 1); }
    else if (ev.key === "Escape" || ev.key === "Esc") { close(); }
    else if (ev.key === "Enter") {
      var list = items();
      if (!popup.hidden && shownFor === input.value && active >= 0 && list[active]) {
        ev.preventDefault();
        remember(input.value);
        window.location.href = list[active].href;
      }
      // Otherwise the form goes to search.html?q=… (results not shown yet).
    }
  });
  popup.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.search-hit");
    if (a) { remember(input.value); }
  });
  document.addEventListener("keydown", function (ev) {
    var t = ev.target, tag = t && t.tagName;
    if (ev.key === "/" && !ev.ctrlKey && !ev.metaKey && !ev.altKey && tag !== "INPUT" && tag !== "TEXTAREA" &&
        tag !== "SELECT" && !(t && t.isContentEditable)) {
      ev.preventDefault();
      input.focus();
      input.select();
    }
  });
  document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) { close(); } });

  /* ---- The results page. ---- */
  var page = document.getElementById("search-results");
  async function resultsPage() {
    var params = {};
    window.location.search.replace(/^\?/, "").split("&").forEach(function (p) {
      var kv = p.split("=");
      // A hand-typed `%` that is no escape (search.html?q=%) is taken as written.
      var dec = function (x) { try { return decodeURIComponent(x); } catch (e) { return x; } };
      if (kv[0]) { params[dec(kv[0])] = dec((kv[1] || "").replace(/\+/g, " ")); }
    });
    var q = params.q || "", pf = document.querySelector("form.search-page");
    pf.q.value = q;
    input.value = q;
    if (params.cat) { pf.cat.value = params.cat; }
    if (params.st) { pf.st.value = params.st; }
    var status = document.getElementById("search-status");
    if (!(await getMeta()) || !fold(q)) { status.textContent = ""; return; }
    status.textContent = str("searching");
    var t0 = Date.now();
    var hits = await search(q, {
      want: WANT_PAGE,
      categories: params.cat ? [Number(params.cat)] : [],
      statuses: params.st ? [Number(params.st)] : []
    });
    page.innerHTML = hits.map(function (h, i) { return "<li>" + hitHtml(h, "search-result-" + i, true) + "</li>"; }).join("");
    var n = hits.length;
    status.textContent = n ? str(n >= WANT_PAGE ? "first" : "count").replace("{n}", n) : str("none");
    status.setAttribute("data-ms", String(Date.now() - t0));
    page.addEventListener("click", function () { remember(q); });
  }
  if (page) { resultsPage(); }

  /* ---- Arriving from a result: the matched words marked in the clause landed on. ---- */
  function markArrival() {
    var q = null;
    try { q = window.sessionStorage.getItem("rulebook-search"); window.sessionStorage.removeItem("rulebook-search"); } catch (e) { q = null; }
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!q || !target) { return; }
    getMeta().then(function () {
      if (!meta) { return; }
      var words = [];
      terms(q).forEach(function (t) { words = words.concat(t.variants); });
      var walker = document.createTreeWalker(target, NodeFilter.SHOW_TEXT, null, false), nodes = [];
      while (walker.nextNode()) { nodes.push(walker.currentNode); }
      nodes.forEach(function (node) {
        var map = [], folded = fold(node.data, map), marks = [];
        words.forEach(function (w) {
          var i = folded.indexOf(w);
          while (i >= 0 && w.length) { marks.push([map[i], map[i + w.length - 1] + 1]); i = folded.indexOf(w, i + w.length); }
        });
        marks.sort(function (a, b) { return b[0] - a[0]; });
        var last = Infinity;
        marks.forEach(function (m) {
          if (m[1] > last) { return; }
          var mid = node.splitText(m[0]);
          mid.splitText(m[1] - m[0]);
          var mark = document.createElement("mark");
          mark.className = "search-arrival";
          mid.parentNode.replaceChild(mark, mid);
          mark.appendChild(mid);
          last = m[0];
        });
      });
      target.className += " search-landed";
    });
  }
  markArrival();

  // For tests and the benchmark: the same engine the box uses.
  window.rulebookSearch = {
    search: function (q, want) { return search(q, { want: want || WANT_TYPING, categories: [], statuses: [] }); },
    fold: async function (s) { await getMeta(); return fold(s); },
    hash: hash,
    stats: stats
  };
})();
