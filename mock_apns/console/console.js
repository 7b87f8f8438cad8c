"use strict";
// The mock's console (issue #20): the journal, the token registry, the faults and the counters
// of this mock, read from its admin API on the same origin. Everything shown comes from
// clients and is hostile: it is put in the page as text only (textContent, attribute values),
// never parsed as HTML; the Content-Security-Policy forbids inline and foreign scripts besides.
// The admin secret, when the mock has one, is asked for once, kept for this tab
// (sessionStorage) and sent in the Authorization header, never in a URL.

const POLL_MS = 1000;
const KEEP_SAMPLES = 180; // the chart's seconds
const SECRET_KEY = "voipsim-admin-secret";

const state = {
  secret: sessionStorage.getItem(SECRET_KEY) || "",
  view: "requests",
  entries: [], // newest first, summaries
  selected: null, // the sequence of the request shown in the detail
  selectedToken: null,
  ports: {sandbox: 0, production: 0},
  samples: [], // {ok, client, server} per second
  lastCounters: null,
  polling: false,
  drawn: "", // what the Requests list shows now
};

// ---- small helpers ---------------------------------------------------------------------------

// An element with text children only: strings become text nodes, never markup.
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === "className") node.className = value;
    else if (key === "title") node.title = value;
    else if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return node;
}

