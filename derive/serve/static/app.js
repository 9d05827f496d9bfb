// derive serve: the editor on the left, the checked derivation on the right.
// Every piece of user text reaches the page through textContent or KaTeX (which
// escapes what it does not typeset); nothing is ever assigned to innerHTML.
"use strict";

const DEBOUNCE_MS = 250;
const $ = (id) => document.getElementById(id);
const source = $("source");

const state = {
  path: null, seq: 0, shown: 0, saved: "", ws: null,
  steps: [],            // from the last "steps" message: what the page shows
  verdicts: {},         // step index -> verdict, for the shown seq
  previous: new Map(),  // LaTeX of a step -> its last verdict (shown greyed until the new one)
  error: null,          // {message, line, column} when the text cannot be read
};

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

// --- the connection ----------------------------------------------------------
function connect() {
  const ws = new WebSocket(`ws://${location.host}/live`);
  state.ws = ws;
  ws.onopen = () => { setStatus("connected"); send(); };
  ws.onmessage = (event) => receive(JSON.parse(event.data));
  ws.onclose = () => { setStatus("disconnected; reconnecting…"); setTimeout(connect, 1000); };
}

let timer = null;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(send, DEBOUNCE_MS);
  drawGutter();
}

function send() {
  if (!state.ws || state.ws.readyState !== WebSocket.OPEN || state.path === null) return;
  state.seq += 1;
  setStatus("checking…");
  state.ws.send(JSON.stringify({ seq: state.seq, path: state.path, text: source.value }));
}

function receive(msg) {
  if (msg.seq !== state.seq && msg.seq !== 0) return;      // an answer to an older text
  if (msg.type === "steps") {
    rememberShown();
    state.error = null;
    state.steps = msg.steps;
    state.verdicts = {};
    $("title").textContent = msg.title;
    $("problem").hidden = true;
    drawSteps();
  } else if (msg.type === "verdicts") {
    for (const [index, verdict] of Object.entries(msg)) {
      if (index === "type" || index === "seq") continue;
      state.verdicts[index] = verdict;
      drawVerdict(Number(index));
    }
  } else if (msg.type === "done") {
    const counts = Object.entries(msg.counts).map(([s, n]) => `${n} ${s}`).join(", ");
    const total = Object.values(msg.counts).reduce((a, b) => a + b, 0);
    $("summary").textContent = `${total} step${total === 1 ? "" : "s"}: ${counts}`;
    setStatus(`checked in ${Math.round(msg.seconds * 1000)} ms · ${msg.rechecked} re-checked`);
  } else if (msg.type === "error") {
    state.error = msg;
    $("problem").textContent = msg.message;
    $("problem").hidden = false;
    setStatus("cannot read the text");
    for (const node of document.querySelectorAll(".step")) node.classList.add("stale");
  } else if (msg.type === "failure") {
    setStatus(msg.message);
  }
  if (msg.type !== "superseded") drawGutter();
}

function rememberShown() {
  for (const step of state.steps) {
    const v = state.verdicts[step.index];
    if (v) state.previous.set(step.tex || step.printed, v);
  }
  if (state.previous.size > 5000) state.previous.clear();
}

// --- the checked derivation (right) ------------------------------------------
function typeset(node, step) {
  const options = { displayMode: true, throwOnError: true, trust: false, strict: "ignore",
                    maxSize: 40, maxExpand: 300 };
  for (const tex of [step.tex, step.printed]) {
    if (!tex) continue;
    try { katex.render(tex, node, options); return; } catch (e) { /* try the next form */ }
  }
  node.textContent = step.tex || step.printed;
}

// Text with $math$ in it (a justification): the math typeset, the rest as text.
function prose(node, text) {
  const pieces = String(text || "").split(/(?<!\\)\$([^$]+)\$/);
  pieces.forEach((piece, i) => {
    if (i % 2 === 0) { node.append(document.createTextNode(piece)); return; }
    const span = el("span");
    try {
      katex.render(piece, span, { throwOnError: true, trust: false, strict: "ignore", maxExpand: 100 });
    } catch (e) {
      span.textContent = `$${piece}$`;
    }
    node.append(span);
  });
}

