/* rulebook checklists: ticking a procedure's steps, kept in this browser (localStorage) per
   procedure and per named run; conditions that show only the steps that apply; export and import of
   a run as a JSON file; printing a run as a record or a blank form. Plain ES5, no framework, works
   from file://. Without it the page is a plain list of steps that reads and prints.

   Storage: one key per procedure, "rulebook.checklist.<procedure-id>", holding
   {version: 1, current: <run id>, runs: [run, …]}; a run is
   {id, name, created, answers: {condition: choice}, ticks: {step id: ISO time},
    steps: [{id, text}, …] (the procedure's steps when the run was last acknowledged)}. */
(function () {
  "use strict";
  var root = document.getElementById("checklist");
  if (!root) { return; }
  var procedure = root.getAttribute("data-procedure");
  var KEY = "rulebook.checklist." + procedure;
  var FORMAT = "rulebook-checklist-run";

  function t(name) { return root.getAttribute("data-t-" + name) || ""; }
  function byId(id) { return document.getElementById(id); }
  function each(list, f) { for (var i = 0; i < list.length; i++) { f(list[i], i); } }
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function shown(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return ""; }
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function now() { return new Date().toISOString(); }
  function newId() { return "r" + new Date().getTime().toString(36) + Math.floor(Math.random() * 1e6).toString(36); }

  var current = [];
  try { current = JSON.parse(byId("checklist-steps").textContent || "[]"); } catch (e) { current = []; }

  // ----- storage -----------------------------------------------------------------------------
  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(KEY + ".probe", "1");
    storage.removeItem(KEY + ".probe");
  } catch (e) { storage = null; }

  // ----- what a run may hold (checked on import and on every load) -----------------------------
  // Limits (README, "Checklists"): an import file of at most 1 MiB; in a run at most 1000 steps,
  // 1000 ticks and 1000 answers; ids and times at most 100 characters, names and step texts at
  // most 2000. Anything else — a step that is no object, a name that is no string — is refused,
  // so a crafted or damaged run can never break the page.
  var MAX_IMPORT = 1024 * 1024, MAX_ITEMS = 1000, MAX_SHORT = 100, MAX_TEXT = 2000;
  function isObject(x) { return Object.prototype.toString.call(x) === "[object Object]"; }
  function isStr(x, max) { return typeof x === "string" && x.length <= max; }
  // A map of short strings to short strings (ticks: step → time; answers: condition → choice).
  function strMap(x) {
    if (x === undefined || x === null) { return {}; }
    if (!isObject(x)) { return null; }
    var out = {}, keys = Object.keys(x);
    if (keys.length > MAX_ITEMS) { return null; }
    for (var i = 0; i < keys.length; i++) {
      if (!isStr(keys[i], MAX_SHORT) || !isStr(x[keys[i]], MAX_SHORT)) { return null; }
      out[keys[i]] = x[keys[i]];
    }
    return out;
  }
  // The run as the page uses it, or null if it is not one.
  function validRun(r) {
    if (!isObject(r) || !isStr(r.id, MAX_SHORT) || !r.id || !isStr(r.name, MAX_TEXT) || !r.name) {
      return null;
    }
    var ticks = strMap(r.ticks), answers = strMap(r.answers);
    if (!ticks || !answers) { return null; }
    var steps = current;
    if (r.steps !== undefined) {
      if (Object.prototype.toString.call(r.steps) !== "[object Array]" || r.steps.length > MAX_ITEMS) { return null; }
      steps = [];
      for (var i = 0; i < r.steps.length; i++) {
        var s = r.steps[i];
        if (!isObject(s) || !isStr(s.id, MAX_SHORT) || !isStr(s.text, MAX_TEXT)) { return null; }
        steps.push({ id: s.id, text: s.text });
      }
    }
    var created = isStr(r.created, MAX_SHORT) && !isNaN(new Date(r.created).getTime()) ? r.created : null;
    return { id: r.id, name: r.name, created: created || now(), answers: answers, ticks: ticks, steps: steps };
  }

  // How many stored runs were damaged (each kept as an empty run under a plain name, which the
  // user can delete like any other).
  var damaged = 0;
  function load() {
    var state = null;
    if (storage) {
      try { state = JSON.parse(storage.getItem(KEY) || "null"); } catch (e) { state = null; }
    }
    if (!isObject(state) || Object.prototype.toString.call(state.runs) !== "[object Array]") {
      state = { version: 1, current: null, runs: [] };
    }
    var runs = [], seen = {};
    for (var i = 0; i < state.runs.length; i++) {
      var r = validRun(state.runs[i]);
      if (!r || seen[r.id]) {
        damaged++;
        r = { id: newId() + "-" + i, name: t("run-damaged") + " " + damaged, created: now(),
              answers: {}, ticks: {}, steps: current };
      }
      seen[r.id] = true;
      runs.push(r);
    }
    var cur = typeof state.current === "string" && seen[state.current] ? state.current : null;
    return { version: 1, current: cur, runs: runs };
  }
  var state = load();
  function save() {
    if (!storage) { return; }
    try { storage.setItem(KEY, JSON.stringify(state)); } catch (e) { message(t("storage-off")); }
  }
  function run() {
    for (var i = 0; i < state.runs.length; i++) {
      if (state.runs[i].id === state.current) { return state.runs[i]; }
    }
    return null;
  }
  function makeRun(name) {
    var r = { id: newId(), name: name, created: now(), answers: {}, ticks: {}, steps: current };
    state.runs.push(r);
    state.current = r.id;
    return r;
  }

  // ----- conditions --------------------------------------------------------------------------
  // Choice id → condition id, from the radio buttons.
  var conditionOf = {};
  each(root.querySelectorAll(".condition input[type=radio]"), function (input) {
    conditionOf[input.value] = input.name.replace(/^cond-/, "");
  });
  function answers() { var r = run(); return (r && r.answers) || pendingAnswers; }
  var pendingAnswers = {};

  function applies(when) {
    if (!when) { return true; }
    var ids = when.split(" ");
    var wanted = {};
    each(ids, function (id) {
      var c = conditionOf[id];
      if (c) { (wanted[c] = wanted[c] || []).push(id); }
    });
    var a = answers();
    for (var c in wanted) {
      if (!Object.prototype.hasOwnProperty.call(wanted, c)) { continue; }
      var fieldset = root.querySelector("fieldset[data-condition='" + c + "']");
      if (fieldset && !applies(fieldset.getAttribute("data-when"))) { return false; }
      if (a[c] && wanted[c].indexOf(a[c]) < 0) { return false; }
    }
    return true;
  }

  function setAnswer(condition, choice) {
    var r = run();
    var a = r ? r.answers : pendingAnswers;
    if (choice) { a[condition] = choice; } else { delete a[condition]; }
    if (r) { save(); }
    render();
  }

  each(root.querySelectorAll(".condition input[type=radio]"), function (input) {
    input.addEventListener("change", function () {
      if (input.checked) { setAnswer(conditionOf[input.value], input.value); }
    });
  });
  each(root.querySelectorAll(".condition-value"), function (input) {
    input.addEventListener("input", function () {
      var c = input.getAttribute("data-condition");
      var v = parseFloat(input.value);
      if (isNaN(v)) { setAnswer(c, null); return; }
      var radios = root.querySelectorAll("input[name='cond-" + c + "']");
      for (var i = 0; i < radios.length; i++) {
        var max = radios[i].getAttribute("data-max"), under = radios[i].getAttribute("data-under");
        if ((max === null || v <= parseFloat(max)) && (under === null || v < parseFloat(under))) {
          setAnswer(c, radios[i].value);
          return;
        }
      }
      setAnswer(c, null);
    });
  });
  each(root.querySelectorAll(".condition-clear"), function (button) {
    button.addEventListener("click", function () {
      var c = button.getAttribute("data-condition");
      var value = root.querySelector(".condition-value[data-condition='" + c + "']");
      if (value) { value.value = ""; }
      setAnswer(c, null);
    });
  });

  // ----- steps -------------------------------------------------------------------------------
  var boxes = root.querySelectorAll(".check-step .tick");
  each(boxes, function (box) {
    box.addEventListener("change", function () {
      var r = run();
      if (!r) { r = makeRun(t("run-default") + " " + shown(now())); r.answers = pendingAnswers; pendingAnswers = {}; }
      var step = box.parentNode.getAttribute("data-step");
      if (box.checked) { r.ticks[step] = now(); } else { delete r.ticks[step]; }
      save();
      render();
    });
  });

  function text(el, s) {
    while (el.firstChild) { el.removeChild(el.firstChild); }
    el.appendChild(document.createTextNode(s));
  }

  function message(s) { text(byId("run-message"), s || ""); }

  // Which steps changed since the run last saw the procedure: by step id (a hash of the text).
  function changes(r) {
    var out = [];
    if (!r || !r.steps) { return out; }
    var now_ = {}, then_ = {};
    each(current, function (s) { now_[s.id] = s; });
    each(r.steps, function (s, i) { then_[s.id] = i; });
    each(r.steps, function (s, i) {
      if (now_[s.id]) { return; }
      var at = current[i];
      if (at && then_[at.id] === undefined) {
        out.push({ kind: "changed", text: s.text + " → " + at.text, step: at.id });
      } else {
        out.push({ kind: "removed", text: s.text });
      }
    });
    each(current, function (s) {
      if (then_[s.id] !== undefined) { return; }
      var i = current.indexOf(s);
      var old = r.steps[i];
      if (old && !now_[old.id]) { return; } // reported as changed
      out.push({ kind: "added", text: s.text, step: s.id });
    });
    return out;
  }

  function render() {
    var r = run();
    var ticks = (r && r.ticks) || {};
    var a = answers();
    // Conditions: asked only where they apply; the answer shown.
    each(root.querySelectorAll("fieldset.condition"), function (fs) {
      var c = fs.getAttribute("data-condition");
      fs.hidden = !applies(fs.getAttribute("data-when"));
      each(fs.querySelectorAll("input[type=radio]"), function (input) { input.checked = a[c] === input.value; });
      var clear = fs.querySelector(".condition-clear");
      if (clear) { clear.hidden = !a[c]; }
    });
    var changed = {};
    each(changes(r), function (ch) { if (ch.step) { changed[ch.step] = ch.kind; } });
    var done = 0, total = 0;
    each(root.querySelectorAll(".step-group"), function (g) {
      g.hidden = !applies(g.getAttribute("data-when"));
    });
    each(root.querySelectorAll(".check-step"), function (li) {
      var id = li.getAttribute("data-step");
      var box = li.querySelector(".tick");
      var at = ticks[id];
      box.checked = !!at;
      li.className = "check-step" + (at ? " done" : "") + (changed[id] ? " step-" + changed[id] : "");
      text(li.querySelector(".tick-time"), at ? t("ticked-at") + " " + shown(at) : "");
      var group = li.parentNode.parentNode;
      if (!group.hidden) { total++; if (at) { done++; } }
    });
    text(byId("progress"), t("progress").replace("{done}", done).replace("{total}", total));
    // Runs.
    var select = byId("run-select");
    while (select.firstChild) { select.removeChild(select.firstChild); }
    if (!state.runs.length) {
      var none = document.createElement("option");
      none.value = "";
      none.appendChild(document.createTextNode(t("no-run")));
      select.appendChild(none);
    }
    each(state.runs, function (x) {
      var o = document.createElement("option");
      o.value = x.id;
      o.appendChild(document.createTextNode(x.name));
      if (x.id === state.current) { o.selected = true; }
      select.appendChild(o);
    });
    text(byId("run-created"), r ? t("created") + " " + shown(r.created) : "");
    text(byId("print-run-name"), r ? r.name : "");
    text(byId("print-run-created"), r ? shown(r.created) : "");
    each(["run-reset", "run-delete", "run-export", "print-record"], function (id) { byId(id).disabled = !r; });
    var list = byId("run-changes-list");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var chs = changes(r);
    each(chs, function (ch) {
      var li = document.createElement("li");
      li.className = "change-" + ch.kind;
      li.appendChild(document.createTextNode(t(ch.kind) + ch.text));
      list.appendChild(li);
    });
    byId("run-changes").hidden = !chs.length;
  }

  // ----- runs --------------------------------------------------------------------------------
  byId("run-select").addEventListener("change", function () {
    state.current = this.value || null;
    save();
    message("");
    render();
  });
  byId("run-new").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = byId("run-name");
    var name = input.value.replace(/^\s+|\s+$/g, "") || t("run-default") + " " + shown(now());
    for (var i = 0; i < state.runs.length; i++) {
      if (state.runs[i].name === name) { message(t("name-taken")); return; }
    }
    makeRun(name);
    input.value = "";
    save();
    message("");
    render();
  });
  // The user has seen what changed: the run now follows the procedure as it is.
  byId("run-accept").addEventListener("click", function () {
    var r = run();
    if (!r) { return; }
    r.steps = current;
    save();
    render();
  });
  byId("run-reset").addEventListener("click", function () {
    var r = run();
    if (!r || !window.confirm(t("confirm-reset"))) { return; }
    r.ticks = {};
    save();
    render();
  });
  byId("run-delete").addEventListener("click", function () {
    var r = run();
    if (!r || !window.confirm(t("confirm-delete"))) { return; }
    state.runs.splice(state.runs.indexOf(r), 1);
    state.current = state.runs.length ? state.runs[state.runs.length - 1].id : null;
    save();
    render();
  });
  byId("run-export").addEventListener("click", function () {
    var r = run();
    if (!r) { return; }
    var json = JSON.stringify({ format: FORMAT, version: 1, procedure: procedure,
      title: document.title, run: r }, null, 2);
    var file = procedure + "-" + r.name.replace(/[\\\/:*?"<>|\s]+/g, "_") + ".json";
    var blob = new Blob([json], { type: "application/json" });
    if (window.navigator.msSaveBlob) { window.navigator.msSaveBlob(blob, file); return; }
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = file;
    a.className = "export-link";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); document.body.removeChild(a); }, 1000);
  });

  // Import a run exported before (also from another computer): replaces a run with the same id.
  function importText(s) {
    if (typeof s !== "string" || s.length > MAX_IMPORT) { message(t("import-too-large")); return false; }
    var data;
    try { data = JSON.parse(s); } catch (e) { data = null; }
    var r = isObject(data) && data.format === FORMAT && isObject(data.run) && data.run.ticks
      ? validRun(data.run) : null;
    if (!r) {
      message(t("import-failed"));
      return false;
    }
    if (data.procedure !== procedure) { message(t("import-other")); return false; }
    for (var i = 0; i < state.runs.length; i++) {
      if (state.runs[i].id === r.id) { state.runs.splice(i, 1); break; }
    }
    state.runs.push(r);
    state.current = r.id;
    save();
    message("");
    render();
    return true;
  }
  // For tools and tests: the same as choosing a file.
  root.importRun = importText;
  byId("run-import").addEventListener("change", function () {
    var f = this.files && this.files[0];
    var input = this;
    if (!f) { return; }
    if (f.size > MAX_IMPORT) { message(t("import-too-large")); input.value = ""; return; }
    var reader = new FileReader();
    reader.onload = function () { importText(reader.result); input.value = ""; };
    reader.readAsText(f);
  });

  // ----- printing ----------------------------------------------------------------------------
  function printAs(kind) {
    document.body.className += " print-" + kind;
    var restore = function () {
      document.body.className = document.body.className.replace(" print-" + kind, "");
      window.removeEventListener("afterprint", restore);
    };
    window.addEventListener("afterprint", restore);
    window.print();
    // Browsers without afterprint: window.print() blocks until the dialog closes.
    setTimeout(restore, 0);
  }
  byId("print-record").addEventListener("click", function () { printAs("record"); });
  byId("print-blank").addEventListener("click", function () { printAs("blank"); });

  if (!storage) { message(t("storage-off")); } else if (damaged) { message(t("damaged").replace("{n}", damaged)); }
  byId("runs").hidden = false;
  root.className += " enhanced";
  render();
}());