function $(id) {
  return document.getElementById(id);
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function time(ms) {
  const d = new Date(ms);
  const pad = (n, w) => String(n).padStart(w || 2, "0");
  return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + "." +
      pad(d.getMilliseconds(), 3);
}

function shortToken(token) {
  return token && token.length > 16 ? token.slice(0, 8) + "…" + token.slice(-6) : token || "—";
}

function answerText(e) {
  return e.goaway ? "GOAWAY " + (e.reason || "") : e.answer_dropped ? "no answer (dropped)" :
      String(e.status) + (e.reason ? " " + e.reason : "");
}

function deliveryClass(status) {
  if (!status) return "";
  if (status.startsWith("Delivered")) return "delivery-done";
  if (status.startsWith("Stored")) return "delivery-wait";
  return "delivery-lost";
}

// A shell word: single quotes, with each ' written as '\''.
function shellQuote(text) {
  return "'" + String(text).replace(/'/g, "'\\''") + "'";
}

// ---- the admin API ---------------------------------------------------------------------------

async function api(method, path, body) {
  const headers = {};
  if (state.secret) headers["Authorization"] = "Bearer " + state.secret;
  // Every write says JSON, as the admin API asks of browsers (mock_apns/README.md, "Browsers").
  if (method !== "GET") headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method: method,
    headers: headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  if (response.status === 401) {
    askForSecret(state.secret ? "that secret was refused" : "");
    throw new Error("the admin secret is needed");
  }
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch (ignored) {
    json = null;
  }
  if (!response.ok) throw new Error(json && json.message ? json.message : response.status + "");
  return json;
}

function askForSecret(problem) {
  $("secret-form").hidden = false;
  $("secret-problem").textContent = problem || "";
  $("secret").focus();
}

function setConnection(ok, text) {
  const node = $("connection");
  node.textContent = text;
  node.className = "connection" + (ok ? "" : " bad");
}

// ---- Requests --------------------------------------------------------------------------------

function filters() {
  const form = $("filters");
  const value = (name) => form.elements[name].value.trim();
  return {
    token: value("token").toLowerCase(),
    topic: value("topic"),
    push_type: value("push_type"),
    environment: value("environment"),
    answer: value("answer").toLowerCase(),
    text: value("text"),
  };
}

function journalPath(f) {
  let path = "/v1/journal?summary=true&limit=500";
  if (f.push_type) path += "&push_type=" + encodeURIComponent(f.push_type);
  if (f.environment) path += "&environment=" + encodeURIComponent(f.environment);
  if (f.text) path += "&text=" + encodeURIComponent(f.text);
  return path;
}

function shown(e, f) {
  if (f.token && !(e.token || "").toLowerCase().includes(f.token)) return false;
  if (f.topic && !(e.topic || "").includes(f.topic)) return false;
  if (f.answer && !answerText(e).toLowerCase().includes(f.answer)) return false;
  return true;
}

async function pollRequests() {
  const f = filters();
  const page = await api("GET", journalPath(f));
  state.entries = page.entries.reverse(); // newest first
  sample(page.counters);
  renderRequests(f);
  if (state.view === "overview") renderOverview(page.counters);
}

function renderRequests(f) {
  const body = $("requests").tBodies[0];
  const rows = state.entries.filter((e) => shown(e, f));
  // Redrawn only when what it shows changed: a steady list keeps its rows (and the reader's
  // place) between polls.
  const drawn = JSON.stringify(rows.map((e) => [e.sequence, e.delivery_status])) + state.selected;
  if (drawn === state.drawn) return;
  state.drawn = drawn;
  clear(body);
  for (const e of rows) {
    const answerClass = e.status === 200 ? "answer-ok" : "answer-bad";
    // The answer and where the push went first: they stay in sight beside the detail.
    const row = el("tr", {"data-sequence": e.sequence},
        el("td", {className: "mono"}, time(e.time_ms)),
        el("td", {className: answerClass}, answerText(e)),
        el("td", {className: deliveryClass(e.delivery_status)}, e.delivery_status || ""),
        el("td", {}, e.environment),
        el("td", {className: "mono", title: e.token}, shortToken(e.token)),
        el("td", {title: e.topic}, e.topic || "—"),
        el("td", {}, e.push_type || "—"),
        el("td", {}, e.priority === null ? "—" : e.priority),
        el("td", {title: e.auth}, e.auth));
    if (e.sequence === state.selected) row.className = "selected";
    row.addEventListener("click", () => showRequest(e.sequence));
    body.append(row);
  }
  $("requests-empty").hidden = state.entries.length > 0;
  $("request-count").textContent = rows.length + " of " + state.entries.length + " shown";
}

function table(rows) {
  const t = el("table");
  for (const [name, value] of rows) t.append(el("tr", {}, el("td", {}, name), el("td", {}, value)));
  return t;
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (ignored) {
    return text;
  }
}

// The same request for curl, with the credentials as placeholders.
function curlOf(e) {
  const host = e.environment === "production" ? "api.push.apple.com" : "api.sandbox.push.apple.com";
  const port = state.ports[e.environment] || 443;
  const lines = ["curl -v --http2 --cacert PKI/ca-bundle.pem \\",
    "  --resolve " + host + ":" + port + ":127.0.0.1 \\"];
  if (e.auth_kind === "certificate") {
    lines.push("  --cert PROVIDER-CERT.pem --key PROVIDER-CERT.key \\");
  }
  for (const h of e.request_headers) {
    // curl writes its own length (the kept body may be cut) and the summary is not a field.
    if (h.name === "content-length" || h.name === "(not kept)") continue;
    if (h.name === "authorization") {
      lines.push("  -H \"authorization: bearer $JWT\" \\"); // e.g. JWT=$(voipsim jwt --pki PKI)
    } else {
      lines.push("  -H " + shellQuote(h.name + ": " + h.value) + " \\");
    }
  }
  // Without a body curl would send GET.
  if (e.method && (e.method !== "POST" || !e.body)) {
    lines.push("  -X " + shellQuote(e.method) + " \\");
  }
  if (e.body) lines.push("  --data-binary " + shellQuote(e.body) + " \\");
  lines.push("  " + shellQuote("https://" + host + ":" + port + e.path));
  if (e.body_truncated || e.body_base64url) {
    lines.unshift("# the body below is not the one sent: " +
        (e.body_truncated ? "the journal kept only its first " + e.body.length + " characters"
                          : "it was not UTF-8 (see body_base64url in the API)"));
  }
  return lines.join("\n");
}

async function showRequest(sequence) {
  state.selected = sequence;
  const aside = $("detail");
  let e;
  try {
    e = await api("GET", "/v1/journal/" + sequence);
  } catch (error) {
    clear(aside);
    aside.append(el("p", {className: "problem"}, error.message));
    aside.hidden = false;
    return;
  }
  clear(aside);
  aside.hidden = false;
  aside.append(el("h2", {className: "mono"}, e.method + " " + e.path));
  aside.append(el("p", {className: e.status === 200 ? "answer-ok" : "answer-bad"},
      answerText(e) + " · " + e.environment + " · " + new Date(e.time_ms).toISOString()));
  if (e.cause) aside.append(el("div", {className: "cause" + (e.status === 200 ? " ok" : "")},
      e.cause));

  aside.append(el("h3", {}, "Request headers"));
  aside.append(table(e.request_headers.map((h) => [h.name, h.value])));
  if (e.jwt) {
    aside.append(el("h3", {}, "Provider token (signature not kept: " + e.jwt.signature + ")"));
    aside.append(el("pre", {}, JSON.stringify({header: e.jwt.header, claims: e.jwt.claims},
        null, 2)));
  }
  aside.append(el("h3", {}, "Payload (" + e.payload_bytes + " bytes" +
      (e.body_truncated ? ", cut to the journal's limit" : "") + ")"));
  aside.append(el("pre", {}, e.body ? pretty(e.body) : "(empty)"));

  aside.append(el("h3", {}, "Answer"));
  aside.append(table([[":status", String(e.status)]].concat(
      e.answer_headers.map((h) => [h.name, h.value]))));
  if (e.answer_body) aside.append(el("pre", {}, pretty(e.answer_body)));

  if (e.delivery.length > 0) {
    aside.append(el("h3", {}, "Delivery"));
    aside.append(table(e.delivery.map((s) => [time(s.time_ms),
      s.status === "Device" ? "device: " + s.detail : s.status])));
  }
  aside.append(el("h3", {}, "Copy as curl"));
  const curl = curlOf(e);
  const copy = el("button", {type: "button"}, "Copy");
  copy.addEventListener("click", () => {
    if (navigator.clipboard) navigator.clipboard.writeText(curl);
  });
  aside.append(el("pre", {id: "curl"}, curl), copy);
  for (const row of $("requests").tBodies[0].rows) {
    row.className = Number(row.dataset.sequence) === sequence ? "selected" : "";
  }
}

// ---- Tokens ----------------------------------------------------------------------------------

async function pollTokens() {
  const page = await api("GET", "/v1/tokens?limit=1000");
  // Each token's last accepted push among the requests the page holds (newest first).
  const lastPush = new Map();
  for (const e of state.entries) {
    const token = (e.token || "").toLowerCase();
    if (e.status === 200 && !lastPush.has(token)) lastPush.set(token, e.time_ms);
  }
  const body = $("tokens").tBodies[0];
  clear(body);
  for (const t of page.tokens) {
    const last = lastPush.get(t.token.toLowerCase());
    const row = el("tr", {},
        el("td", {className: "mono", title: t.token}, shortToken(t.token)),
        el("td", {}, t.environment), el("td", {}, t.topic), el("td", {}, t.state),
        el("td", {}, t.timestamp ? new Date(t.timestamp).toISOString() : "—"),
        el("td", {}, last ? time(last) : "—"));
    if (t.token === state.selectedToken) row.className = "selected";
    row.addEventListener("click", () => showToken(t.token));
    body.append(row);
  }
  $("tokens-empty").hidden = page.tokens.length > 0;
  if (state.selectedToken) await showToken(state.selectedToken);
}

async function showToken(token) {
  state.selectedToken = token;
  const o = await api("GET", "/v1/tokens/" + encodeURIComponent(token) + "/outlook");
  const aside = $("outlook");
  clear(aside);
  aside.hidden = false;
  aside.append(el("h2", {className: "mono"}, token));
  aside.append(el("p", {className: "verdict", id: "outlook-summary"}, o.summary));
  aside.append(table([
    ["a push now", o.can_push ? "gets 200" : "is refused"],
    ["would it ring", o.would_ring === null ? "no device reported yet" :
      o.would_ring ? "yes, the last call was shown" : "no"],
    ["last accepted push", o.last_push_ms ? new Date(o.last_push_ms).toISOString() : "—"],
  ]));
  if (o.notes.length > 0) {
    const list = el("ul");
    for (const note of o.notes) list.append(el("li", {}, note));
    aside.append(list);
  }
  for (const row of $("tokens").tBodies[0].rows) {
    row.className = row.cells[0].title === token ? "selected" : "";
  }
}

// ---- Faults ----------------------------------------------------------------------------------

async function pollFaults() {
  const page = await api("GET", "/v1/faults");
  const body = $("faults").tBodies[0];
  clear(body);
  for (const f of page.faults) {
    const answer = [f.reason, f.goaway ? "GOAWAY " + f.goaway : "", f.drop ? "dropped" : "",
      f.latency_ms ? f.latency_ms + " ms late" : ""].filter(Boolean).join(", ");
    const remove = el("button", {type: "button"}, "Delete");
    remove.addEventListener("click", async () => {
      await api("DELETE", "/v1/faults/" + f.id);
      pollFaults();
    });
    body.append(el("tr", {}, el("td", {}, f.id), el("td", {}, f.scope), el("td", {}, f.match),
        el("td", {}, answer || "—"),
        el("td", {}, f.count < 0 ? "forever" : String(f.count)), el("td", {}, remove)));
  }
  $("faults-empty").hidden = page.faults.length > 0;
}

async function addFault(event) {
  event.preventDefault();
  const form = $("fault-form");
  const v = (name) => form.elements[name].value.trim();
  const rule = {scope: v("scope"), count: Number(v("count")), skip: Number(v("skip")),
    latency_ms: Number(v("latency_ms")), probability: Number(v("probability")),
    drop: form.elements.drop.checked};
  if (v("match")) rule.match = v("match");
  if (v("reason")) rule.reason = v("reason");
  if (form.elements.goaway.checked) rule.goaway = v("reason") || "Shutdown";
  try {
    await api("POST", "/v1/faults", rule);
    $("fault-problem").textContent = "";
  } catch (error) {
    $("fault-problem").textContent = error.message;
  }
  pollFaults();
}

// ---- Send ------------------------------------------------------------------------------------

async function fillTokenChoices() {
  const page = await api("GET", "/v1/tokens?limit=1000");
  const list = $("token-list");
  clear(list);
  for (const t of page.tokens) {
    list.append(el("option", {value: t.token}, t.environment + " " + t.topic + " " + t.state));
  }
}

async function sendPush(event) {
  event.preventDefault();
  const form = $("send-form");
  const v = (name) => form.elements[name].value.trim();
  const push = {environment: v("environment"), auth: v("auth"), token: v("token"),
    push_type: v("push_type"), priority: Number(v("priority")), payload: form.elements.payload.value};
  if (v("topic")) push.topic = v("topic");
  if (v("expiration")) push.expiration = Number(v("expiration"));
  if (v("collapse_id")) push.collapse_id = v("collapse_id");
  const aside = $("send-answer");
  clear(aside);
  aside.hidden = false;
  try {
    const answer = await api("POST", "/v1/send", push);
    let reason = "";
    try {
      reason = answer.body ? JSON.parse(answer.body).reason || "" : "";
    } catch (ignored) {
      reason = "";
    }
    aside.append(el("h2", {id: "send-status"}, "Answered " + answer.status + " " + reason));
    aside.append(table([["apns-id", answer.apns_id]]));
    if (answer.body) aside.append(el("pre", {}, pretty(answer.body)));
    const e = await api("GET", "/v1/journal/" + encodeURIComponent(answer.apns_id));
    if (e.cause) aside.append(el("div", {className: "cause" + (e.status === 200 ? " ok" : "")},
        e.cause));
    if (e.delivery_status) aside.append(el("p", {}, "Delivery: " + e.delivery_status));
    aside.append(el("p", {className: "muted"}, "It is in the Requests view with the others."));
  } catch (error) {
    aside.append(el("p", {className: "problem"}, error.message));
  }
}

// ---- Overview --------------------------------------------------------------------------------

function statusClasses(counters) {
  const out = {ok: 0, client: 0, server: 0};
  for (const [status, n] of Object.entries(counters.by_status || {})) {
    if (status < 300) out.ok += n;
    else if (status < 500) out.client += n;
    else out.server += n;
  }
  return out;
}

// One sample a poll: the requests answered since the last one, by class of answer.
function sample(counters) {
  const now = statusClasses(counters);
  const last = state.lastCounters;
  state.lastCounters = now;
  if (!last) return;
  const delta = (key) => Math.max(0, now[key] - last[key]);
  state.samples.push({ok: delta("ok"), client: delta("client"), server: delta("server")});
  if (state.samples.length > KEEP_SAMPLES) state.samples.shift();
}

function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

function renderOverview(counters) {
  const tiles = $("counters");
  clear(tiles);
  const classes = statusClasses(counters);
  for (const [label, value] of [["requests", counters.requests], ["accepted (2xx)", classes.ok],
    ["refused (4xx)", classes.client], ["APNs errors (5xx)", classes.server],
    ["left unanswered", counters.answers_dropped], ["beyond the ring", counters.dropped_from_ring]]) {
    tiles.append(el("div", {className: "counter"}, el("b", {}, value), el("span", {}, label)));
  }
  // Drawn at the size it is shown, so that text keeps its size and the newest second is at the
  // right edge.
  const width = Math.max(300, $("chart").clientWidth - 16), height = 220, pad = 40;
  const chart = svg("svg", {viewBox: "0 0 " + width + " " + height, role: "img",
    "aria-label": "requests per second by answer"});
  const max = Math.max(1, ...state.samples.map((s) => s.ok + s.client + s.server));
  const bar = (width - pad) / KEEP_SAMPLES;
  chart.append(svg("line", {x1: pad, y1: height - pad, x2: width, y2: height - pad,
    stroke: "#dfe3ea"}));
  const label = svg("text", {x: 2, y: 12, "font-size": 11, fill: "#687086"});
  label.textContent = max + "/s";
  chart.append(label);
  const colors = {ok: "#1f8a4c", client: "#b26a00", server: "#c0392b"};
  state.samples.forEach((s, i) => {
    let y = height - pad;
    for (const key of ["ok", "client", "server"]) {
      const h = (s[key] / max) * (height - 2 * pad);
      if (h <= 0) continue;
      y -= h;
      chart.append(svg("rect", {x: pad + (KEEP_SAMPLES - state.samples.length + i) * bar, y: y,
        width: Math.max(1, bar - 1), height: h, fill: colors[key]}));
    }
  });
  const axis = svg("text", {x: pad, y: height - 8, "font-size": 11, fill: "#687086"});
  axis.textContent = "\u2212" + KEEP_SAMPLES + " s";
  chart.append(axis);
  const now = svg("text", {x: width - 4, y: height - 8, "font-size": 11, fill: "#687086",
    "text-anchor": "end"});
  now.textContent = "now";
  chart.append(now);
  clear($("chart"));
  $("chart").append(chart);
  const legend = $("legend");
  clear(legend);
  for (const [cls, text] of [["swatch-ok", "accepted"], ["swatch-4xx", "4xx"],
    ["swatch-5xx", "5xx"]]) {
    legend.append(el("span", {}, el("i", {className: cls}), text));
  }
}

// ---- views and the poll loop -----------------------------------------------------------------

function showView(name) {
  if (!["requests", "tokens", "faults", "send", "overview"].includes(name)) name = "requests";
  state.view = name;
  for (const section of document.querySelectorAll(".view")) {
    section.hidden = section.id !== "view-" + name;
  }
  for (const link of document.querySelectorAll("#nav a")) {
    link.className = link.dataset.view === name ? "active" : "";
  }
  refresh();
}

async function refresh() {
  if (state.polling) return;
  state.polling = true;
  try {
    const health = await api("GET", "/v1/health");
    state.ports = {sandbox: health.sandbox_port, production: health.production_port};
    await pollRequests();
    if (state.view === "tokens") await pollTokens();
    if (state.view === "faults") await pollFaults();
    if (state.view === "send" && !state.tokenChoices) {
      await fillTokenChoices();
      state.tokenChoices = true;
    }
    setConnection(true, "live · sandbox :" + health.sandbox_port + " · production :" +
        health.production_port);
  } catch (error) {
    setConnection(false, error.message);
  } finally {
    state.polling = false;
  }
}

function start() {
  $("secret-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.secret = $("secret").value.trim();
    sessionStorage.setItem(SECRET_KEY, state.secret);
    $("secret").value = "";
    $("secret-form").hidden = true;
    refresh();
  });
  $("filters").addEventListener("input", () => {
    if (state.view === "requests") refresh();
  });
  $("filters").addEventListener("submit", (event) => event.preventDefault());
  $("fault-form").addEventListener("submit", addFault);
  $("send-form").addEventListener("submit", sendPush);
  $("clear-faults").addEventListener("click", async () => {
    try {
      await api("DELETE", "/v1/faults");
      $("fault-problem").textContent = "";
    } catch (error) {
      $("fault-problem").textContent = error.message;
    }
    pollFaults();
  });
  window.addEventListener("hashchange", () => showView(location.hash.slice(1)));
  showView(location.hash.slice(1));
  setInterval(refresh, POLL_MS);
}

document.addEventListener("DOMContentLoaded", start);
