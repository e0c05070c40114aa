// The tracking page: the catalogue, placing an order, its timeline live over server-sent events, its notifications,
// cancelling it, and the customer's orders page by page.
import { api, describe, duration, el, follow, signIn, token } from "/pages/api.js";

const FINAL = new Set(["SHIPPED", "CANCELLED", "REJECTED"]);
const STEPS = { RECEIVED: "Received", CONFIRMED: "Stock reserved", PICKED_AND_PACKED: "Picked and packed", SHIPPED: "Shipped",
  CANCELLED: "Cancelled", REJECTED: "Rejected" };
const $ = (id) => document.getElementById(id);

let products = [];
let tracked = null; // { id, history: Map status -> change, stop }
const pages = { cursors: [null], index: 0 };

function message(text) {
  $("message").textContent = text || "";
  $("message").hidden = !text;
}

async function attempt(action) {
  try {
    message("");
    return await action();
  } catch (error) {
    message(describe(error));
    return undefined;
  }
}

// --- the catalogue and placing an order ---

async function loadCatalogue() {
  const body = $("products");
  if (!token.get()) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 4 }, "Sign in to see the catalogue.")));
    return;
  }
  const answer = await attempt(() => api("/catalogue"));
  if (!answer) return;
  products = answer.products;
  body.replaceChildren(...products.map((p, i) => el("tr", {},
    el("th", { scope: "row" }, p.name, el("span", { class: "hint" }, ` ${p.product_id}`)),
    el("td", { class: "number" }, money(p.price)),
    el("td", { class: "number" }, Number(p.available).toLocaleString()),
    el("td", {}, el("label", { class: "visually-hidden", for: `qty-${i}` }, `Quantity of ${p.name}`),
      el("input", { id: `qty-${i}`, type: "number", min: 0, max: 1000, step: 1, value: 0, inputmode: "numeric", "data-product": i, oninput: showTotal })))));
  showTotal();
}

function chosen() {
  return [...document.querySelectorAll("input[data-product]")]
    .map((input) => ({ product: products[Number(input.dataset.product)], quantity: Number(input.value) }))
    .filter((line) => Number.isInteger(line.quantity) && line.quantity > 0);
}

function showTotal() {
  const lines = chosen();
  const total = lines.reduce((sum, line) => sum + Number(line.product.price) * line.quantity, 0);
  $("order-total").textContent = lines.length ? `Total ${money(total)}` : "Choose a quantity of at least one product.";
}

async function place(event) {
  event.preventDefault();
  const lines = chosen();
  if (lines.length === 0) {
    message("Choose a quantity of at least one product.");
    return;
  }
  $("place").disabled = true;
  const order = await attempt(() => api("/orders", {
    method: "POST",
    body: { currency: "EUR", items: lines.map((l) => ({ product_id: l.product.product_id, name: l.product.name, quantity: l.quantity, price: l.product.price })) },
  }));
  $("place").disabled = false;
  if (order) {
    document.querySelectorAll("input[data-product]").forEach((input) => { input.value = 0; });
    showTotal();
    await track(order.order_id);
    $("tracking").scrollIntoView({ block: "start" });
    loadOrders(0);
  }
}

// --- one order, live ---

async function track(orderId) {
  if (tracked) tracked.stop();
  history.replaceState(null, "", `/?order=${encodeURIComponent(orderId)}`);
  const order = await attempt(() => api(`/orders/${encodeURIComponent(orderId)}`));
  if (!order) return;
  tracked = { id: orderId, order, history: new Map(), received: 0, stop: () => {} };
  $("tracking").hidden = false;
  $("order-id").textContent = orderId;
  $("order-summary").textContent = `${order.items.map((i) => `${i.quantity} × ${i.name}`).join(", ")}: ${money(order.total, order.currency)}`;
  $("timeline").dataset.received = 0;
  $("cancellation").textContent = "";
  // What the order is now, at once, even if its stream cannot be opened (503 when svc-order follows its most).
  (order.status_history || []).forEach((change) => tracked.history.set(change.status, change));
  showTimeline();
  showOrder(order);
  const current = tracked;
  current.stop = follow(`/orders/${encodeURIComponent(orderId)}/events`, {
    onEvent: (type, data) => {
      if (type === "status" && tracked === current) step(JSON.parse(data));
    },
    onState: (state, detail) => {
      if (tracked !== current) return;
      $("stream-state").textContent = { live: "live", reconnecting: `connection lost, ${detail}`, ended: "", failed: detail }[state];
      if (state === "ended") refresh(current);
    },
    done: () => FINAL.has(current.order.status),
  });
  loadNotifications(current);
}

/** A status change from the stream: into the timeline, and what it decides shown. */
function step(change) {
  tracked.history.set(change.status, change);
  tracked.received += 1;
  $("timeline").dataset.received = tracked.received; // events received: the browser tests check none came twice
  const changes = showTimeline();
  const final = changes.find((c) => FINAL.has(c.status));
  tracked.order.status = final ? final.status : changes[changes.length - 1].status;
  showOrder(tracked.order);
  if (FINAL.has(change.status)) {
    refresh(tracked);
    loadOrders(pages.index);
  }
  loadNotifications(tracked);
}

