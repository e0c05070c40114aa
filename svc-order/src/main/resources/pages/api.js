// What both pages share: the token, calls to svc-order with their errors in words, and a server-sent event stream
// that can carry a token (EventSource cannot send an Authorization header, so the stream is read with fetch).

const TOKEN_KEY = "orderflow.token";

/** The bearer token the person pasted, kept for this tab only. */
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value.trim().replace(/^Bearer\s+/i, "")),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
  /** The token's claims, read without checking it (the services check it): who the page says is signed in. */
  claims() {
    const value = token.get();
    if (!value) return null;
    try {
      const payload = value.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(decodeURIComponent(escape(atob(payload))));
    } catch {
      return {};
    }
  },
};

/** An answer other than 2xx, with the problem+json the service sent. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

/** Calls svc-order with the token; the JSON answer (null for 204), or an ApiError, or a TypeError when offline. */
export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (token.get()) headers.Authorization = `Bearer ${token.get()}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return null;
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { title: `HTTP ${response.status}`, detail: text.slice(0, 200) };
  }
  if (!response.ok) throw new ApiError(response.status, parsed || {}, response.headers.get("Retry-After"));
  return parsed;
}

/** What went wrong, in words a person can act on. */
export function describe(error) {
  if (!(error instanceof ApiError)) {
    return `svc-order did not answer (${error.message}). Is it running? Try again in a moment.`;
  }
  const problem = error.problem;
  const fields = (problem.errors || []).map((e) => `${e.field} ${e.message}`).join("; ");
  const detail = [problem.detail, fields].filter(Boolean).join(": ");
  switch (error.status) {
    case 401:
      return `Your token was refused (${detail || "no token"}). Paste a valid one above.`;
    case 403:
      return `Not allowed: ${detail}`;
    case 404:
      return `Not found: ${detail}`;
    case 409:
      return `Not possible now: ${detail}`;
    case 413:
    case 414:
    case 431:
      return `The request is too large: ${detail}`;
    case 429:
    case 503:
      return `Busy: ${detail}${error.retryAfter ? ` Try again in ${error.retryAfter} s.` : ""}`;
    case 502:
      return `Another service did not answer: ${detail}`;
    default:
      return `${problem.title || `HTTP ${error.status}`}: ${detail}`;
  }
}

/**
 * Follows a server-sent event stream with the token. Each event goes to onEvent(type, data, id); onState("live" |
 * "reconnecting" | "ended" | "failed", detail) tells how the stream does. When the connection drops before done()
 * holds, it reconnects after 1, 2, 4 ... 10 s with the last event's id (Last-Event-ID), so that nothing is missed or
 * seen twice. Returns a function that stops following.
 */
export function follow(path, { onEvent, onState, done }) {
  let lastEventId = null;
  let stopped = false;
  let controller = null;
  let wait = 1000;

  async function connect() {
    controller = new AbortController();
    const headers = { Accept: "text/event-stream" };
    if (token.get()) headers.Authorization = `Bearer ${token.get()}`;
    if (lastEventId !== null) headers["Last-Event-ID"] = lastEventId;
    const response = await fetch(path, { headers, signal: controller.signal, cache: "no-store" });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new ApiError(response.status, problem, response.headers.get("Retry-After"));
    }
    onState("live");
    wait = 1000;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done: closed } = await reader.read();
      if (closed) return;
      buffer += value.replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  function dispatch(block) {
    let type = "message";
    let id = null;
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue; // a heartbeat
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") type = value;
      else if (field === "data") data.push(value);
      else if (field === "id") id = value;
    }
    if (id !== null) lastEventId = id;
    if (data.length > 0) onEvent(type, data.join("\n"), id);
  }

  async function run() {
    while (!stopped) {
      try {
        await connect();
      } catch (error) {
        if (stopped) return;
        if (error instanceof ApiError && error.status !== 503) {
          onState("failed", describe(error));
          return;
        }
      }
      if (stopped) return;
      if (done()) {
        onState("ended");
        return;
      }
      onState("reconnecting", `reconnecting in ${Math.round(wait / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 10000);
    }
  }

  run();
  return () => {
    stopped = true;
    if (controller) controller.abort();
  };
}

/**
 * Builds a page's sign-in form (its data-label and data-hint say what token to paste): paste a token, see who it
 * names, use another, sign out. onChange runs when the token changes.
 */
export function signIn(form, onChange) {
  const who = el("span", { "aria-live": "polite" });
  const change = el("button", { type: "button", hidden: true, "data-change": true }, "Use another token");
  const out = el("button", { type: "button", hidden: true }, "Sign out");
  const input = el("textarea", { id: "token", rows: 2, autocomplete: "off", spellcheck: "false",
    placeholder: `eyJhbGciOi… (with make up: ${form.dataset.hint})` });
  const entry = el("div", {}, el("label", { for: "token" }, form.dataset.label), input,
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Use this token")));
  form.replaceChildren(el("h2", { class: "visually-hidden" }, "Sign in"), el("div", { class: "actions" }, who, change, out), entry);
  function show() {
    const claims = token.claims();
    entry.hidden = Boolean(claims);
    change.hidden = !claims;
    if (!claims) {
      who.textContent = "Not signed in: paste a token.";
      out.hidden = true;
      return;
    }
    const roles = [claims.scope, claims.scp, claims.roles, claims.realm_access && claims.realm_access.roles].flat().filter(Boolean).join(" ");
    const operator = /orderflow-operator|operator/.test(roles);
    const expires = claims.exp ? ` until ${new Date(claims.exp * 1000).toLocaleTimeString()}` : "";
    const name = claims.preferred_username || claims.sub;
    who.textContent = name ? `Signed in as ${name}${operator ? " (operator)" : ""}${expires}.`
      : "Using a token that is not a readable JWT: the services will say whether they take it.";
    out.hidden = false;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.value.trim()) return;
    token.set(input.value);
    input.value = "";
    show();
    onChange();
  });
  change.addEventListener("click", () => {
    entry.hidden = false;
    input.focus();
  });
  out.addEventListener("click", () => {
    token.clear();
    show();
    onChange();
  });
  show();
}

/** Milliseconds as a person reads them: 12 ms, 1.4 s, 3 min. */
export function duration(ms) {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3600000) return `${Math.round(ms / 60000)} min`;
  return `${(ms / 3600000).toFixed(1)} h`;
}

/** An element with text and attributes: the pages build their DOM with this, never with HTML strings of data. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) element.append(child instanceof Node ? child : String(child));
  }
  return element;
}