function drawSteps() {
  const box = $("steps");
  box.replaceChildren();
  let part = null;
  for (const step of state.steps) {
    if (step.part !== part) {
      part = step.part;
      box.append(el("h2", "part", `(${step.part}) ${step.part_title || ""}`.trim()));
    }
    const row = el("div", "step");
    row.dataset.index = step.index;
    row.dataset.line = step.line;
    if (!step.starts_chain) row.classList.add("continues");
    const mark = el("span", "mark pending", "…");
    const math = el("div", "math");
    typeset(math, step);
    const why = el("div", "why");
    prose(why, step.justification);
    row.append(mark, el("span", "num", `${step.part}.${step.index}`), math, why);
    box.append(row);
    const earlier = state.previous.get(step.tex || step.printed);
    if (earlier) { paint(row, earlier); row.classList.add("stale"); }
  }
}

function drawVerdict(index) {
  const row = document.querySelector(`.step[data-index="${index}"]`);
  if (row) { paint(row, state.verdicts[index]); row.classList.remove("stale"); }
}

function paint(row, v) {
  row.dataset.status = v.status;
  const mark = row.querySelector(".mark");
  mark.className = `mark ${v.status}`;
  mark.textContent = v.mark;
  mark.title = `${v.status}: ${v.method}`;
  for (const old of row.querySelectorAll(".detail, details")) old.remove();
  if (v.status === "failed" || v.status === "unknown" || v.status === "checked") {
    const detail = el("div", `detail ${v.status}`);
    detail.append(el("span", "", `${v.status}: ${v.reason || v.method}`));
    if (v.counterexample) {
      detail.append(el("br"), el("span", "cex", `counterexample: ${v.point || describe(v.counterexample)}`));
    }
    row.append(detail);
  }
  const cert = certificateLines(v.certificate);
  if ((v.status === "proved" || v.status === "cited") && (cert.length || v.method)) {
    const details = el("details");
    details.append(el("summary", "", "certificate"),
                   el("pre", "", [`method: ${v.method}`, ...cert].join("\n")));
    row.append(details);
  }
}

function describe(point) {
  return Object.entries(point).map(([k, val]) => `${k} = ${val}`).join(", ");
}

function certificateLines(cert) {
  if (Array.isArray(cert)) return cert.map(String);
  if (cert && typeof cert === "object") return [JSON.stringify(cert, null, 1)];
  return [];
}

// --- the editor (left): marks in the gutter, notes at the lines ---------------
let charWidth = 7.8;
function measure() {
  const probe = el("span", "", "x".repeat(100));
  probe.style.visibility = "hidden";
  probe.style.position = "absolute";
  probe.style.whiteSpace = "pre";
  $("wrap").append(probe);
  charWidth = probe.getBoundingClientRect().width / 100 || charWidth;
  probe.remove();
}

function marksByLine() {
  const byLine = new Map();
  if (state.error && state.error.line) {
    byLine.set(state.error.line, { status: "error", mark: "✗", note: state.error.message });
    return byLine;
  }
  for (const step of state.steps) {
    const v = state.verdicts[step.index];
    if (!step.line) continue;
    if (!v) { byLine.set(step.line, { status: "pending", mark: "…" }); continue; }
    let note = null;
    if (v.status === "failed") {
      const point = v.counterexample ? (v.point || describe(v.counterexample)) : "";
      note = `✗ ${v.reason || "failed"}` + (point ? ` · counterexample: ${point}` : "");
    } else if (v.status === "unknown") {
      note = `? ${v.reason || "unknown"}`;
    }
    byLine.set(step.line, { status: v.status, mark: v.mark, note });
  }
  return byLine;
}