/** The steps in pipeline order, each with the time since the step before; the changes shown. */
function showTimeline() {
  const order = ["RECEIVED", "CONFIRMED", "PICKED_AND_PACKED", "SHIPPED", "REJECTED", "CANCELLED"];
  const changes = [...tracked.history.values()].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  $("timeline").replaceChildren(...changes.map((c, i) => {
    const took = i === 0 ? null : Date.parse(c.changed_at) - Date.parse(changes[i - 1].changed_at);
    return el("li", { "data-status": c.status },
      el("span", { class: "step" }, STEPS[c.status] || c.status),
      el("time", { datetime: c.changed_at }, new Date(c.changed_at).toLocaleTimeString(undefined,
        { hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3, hour12: false })),
      took === null ? null : el("span", { class: "took" }, `+${duration(took)}`),
      el("span", { class: "hint" }, [c.changed_by, c.reason].filter(Boolean).join(": ")));
  }));
  return changes;
}

function showOrder(order) {
  $("order-status").textContent = STEPS[order.status] || order.status;
  $("order-status").dataset.status = order.status;
  $("shipping").textContent = order.tracking_number
    ? `Sent with ${order.carrier}, tracking number ${order.tracking_number}, expected ${order.estimated_delivery}.` : "";
  const pending = order.cancellation && order.cancellation.outcome === "PENDING";
  $("cancel").hidden = FINAL.has(order.status) || pending;
  if (order.cancellation) {
    $("cancellation").textContent = {
      PENDING: "Cancellation requested: waiting for the shipper's answer…",
      CANCELLED: "Cancelled: nothing will be sent, and the stock is released.",
      TOO_LATE: "Too late to cancel: the order had already shipped.",
    }[order.cancellation.outcome];
  }
}

/**
 * Reads the order again: its cancellation's outcome and its shipment are decided with its final status, and a step
 * recorded after it (its event came late, after the stream ended) joins the timeline.
 */
async function refresh(current) {
  const order = await attempt(() => api(`/orders/${encodeURIComponent(current.id)}`));
  if (order && tracked === current) {
    current.order = order;
    (order.status_history || []).forEach((change) => { if (!current.history.has(change.status)) current.history.set(change.status, change); });
    if (current.history.size > 0) showTimeline();
    showOrder(order);
  }
}

async function cancel() {
  const current = tracked;
  $("cancel").disabled = true;
  const answer = await attempt(() => api(`/orders/${encodeURIComponent(current.id)}/cancel`, { method: "POST", body: { reason: "cancelled on the tracking page" } }));
  $("cancel").disabled = false;
  if (answer && tracked === current) {
    current.order.cancellation = answer.cancellation;
    if (FINAL.has(answer.status)) current.order.status = answer.status;
    showOrder(current.order);
  } else if (tracked === current) {
    refresh(current);
  }
}

async function loadNotifications(current) {
  const answer = await api(`/orders/${encodeURIComponent(current.id)}/notifications`).catch(() => null);
  if (!answer || tracked !== current) return;
  const list = answer.notifications || [];
  $("notifications").replaceChildren(...(list.length ? list.map((n) => el("li", {},
    el("time", { datetime: n.created_at }, new Date(n.created_at).toLocaleTimeString()), " ", n.message))
    : [el("li", {}, "None yet.")]));
}

// --- my orders ---

async function loadOrders(index) {
  const body = $("orders");
  if (!token.get()) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 4 }, "Sign in to see your orders.")));
    return;
  }
  const cursor = pages.cursors[index];
  const page = await attempt(() => api(`/orders?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`));
  if (!page) return;
  pages.index = index;
  pages.cursors[index + 1] = page.next_cursor;
  body.replaceChildren(...(page.orders.length ? page.orders.map((o) => el("tr", {},
    el("td", {}, el("a", { href: `/?order=${encodeURIComponent(o.order_id)}`, onclick: (e) => { e.preventDefault(); track(o.order_id); } }, o.order_id)),
    el("td", {}, new Date(o.created_at).toLocaleString()),
    el("td", {}, el("span", { class: "status", "data-status": o.status }, STEPS[o.status] || o.status)),
    el("td", { class: "number" }, money(o.total, o.currency)))) : [el("tr", {}, el("td", { colspan: 4 }, "No orders yet."))]));
  $("first-page").disabled = index === 0;
  $("next-page").disabled = !page.next_cursor;
}

function money(amount, currency = "EUR") {
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(Number(amount));
}

function start() {
  message("");
  pages.cursors = [null];
  loadCatalogue();
  loadOrders(0);
  const wanted = new URLSearchParams(location.search).get("order");
  if (wanted && token.get()) track(wanted);
}

signIn($("sign-in"), start);
$("order-form").addEventListener("submit", place);
$("cancel").addEventListener("click", cancel);
$("first-page").addEventListener("click", () => loadOrders(0));
$("next-page").addEventListener("click", () => loadOrders(pages.index + 1));
start();
