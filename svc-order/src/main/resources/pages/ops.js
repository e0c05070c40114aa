// The operations page: every instance's readiness and figures, parked outbox rows, dead letters and stuck orders,
// refreshed every 2 s; retry, drop and replay with a click. Every call needs an operator's token.
import { api, describe, duration, el, signIn, token } from "/pages/api.js";

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 2000;
// Reading the dead-letter topic takes a Kafka consumer of its own on svc-order: every 5th refresh (10 s), or at once
// after an action or a change of the filter.
const SLOW_EVERY = 5;
let previous = new Map(); // instance url -> { at, applied }: events/s is the change between two reads
let timer = null;
let refreshing = false;
let ticks = 0;

function message(text, kind = "error") {
  $("message").textContent = text || "";
  $("message").dataset.kind = kind;
  $("message").hidden = !text;
}

async function refresh(everything = false) {
  if (!token.get() || refreshing) return;
  refreshing = true;
  const slow = everything || ticks++ % SLOW_EVERY === 0;
  try {
    const [overview, deadLetters, stuck] = await Promise.all([api("/ops/overview"),
      slow ? api("/admin/dead-letters?limit=50") : null,
      slow ? api(`/admin/stuck-orders?older_than_seconds=${$("older-than").value}`) : null]);
    if ($("message").dataset.kind !== "done") message("");
    showInstances(overview.instances);
    await showParked(overview.instances);
    if (slow) {
      showDeadLetters(deadLetters.dead_letters);
      showStuck(stuck);
    }
    $("refreshed").textContent = `Refreshed ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    message(describe(error));
  } finally {
    refreshing = false;
  }
}

function showInstances(instances) {
  const seen = new Map();
  $("instances").replaceChildren(...instances.map((instance) => {
    const status = instance.status;
    if (!status) {
      return el("tr", { class: "down" }, el("th", { scope: "row" }, instance.service, el("span", { class: "hint" }, ` ${instance.url}`)),
        el("td", { colspan: 8 }, `Not reachable: ${instance.error}`));
    }
    const applied = status.consumer.records.applied || 0;
    const at = Date.parse(status.at);
    const before = previous.get(instance.url);
    seen.set(instance.url, { at, applied });
    const rate = before && at > before.at ? ((applied - before.applied) * 1000) / (at - before.at) : null;
    const down = Object.entries(status.checks).filter(([, value]) => value !== "UP");
    return el("tr", { class: status.ready ? "" : "down", "data-service": instance.service },
      el("th", { scope: "row" }, status.instance, el("span", { class: "hint" }, ` ${instance.url}`)),
      el("td", { title: Object.entries(status.checks).map(([name, value]) => `${name}: ${value}`).join("\n") },
        status.ready ? "ready" : `NOT READY: ${down.map(([name, value]) => `${name} ${value}`).join("; ")}`),
      el("td", { class: "number" }, rate === null ? "…" : rate.toFixed(rate < 10 ? 1 : 0)),
      el("td", { class: "number" }, status.consumer.lag),
      el("td", { class: "number" }, status.consumer.records.dead_lettered || 0),
      el("td", { class: "number" }, status.outbox.relay_active ? status.outbox.pending_rows : "–"),
      el("td", { class: "number" }, status.outbox.relay_active ? duration(status.outbox.oldest_pending_seconds * 1000) : "–"),
      el("td", { class: "number" }, status.outbox.parked_rows),
      el("td", {}, status.outbox.relay_active ? "publishes" : "standby"));
  }));
  previous = seen;
}

/** The parked rows of each service whose relay counted some. */
async function showParked(instances) {
  const services = [...new Set(instances.filter((i) => i.status && i.status.outbox.parked_rows > 0).map((i) => i.service))];
  if (services.length === 0) {
    $("parked").replaceChildren(el("p", {}, "None."));
    return;
  }
  const lists = await Promise.all(services.map((service) => api(`/ops/outbox/${service}/parked`).then((answer) => [service, answer.parked_rows])));
  $("parked").replaceChildren(...lists.map(([service, rows]) => el("div", { class: "scroll" }, el("table", {},
    el("caption", {}, `${service}: ${rows.length} parked`),
    el("thead", {}, el("tr", {}, ...["Id", "Parked", "Topic", "Key", "Error", "Actions"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows.map((row) => el("tr", {},
      el("td", {}, row.id), el("td", {}, new Date(row.parked_at).toLocaleString()), el("td", {}, row.topic), el("td", {}, row.key),
      el("td", {}, row.error),
      el("td", {}, el("button", { type: "button", onclick: () => act(`/ops/outbox/${service}/parked/${row.id}/retry`, "POST", `Row ${row.id} of ${service} is back in the outbox.`) }, "Retry"),
        " ", el("button", { type: "button", class: "danger", onclick: () => confirm(`Drop parked row ${row.id} of ${service} for good?`)
          && act(`/ops/outbox/${service}/parked/${row.id}`, "DELETE", `Row ${row.id} of ${service} dropped.`) }, "Drop")))))))));
}

function showDeadLetters(deadLetters) {
  $("dead-letters").replaceChildren(...(deadLetters.length ? deadLetters.map((d) => el("tr", { "data-id": d.id },
    el("td", {}, d.id), el("td", {}, new Date(d.written_at).toLocaleString()), el("td", {}, d.service), el("td", {}, d.from), el("td", {}, d.key),
    el("td", { class: "wrap", title: d.error }, d.error.length > 140 ? `${d.error.slice(0, 139)}…` : d.error),
    el("td", {}, el("button", { type: "button", onclick: () => inspect(d.id) }, "Inspect"), " ",
      d.replayable ? el("button", { type: "button", onclick: () => replay(d.id) }, "Replay") : el("span", { class: "hint" }, "minimal: not replayable"))))
    : [el("tr", {}, el("td", { colspan: 7 }, "None."))]));
}

async function inspect(id) {
  try {
    const d = await api(`/admin/dead-letters/${encodeURIComponent(id)}`);
    const pane = $("dead-letter");
    pane.hidden = false;
    pane.replaceChildren(el("h3", { tabindex: -1, id: "dead-letter-title" }, `Dead letter ${d.id}`),
      el("p", {}, `${d.service} could not apply the record at ${d.from}: ${d.error}`),
      el("h4", {}, "Payload"), el("pre", {}, d.payload),
      el("h4", {}, "Key and headers"), el("pre", {}, [`key: ${d.key}`, ...Object.entries(d.headers).map(([k, v]) => `${k}: ${v}`)].join("\n")),
      el("h4", {}, "Context"), el("pre", {}, Object.entries(d.context).map(([k, v]) => `${k}: ${v}`).join("\n")),
      el("button", { type: "button", onclick: () => { pane.hidden = true; } }, "Close"));
    $("dead-letter-title").focus();
  } catch (error) {
    message(describe(error));
  }
}

async function replay(id) {
  try {
    const sent = await api(`/admin/dead-letters/${encodeURIComponent(id)}/replay`, { method: "POST" });
    message(`Dead letter ${id} replayed to ${sent.topic}-${sent.partition}@${sent.offset}.`, "done");
    refresh(true);
  } catch (error) {
    message(describe(error));
  }
}

async function act(path, method, done) {
  try {
    await api(path, { method });
    message(done, "done");
    refresh(true);
  } catch (error) {
    message(describe(error));
  }
}

function showStuck(report) {
  if (report.orders === 0) {
    $("stuck").replaceChildren(el("p", {}, "None."));
    return;
  }
  $("stuck").replaceChildren(
    el("ul", { class: "plain" }, ...report.by_status.map((s) => el("li", {}, `${s.orders} ${s.status}, the oldest placed ${new Date(s.oldest).toLocaleString()}: waiting for ${s.waiting_for}`))),
    el("div", { class: "scroll" }, el("table", {},
      el("caption", {}, `The oldest ${report.listed.length} of ${report.orders}`),
      el("thead", {}, el("tr", {}, ...["Order", "Customer", "Status", "Placed", "Waiting for"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...report.listed.map((o) => el("tr", {}, el("td", {}, o.order_id), el("td", {}, o.customer_id), el("td", {}, o.status),
        el("td", {}, new Date(o.placed_at).toLocaleString()), el("td", {}, o.waiting_for)))))));
}

function schedule() {
  clearInterval(timer);
  timer = $("live").checked ? setInterval(() => refresh(), REFRESH_MS) : null;
}

signIn($("sign-in"), () => {
  previous = new Map();
  refresh(true);
});
$("refresh").addEventListener("click", () => refresh(true));
$("live").addEventListener("change", schedule);
$("older-than").addEventListener("change", () => refresh(true));
schedule();
refresh(true);