function drawGutter() {
  const lines = source.value.split("\n");
  const byLine = marksByLine();
  const rows = el("div", "rows");
  const layer = el("div", "layer");
  lines.forEach((text, i) => {
    const n = i + 1;
    const row = el("div", "row");
    const got = byLine.get(n);
    const mark = el("span", "mark", got ? got.mark : "");
    if (got) {
      mark.classList.add(got.status);
      row.classList.add(got.status);
      mark.dataset.line = n;
      mark.dataset.status = got.status;
    }
    row.append(el("span", "num", String(n)), mark);
    rows.append(row);
    if (got && got.note) {
      // At its line, after the math (over the % justification, if any), or against the
      // right edge when that is out of sight.
      const note = el("div", `note ${got.status}`, got.note);
      note.dataset.line = n;
      note.title = got.note;
      note.style.top = `${i * lineHeight()}px`;
      note.dataset.column = String(codeEnd(text.replace(/\t/g, "    ")) + 3);
      layer.append(note);
    }
  });
  $("gutter").replaceChildren(rows);
  $("notes").replaceChildren(layer);
  sync();
}

function codeEnd(line) {
  const comment = line.search(/(?<!\\)%/);
  return (comment < 0 ? line : line.slice(0, comment)).trimEnd().length;
}

function lineHeight() {
  return parseFloat(getComputedStyle(source).lineHeight) || 20;
}

function sync() {
  const rows = $("gutter").firstChild;
  const layer = $("notes").firstChild;
  if (rows) rows.style.transform = `translateY(${-source.scrollTop}px)`;
  if (!layer) return;
  layer.style.transform = `translateY(${-source.scrollTop}px)`;
  const width = $("notes").clientWidth - 24;
  for (const note of layer.children) {
    const after = Math.max(0, Number(note.dataset.column) * charWidth - source.scrollLeft);
    const room = width - after;
    const left = room >= 220 ? after : Math.max(0, width - 320);
    note.style.left = `${left}px`;
    note.style.maxWidth = `${width - left}px`;
  }
}

// --- files -------------------------------------------------------------------
async function api(url, options) {
  const response = await fetch(url, options);
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

async function open(path) {
  try {
    const data = await api(`/api/file?path=${encodeURIComponent(path)}`);
    state.path = data.path;
    state.saved = data.text;
    state.steps = [];
    state.verdicts = {};
    state.previous.clear();
    source.value = data.text;
    $("steps").replaceChildren();
    $("summary").textContent = "";
    history.replaceState(null, "", `#${encodeURIComponent(path)}`);
    drawGutter();
    send();
  } catch (e) {
    setStatus(`cannot open ${path}: ${e.message}`);
  }
}

async function save() {
  if (state.path === null) return;
  const text = source.value;
  try {
    await api("/api/file", { method: "PUT", headers: { "Content-Type": "application/json" },
                             body: JSON.stringify({ path: state.path, text }) });
    state.saved = text;
    setStatus(`saved ${state.path}`);
  } catch (e) {
    setStatus(`not saved: ${e.message}`);
  }
}

function setStatus(text) {
  const dirty = state.path !== null && source.value !== state.saved ? " · unsaved" : "";
  $("status").textContent = text + dirty;
}

async function start() {
  measure();
  source.addEventListener("input", schedule);
  source.addEventListener("scroll", sync);
  source.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(); }
    if (e.key === "Tab") {
      e.preventDefault();
      document.execCommand("insertText", false, "  ");
    }
  });
  $("save").addEventListener("click", save);
  $("file").addEventListener("change", (e) => open(e.target.value));
  const { files, start: first } = await api("/api/files");
  const wanted = decodeURIComponent(location.hash.slice(1)) || first || files[0];
  for (const f of files) $("file").append(new Option(f, f, false, f === wanted));
  connect();
  if (wanted) await open(wanted);
}

window.addEventListener("DOMContentLoaded", start);
