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

  var WINDOW_REGS = 256, WANT_TYPING = 20, WANT_PAGE = 200, SHOWN = 8, TITLE = "^", LOOSE_BELOW = 3;
  var KIND_TITLE = 0, KIND_CLAUSE = 1, KIND_STEP = 2, KIND_ROW = 3, KIND_TERM = 4, KIND_DIRECTORY = 5;

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

  /* ---- Reading a query (src/search/analyse.rs, numbers.rs; tables from meta.js). ---- */
  var NUMERALS = "零〇一二两三四五六七八九十百千万亿";
  function isNumeral(c) { return c !== undefined && ((c >= "0" && c <= "9") || NUMERALS.indexOf(c) >= 0); }
  function startsAt(cs, at, w) {
    var wc = Array.from(w);
    for (var i = 0; i < wc.length; i++) { if (cs[at + i] !== wc[i]) { return false; } }
    return true;
  }
  function chineseValue(s) {
    var D = { "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
    var U = { "十": 10, "百": 100, "千": 1000, "万": 10000, "亿": 100000000 };
    var cs = Array.from(s), total = 0, section = 0, digit = null;
    if (!cs.length) { return null; }
    for (var i = 0; i < cs.length; i++) {
      var c = cs[i];
      if (D[c] !== undefined) { digit = D[c]; continue; }
      var u = U[c];
      if (u === undefined) { return null; }
      if (u >= 10000) { section += digit === null ? 0 : digit; digit = null; total = (total + section) * u; section = 0; }
      else { section += (digit === null ? 1 : digit) * u; digit = null; }
    }
    return total + section + (digit === null ? 0 : digit);
  }
  function toChinese(n) {
    var D = "零一二三四五六七八九";
    if (n >= 100000000 || n < 0 || n !== Math.floor(n)) { return null; }
    if (n === 0) { return "零"; }
    var out = "";
    function below(n) {
      var units = [[1000, "千"], [100, "百"], [10, "十"]], zero = false, started = false, rest = n;
      for (var k = 0; k < 3; k++) {
        var u = units[k][0], d = Math.floor(rest / u);
        rest = rest % u;
        if (d === 0) { zero = started; continue; }
        if (zero) { out += "零"; zero = false; }
        if (!(u === 10 && d === 1 && !started && out === "")) { out += D[d]; }
        out += units[k][1];
        started = true;
      }
      if (rest > 0) { if (zero) { out += "零"; } out += D[rest]; }
    }
    var high = Math.floor(n / 10000), low = n % 10000;
    if (high > 0) {
      below(high);
      out += "万";
      if (low > 0) { if (low < 1000) { out += "零"; } below(low); }
    } else { below(low); }
    return out;
  }
  function readNumber(cs, at) {
    var n = at;
    while (n < cs.length && cs[n] >= "0" && cs[n] <= "9") { n++; }
    if (n > at) {
      var end = n;
      if (cs[n] === "." && cs[n + 1] >= "0" && cs[n + 1] <= "9") {
        end = n + 1;
        while (end < cs.length && cs[end] >= "0" && cs[end] <= "9") { end++; }
      }
      var v = parseFloat(cs.slice(at, end).join(""));
      if (cs[end] === "万") { v *= 10000; end++; } else if (cs[end] === "千") { v *= 1000; end++; }
      return [v, end - at];
    }
    while (n < cs.length && isNumeral(cs[n]) && !(cs[n] >= "0" && cs[n] <= "9")) { n++; }
    var val = chineseValue(cs.slice(at, n).join(""));
    return val === null ? null : [val, n - at];
  }
  function readUnit(cs, at) {
    for (var i = 0; i < meta.units.length; i++) {
      var u = meta.units[i];
      if (startsAt(cs, at, u[0])) { return [Array.from(u[0]).length, u[1], u[2]]; }
    }
    return null;
  }
  function bucket(v) { return v <= 0 ? 0 : Math.min(255, Math.max(0, Math.floor(Math.log2(v * 16)))); }
  function quantityKey(unit, b) { return unit + String.fromCodePoint(0xF0000 + b); }
  function articleKey(n) { return n < 0xD000 ? String.fromCodePoint(0xF1000) + String.fromCodePoint(0xF2000 + n) : ""; }
  function numeralVariant(s) {
    var cs = Array.from(s), out = "", changed = false, i = 0;
    while (i < cs.length) {
      if (isNumeral(cs[i])) {
        var j = i;
        while (j < cs.length && isNumeral(cs[j])) { j++; }
        var run = cs.slice(i, j).join(""), other = null;
        if (cs[j] !== undefined && meta.counters.indexOf(cs[j]) >= 0) {
          if (cs[i] >= "0" && cs[i] <= "9") {
            other = /^[0-9]+$/.test(run) ? toChinese(parseInt(run, 10)) : null;
          } else {
            var v = chineseValue(run);
            other = v !== null && v === Math.floor(v) ? String(v) : null;
          }
        }
        if (other !== null && other !== run) { out += other; changed = true; } else { out += run; }
        i = j;
      } else { out += cs[i]; i++; }
    }
    return changed ? out : null;
  }
  function longestSynonym(t) {
    var best = null;
    meta.synonyms.forEach(function (g) {
      g.forEach(function (m) {
        if (m && t.indexOf(m) >= 0 && (!best || Array.from(m).length > Array.from(best.m).length)) { best = { g: g, m: m }; }
      });
    });
    return best;
  }
  function variants(t, withSynonyms) {
    var out = [t];
    var push = function (v) { if (v && out.indexOf(v) < 0) { out.push(v); } };
    var nv = numeralVariant(t);
    if (nv) { push(nv); }
    var best = withSynonyms ? longestSynonym(t) : null;
    if (best) { best.g.forEach(function (o) { if (o !== best.m) { push(t.replace(best.m, o)); } }); }
    return out;
  }
  function cutQuestions(piece) {
    var cs = Array.from(piece), out = [], cur = "", i = 0;
    outer:
    while (i < cs.length) {
      for (var k = 0; k < meta.question.length; k++) {
        var w = meta.question[k];
        if (startsAt(cs, i, w)) {
          if (cur) { out.push(cur); cur = ""; }
          i += Array.from(w).length;
          continue outer;
        }
      }
      cur += cs[i];
      i++;
    }
    if (cur) { out.push(cur); }
    return out;
  }
  function article(q) {
    var cs = Array.from(q), tiao = -1;
    for (var p = 1; p < cs.length; p++) { if (cs[p] === "条" && isNumeral(cs[p - 1])) { tiao = p; break; } }
    if (tiao < 0) { return null; }
    var start = tiao;
    while (start > 0 && isNumeral(cs[start - 1])) { start--; }
    var run = cs.slice(start, tiao).join(""), number;
    if (cs[start] >= "0" && cs[start] <= "9") {
      if (!/^[0-9]+$/.test(run)) { return null; }
      number = parseInt(run, 10);
    } else {
      var v = chineseValue(run);
      if (v === null || v !== Math.floor(v)) { return null; }
      number = v;
    }
    if (number === 0) { return null; }
    var nameEnd = start;
    if (nameEnd > 0 && cs[nameEnd - 1] === "第") { nameEnd--; }
    var rest = cs.slice(tiao + 1);
    if (!rest.every(function (c) { return isNumeral(c) || "之第款项目".indexOf(c) >= 0; })) { return null; }
    var name = cs.slice(0, nameEnd).join("");
    if (name.slice(-1) === "的") { name = name.slice(0, -1); }
    if (name.charAt(0) === "本") { name = name.slice(1); }
    var cn = toChinese(number);
    if (cn === null) { return null; }
    // 第十二条之一 is an article of its own (之一 articles share their number's key).
    var label = "第" + cn + "条";
    if (rest[0] === "之") {
      var run2 = "", m = 1;
      while (m < rest.length && isNumeral(rest[m])) { run2 += rest[m]; m++; }
      var k = chineseValue(run2);
      if (k === null && /^[0-9]+$/.test(run2)) { k = parseInt(run2, 10); }
      var kc = k === null ? null : toChinese(k);
      if (k !== null) {
        if (kc === null) { return null; }
        label += "之" + kc;
      }
    }
    return { name: name, number: number, label: label };
  }
  function quantityIn(piece) {
    var cs = Array.from(piece);
    for (var i = 0; i < cs.length; i++) {
      if (!isNumeral(cs[i]) || (i > 0 && isNumeral(cs[i - 1]))) { continue; }
      var r = readNumber(cs, i);
      if (!r) { continue; }
      var u = readUnit(cs, i + r[1]);
      if (u) {
        return { q: { value: r[0] * u[2], unit: u[1], text: cs.slice(i, i + r[1] + u[0]).join("") }, from: i, to: i + r[1] + u[0] };
      }
      if (i === 0 && r[1] === cs.length && cs[0] >= "0" && cs[0] <= "9") {
        return { q: { value: r[0], unit: "元", text: piece }, from: 0, to: r[1] };
      }
    }
    return null;
  }
  function analyse(q) {
    var whole = fold(q), pieces = [];
    q.split(WHITE).forEach(function (raw) {
      cutQuestions(fold(raw)).forEach(function (p) { if (pieces.indexOf(p) < 0) { pieces.push(p); } });
    });
    var word = function (t) { return { variants: variants(t, true) }; };
    var asked = cutQuestions(whole).join("");
    var a = { words: pieces.map(word), quantity: null, rest: [], article: null, asked: asked !== whole };
    var art = article(asked);
    if (art) { a.article = art; return a; }
    for (var k = 0; k < pieces.length; k++) {
      var found = quantityIn(pieces[k]);
      if (!found) { continue; }
      a.quantity = found.q;
      var cs = Array.from(pieces[k]);
      var rest = pieces.filter(function (_, j) { return j !== k; });
      [cs.slice(0, found.from).join(""), cs.slice(found.to).join("")].forEach(function (s) {
        var comparison = meta.cmp.some(function (c) { return c[0] === s; });
        if (s && !comparison) { rest.push(s); }
      });
      a.rest = rest.map(word);
      break;
    }
    return a;
  }
  function pieces(t) {
    var out = [];
    t.split("的").filter(function (s) { return s; }).forEach(function (part) {
      var best = longestSynonym(part), left = part, right = "";
      if (best) {
        var at = part.indexOf(best.m);
        out.push({ variants: [best.m].concat(best.g.filter(function (o) { return o !== best.m; })) });
        left = part.slice(0, at);
        right = part.slice(at + best.m.length);
      }
      [left, right].forEach(function (s) {
        var cs = Array.from(s), i = 0;
        while (i < cs.length) {
          var n = cs.length - i === 3 ? 3 : Math.min(2, cs.length - i);
          var chunk = cs.slice(i, i + n).join("");
          i += n;
          if (!out.some(function (w) { return w.variants[0] === chunk; })) { out.push({ variants: variants(chunk, false) }); }
        }
      });
    });
    return out;
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
  /* Documents, or with `one` (a word of one character, whose postings name regulations) the first
     document number of each regulation whose documents of this field are all candidates. */
  async function candidates(ts, title, lo, hi, one) {
    var result = null, stride = Math.max(1, meta.stride);
    for (var i = 0; i < ts.length; i++) {
      var set = [];
      for (var v = 0; v < ts[i].variants.length; v++) {
        var docs = await allKeys(title, ts[i].variants[v], lo, hi);
        if (one) {
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
  function inTitleField(d) { return d[4] === KIND_TITLE || d[4] === KIND_TERM || d[4] === KIND_DIRECTORY; }
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
  /* The score: each feature above all those after it (query.rs, `score`). */
  function score(f) {
    return (f.repealed ? 0 : 2e12) + f.answer * 4e11 + (f.superseded ? 0 : 2e11) + f.tier * 2e10 + (f.whole ? 8e9 : 0) + (f.exact ? 4e9 : 0) +
      (f.phrase ? 2e9 : 0) + (f.defining ? 1e9 : 0) + f.level * 1e8 + (3 - Math.min(3, f.status)) * 2e7 +
      (f.about ? 1e7 : 0) + f.kind * 2e6 + (f.top ? 1e6 : 0) + f.early * 1000 + f.close;
  }
  function makeHit(doc, reg, d) {
    var a = d[0] || "";
    return {
      doc: doc, href: !reg.h || !a ? (reg.h ? reg.h : a) : reg.h + "#" + a, title: reg.title || headingOf(d), label: d[1], kind: d[4],
      status: reg.st, tl: reg.tl || 0, score: 0, text: d[3], used: [], why: null
    };
  }
  function check(ts, whole, asked, doc, reg, d, q) {
    var text = fold(d[3]), heading = fold(headingOf(d)), kind = d[4], status = reg.st;
    var exact = true, inHeading = heading.length > 0, matched = 0, used = [], first = [];
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
      first.push(text.indexOf(w));
    }
    // A document of a regulation whose title holds each word's characters in order (请假 in 请销假制度).
    if (reg.folded === undefined) { reg.folded = Array.from(fold(reg.title)); }
    var rest = reg.folded;
    var about = ts.length > 0 && ts.every(function (t) {
      var at = 0, cs = Array.from(t.variants[0]);
      return cs.every(function (c) {
        while (at < rest.length && rest[at] !== c) { at++; }
        if (at >= rest.length) { return false; }
        at++;
        return true;
      });
    });
    var phrase = whole && ts.length > 1 && text.indexOf(ts.map(function (t) { return t.variants[0]; }).join("")) >= 0;
    var defining = used.length > 0 && (text.indexOf(used[0] + "是指") >= 0 || text.indexOf(used[0] + "指") >= 0);
    var askedFor = fold(q), named = heading === askedFor;
    // Another name of a role (一把手 for 主要领导) ranks as a title does.
    var alias = kind === KIND_DIRECTORY && d[3].split("\n").some(function (l) { return fold(l) === askedFor; });
    var tier = kind === KIND_DIRECTORY && named ? 5 : kind === KIND_DIRECTORY && alias ? 4 : kind === KIND_TITLE && !asked ? 4 :
      kind === KIND_DIRECTORY || kind === KIND_TITLE ? 1 : kind === KIND_TERM && inHeading ? 3 : inHeading ? 2 : 1;
    var anchor = d[0] || "", close;
    if (whole) { close = Math.min(999, Math.floor(matched * 1000 / (text.length + 20))); }
    else if (!first.length) { close = 999; }
    else { close = 999 - Math.min(999, Math.max.apply(null, first) - Math.min.apply(null, first)); }
    var f = {
      repealed: status >= 3, superseded: (reg.tl || 0) !== 0, answer: 0, tier: tier, whole: whole, exact: exact, phrase: phrase, defining: defining,
      level: reg.lv || 0, status: status, about: about, kind: kind === KIND_STEP || kind === KIND_DIRECTORY ? 1 : kind === KIND_ROW ? 0 : 2,
      top: anchor.indexOf("-item") < 0 && anchor.indexOf("-sub") < 0, early: 0, close: close
    };
    var h = makeHit(doc, reg, d);
    h.used = used;
    return { h: h, f: f };
  }
  function statusOf(reg) {
    if (reg >= meta.glossary) { return 0; }
    for (var k = 3; k >= 0; k--) { if (reg >= meta.statusStart[k]) { return k; } }
    return 0;
  }
  /* A regulation's texts, if the options keep it. */
  async function regulation(regNo, opts) {
    if (opts.statuses.length && opts.statuses.indexOf(statusOf(regNo)) < 0) { return null; }
    var reg = await load("t/" + regNo);
    if (!reg) { return null; }
    if (opts.categories.length && opts.categories.indexOf(reg.cat) < 0) { return null; }
    return reg;
  }
  /* Start loading the texts of the next few regulations a query will check, so that their requests
     overlap instead of following one another (the results are the same; a query that stops early
     may have loaded a few it did not need). */
  var PREFETCH = 3;
  function prefetch(cands, from, stride, opts) {
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
  async function wordHits(ts, whole, asked, q, opts) {
    var stride = Math.max(1, meta.stride), regs = meta.regs, hits = [];
    // Single characters are indexed per regulation: a query with a word of one character checks
    // every document of the regulations that have all its words.
    var one = ts.some(function (t) { return t.variants.some(function (v) { return Array.from(v).length === 1; }); });
    var fields = [true, false];
    outer:
    for (var f = 0; f < fields.length; f++) {
      for (var loReg = 0; loReg < regs; loReg += WINDOW_REGS) {
        var cands = await candidates(ts, fields[f], loReg * stride, (loReg + WINDOW_REGS) * stride, one);
        var i = 0;
        while (i < cands.length) {
          var regNo = Math.floor(cands[i] / stride), e = i;
          while (e < cands.length && Math.floor(cands[e] / stride) === regNo) { e++; }
          var group = cands.slice(i, e);
          i = e;
          prefetch(cands, i, stride, opts);
          var reg = await regulation(regNo, opts);
          if (!reg) { continue; }
          var locals = [];
          if (one) {
            for (var l = 0; l < reg.d.length; l++) { if (inTitleField(reg.d[l]) === fields[f]) { locals.push(l); } }
          } else {
            locals = group.map(function (d) { return d % stride; });
          }
          for (var g = 0; g < locals.length; g++) {
            var d = reg.d[locals[g]];
            var r = d && check(ts, whole, asked, regNo * stride + locals[g], reg, d, q);
            if (r) {
              if (r.f.about && r.h.kind !== KIND_TITLE) { r.f.early = 999 - Math.min(999, locals[g]); }
              hits.push(r);
            }
          }
          if (hits.length >= opts.want) { break outer; }
        }
      }
    }
    return hits;
  }
  async function keyDocs(key) {
    var e = await entry(false, key);
    return e ? postings(e.shard, e.e, 0, Infinity, null) : [];
  }
  var SIGNS = ["≥", ">", "≤", "<"];
  /* Whether a document's conditions cover the quantity: [reason or null, closeness 0–999] (query.rs, covers). */
  function covers(qty, conds) {
    if (!conds) { return null; }
    var best = null, i = 0;
    while (i < conds.length) {
      var j = i + 1;
      while (j < conds.length && conds[j][4] === 1) { j++; }
      var group = conds.slice(i, j);
      i = j;
      if (!group.every(function (c) { return c[0] === qty.unit; })) { continue; }
      var why = [], distance = 0, ok = true, equal = group.length === 1;
      group.forEach(function (c) {
        var v = c[1], op = c[2];
        distance += Math.abs(Math.log2(qty.value / Math.max(v, 1e-9)));
        why.push(SIGNS[op] + " " + c[3]);
        ok = ok && (op === 0 ? qty.value >= v : op === 1 ? qty.value > v : op === 2 ? qty.value <= v : qty.value < v);
        equal = equal && v === qty.value;
      });
      var reason = ok ? qty.text + " " + why.join("，") : null;
      if ((ok || equal) && (!best || distance < best[1])) { best = [reason, distance]; }
    }
    return best ? [best[0], 999 - Math.min(999, Math.floor(best[1] * 100))] : null;
  }
  async function quantityHits(qty, rest, asked, q, opts) {
    var stride = Math.max(1, meta.stride), b = bucket(qty.value), cands = [];
    for (var k = Math.max(0, b - meta.bucketSpan); k <= b + meta.bucketSpan; k++) {
      cands = union(cands, await keyDocs(quantityKey(qty.unit, k)));
    }
    var hits = [], i = 0;
    while (i < cands.length) {
      var regNo = Math.floor(cands[i] / stride), e = i;
      while (e < cands.length && Math.floor(cands[e] / stride) === regNo) { e++; }
      var group = cands.slice(i, e);
      i = e;
      var reg = await regulation(regNo, opts);
      if (!reg) { continue; }
      for (var g = 0; g < group.length; g++) {
        var d = reg.d[group[g] % stride];
        if (!d) { continue; }
        var c = covers(qty, d[5]);
        if (!c) { continue; }
        var r = check(rest, true, asked, group[g], reg, d, q);
        if (!r) { continue; }
        r.f.answer = 1;
        r.f.close = c[1];
        r.h.why = c[0];
        // The quantities of the clause are what is marked in it.
        d[5].forEach(function (x) { if (x[0] === qty.unit && r.h.used.indexOf(x[3]) < 0) { r.h.used.push(x[3]); } });
        hits.push(r);
      }
    }
    return hits;
  }
  async function articleHits(art, q, opts) {
    var stride = Math.max(1, meta.stride);
    var cands = await keyDocs(articleKey(art.number));
    if (Array.from(art.name).length > 1) {
      var titles = (await candidates([{ variants: [art.name] }], true, 0, Infinity, false))
        .filter(function (d) { return d % stride === 0; });
      cands = cands.filter(function (d) { return titles.indexOf(Math.floor(d / stride) * stride) >= 0; });
    }
    var hits = [];
    for (var i = 0; i < cands.length; i++) {
      var reg = await regulation(Math.floor(cands[i] / stride), opts);
      var d = reg && reg.d[cands[i] % stride];
      if (!d || fold(d[1]) !== art.label) { continue; }
      hits.push({
        h: makeHit(cands[i], reg, d),
        f: {
          repealed: reg.st >= 3, superseded: (reg.tl || 0) !== 0, answer: 2, tier: 1, whole: true, exact: true, phrase: false, defining: false,
          level: reg.lv || 0, status: reg.st, about: false, kind: 2, top: true, early: 0, close: 0
        }
      });
    }
    return hits;
  }
  /* Add `more` to `found`, a document once, with its better rank. */
  function merge(found, more) {
    more.forEach(function (r) {
      var k = -1;
      for (var i = 0; i < found.length; i++) { if (found[i].h.doc === r.h.doc) { k = i; break; } }
      if (k < 0) { found.push(r); return; }
      if (score(r.f) > score(found[k].f)) {
        var why = found[k].h.why;
        found[k] = r;
        if (!r.h.why) { r.h.why = why; }
      }
    });
  }
  async function search(q, opts) {
    if (!(await getMeta())) { return []; }
    var a = analyse(q);
    if (!a.words.length) { return []; }
    // The shards of every key at once (the engine then finds them loaded).
    var shards = {};
    a.words.concat(a.rest).forEach(function (t) {
      t.variants.forEach(function (v) {
        keys(v).forEach(function (k) { shards[hash(k) % Math.max(1, meta.shards)] = true; });
      });
    });
    await Promise.all(Object.keys(shards).map(function (s) { return load("s/" + s); }));
    var found = [];
    if (a.article) { found = await articleHits(a.article, q, opts); }
    if (!found.length) {
      if (a.quantity) { found = await quantityHits(a.quantity, a.rest, a.asked, q, opts); }
      var words = await wordHits(a.words, true, a.asked, q, opts);
      // Few hits of the words as typed: their pieces may find what was meant (报销差旅).
      var few = words.length < LOOSE_BELOW;
      merge(found, words);
      if (few) {
        var ps = [];
        a.words.forEach(function (w) { ps = ps.concat(pieces(w.variants[0])); });
        var differs = ps.length > a.words.length || ps.some(function (p, i) {
          return JSON.stringify(p.variants) !== JSON.stringify(a.words[i].variants);
        });
        if (differs) { merge(found, await wordHits(ps, false, a.asked, q, opts)); }
      }
    }
    var hits = found.map(function (r) { r.h.score = score(r.f); return r.h; });
    hits.sort(function (x, y) { return y.score - x.score || x.doc - y.doc; });
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
  // A quantity's hit says why it answers (5000元 > 3000元); a role, checklist, form or category
  // says what it is.
  function hitHtml(h, id, plain) {
    var status = h.status > 0 ? ' <span class="badge status-status_' + ["current", "trial", "draft", "repealed"][h.status] +
      '">' + esc(meta.statuses[h.status]) + "</span>" : "";
    // A version that is not the one in force says where it stands (已被修改, 尚未生效).
    var tl = h.tl > 0 && meta.timeliness ? ' <span class="badge timeliness timeliness_' + ["in_force", "amended", "repealed", "not_yet"][h.tl] +
      '">' + esc(meta.timeliness[h.tl]) + "</span>" : "";
    var named = h.kind === KIND_TITLE || h.kind === KIND_DIRECTORY;
    var label = h.label && h.kind !== KIND_TITLE ? ' <span class="hit-label">' + esc(h.label) + "</span>" : "";
    var title = named ? snippet(h.title, h.used, 80) : esc(h.title);
    var why = h.why ? '<span class="hit-why">' + esc(h.why) + "</span>" : "";
    var text = named ? "" : '<span class="hit-snippet">' + snippet(h.text, h.used, 72) + "</span>";
    return '<a class="search-hit"' + (plain ? "" : ' role="option" aria-selected="false"') + ' id="' + id + '" href="' + esc(root + h.href) + '">' +
      '<span class="hit-head"><span class="hit-title">' + title + "</span>" + label + status + tl + "</span>" + why + text + "</a>";
  }
  function remember(q) {
    try { window.sessionStorage.setItem("rulebook-search", q); } catch (e) { /* storage off */ }
  }

  /* ---- The header box: results while typing. ----
     The popup holds the listbox of results (options only, as ARIA requires) and, outside it, the
     "no results" line and the link to all results. Each keystroke searches at once (a newer query
     makes an older one's results go unshown); the time from the keystroke to the results painted
     is measured as `rb-search` (performance marks, for the benchmark). */
  var list = popup.querySelector("[role=listbox]"), foot = popup.querySelector(".search-foot");
  var active = -1, seq = 0, shownFor = null;
  function items() { return list.querySelectorAll(".search-hit"); }
  function setActive(i) {
    var all = items();
    if (!all.length) { return; }
    active = (i + all.length) % all.length;
    for (var k = 0; k < all.length; k++) {
      all[k].className = "search-hit" + (k === active ? " active" : "");
      all[k].setAttribute("aria-selected", k === active ? "true" : "false");
    }
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }
  function close() {
    popup.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  async function typed() {
    var q = input.value, mine = ++seq;
    if (!(await getMeta()) || mine !== seq) { return; }
    if (!fold(q)) { close(); shownFor = q; return; }
    var hits = await search(q, { want: WANT_TYPING, categories: [], statuses: [] });
    if (mine !== seq) { return; }
    shownFor = q;
    list.innerHTML = hits.slice(0, SHOWN).map(function (h, i) { return hitHtml(h, "search-hit-" + i); }).join("");
    list.hidden = !hits.length;
    foot.innerHTML = (hits.length ? "" : '<p class="search-none" role="status">' + esc(str("none")) + "</p>") +
      '<a class="search-all" href="' + esc(root + "search.html?q=" + encodeURIComponent(q)) + '">' + esc(str("all")) + "</a>";
    popup.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (hits.length) { setActive(0); }
    popup.setAttribute("data-query", q);
    if (window.performance && performance.mark) {
      requestAnimationFrame(function () {
        setTimeout(function () {
          if (mine !== seq) { return; }
          performance.mark("rb-search-painted");
          try { performance.measure("rb-search", "rb-search-input", "rb-search-painted"); } catch (e) { /* no start mark */ }
        }, 0);
      });
    }
  }
  input.addEventListener("input", function () {
    if (window.performance && performance.mark) { performance.mark("rb-search-input"); }
    typed();
  });
  input.addEventListener("focus", function () { if (shownFor === input.value && list.innerHTML) { popup.hidden = false; input.setAttribute("aria-expanded", "true"); } });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "Down") { ev.preventDefault(); setActive(active + 1); }
    else if (ev.key === "ArrowUp" || ev.key === "Up") { ev.preventDefault(); setActive(active - 1); }
    else if (ev.key === "Escape" || ev.key === "Esc") {
      // Closes the results; the query stays (a search field would clear itself on Esc).
      ev.preventDefault();
      close();
    }
    else if (ev.key === "Enter") {
      var all = items();
      if (!popup.hidden && shownFor === input.value && active >= 0 && all[active]) {
        ev.preventDefault();
        remember(input.value);
        window.location.href = all[active].href;
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
    // A malformed address (search.html?q=%) is read as written, not thrown on.
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
    var id = window.location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { /* as written */ }
    var target = id && document.getElementById(id);
    if (!q || !target) { return; }
    getMeta().then(function () {
      if (!meta) { return; }
      var words = [];
      analyse(q).words.forEach(function (t) { words = words.concat(t.variants); });
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
    analyse: async function (q) { await getMeta(); return analyse(q); },
    fold: async function (s) { await getMeta(); return fold(s); },
    hash: hash,
    stats: stats
  };
})();
