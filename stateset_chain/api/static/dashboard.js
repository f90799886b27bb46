// Merchant dashboard: plain DOM + fetch against the public read endpoints; no build step.
"use strict";
const $ = (id) => document.getElementById(id);
const state = { first: null, last: null, query: {}, days: 30, chartSeq: 0 };
// The table's filters, which /v1/analytics/orders takes as /v1/orders does: the chart follows
// every one of them (on top of its own day range).
const CHART_FILTERS = ["merchant_id", "status", "currency", "amount_min", "amount_max",
                       "created_after"];

async function api(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== "" && v != null) q.set(k, v);
  const r = await fetch(path + (q.toString() ? "?" + q : ""));
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
  return body;
}

function cell(text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

async function loadOrders(cursor) {
  const params = Object.assign({ limit: 20 }, state.query, cursor || {});
  let page;
  try { page = await api("/v1/orders", params); }
  catch (e) { $("count").textContent = "error: " + e.message; return; }
  const body = $("orders");
  body.replaceChildren();
  for (const o of page.orders) {
    const tr = document.createElement("tr");
    tr.className = "order";
    tr.dataset.id = o.id;
    const st = cell(""); const span = document.createElement("span");
    span.className = "status"; span.textContent = o.status; st.appendChild(span);
    tr.append(cell(o.id), st, cell(o.customer_id.slice(0, 14) + "…"),
              cell((o.created_at || "").slice(0, 16).replace("T", " ")),
              cell(o.total + " " + (o.currency || "").toUpperCase(), "num"));
    tr.addEventListener("click", () => showOrder(o.id, tr));
    body.appendChild(tr);
  }
  $("count").textContent = page.total_count;
  state.first = page.orders.length ? page.orders[0].id : null;
  state.last = page.orders.length ? page.orders[page.orders.length - 1].id : null;
  const backwards = cursor && cursor.ending_before;
  $("next").disabled = !state.last || (!backwards && !page.has_more);
  $("prev").disabled = !state.first || !cursor || (backwards && !page.has_more);
}

async function showOrder(id, row) {
  document.querySelectorAll("tr.selected").forEach((r) => r.classList.remove("selected"));
  if (row) row.classList.add("selected");
  const o = await api("/v1/orders/" + encodeURIComponent(id));
  $("detail-title").textContent = "Timeline of " + o.id;
  $("detail-hint").textContent = o.total + " " + (o.currency || "").toUpperCase() +
    " — payment " + o.payment_status;
  const ol = $("timeline");
  ol.replaceChildren();
  for (const t of o.timeline) {
    const li = document.createElement("li");
    li.textContent = t.status + " — " + (t.timestamp || "").replace("T", " ").slice(0, 19);
    ol.appendChild(li);
  }
}

function svg(tag, attrs) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

async function loadChart(days) {
  const end = new Date();
  const start = new Date(end.getTime() - (days - 1) * 86400000);
  const iso = (d) => d.toISOString().slice(0, 10);
  const filters = {};
  for (const k of CHART_FILTERS) if (state.query[k]) filters[k] = state.query[k];
  const params = Object.assign({ start_date: iso(start), end_date: iso(end), group_by: "day" },
                               filters);
  const seq = ++state.chartSeq;
  let a;
  try { a = await api("/v1/analytics/orders", params); }
  catch (e) { $("summary").textContent = "error: " + e.message; return; }
  if (seq !== state.chartSeq) return;  // a newer filter's chart is on its way
  const chart = $("chart");
  chart.replaceChildren();
  const W = 900, H = 220, pad = 30, n = a.data.length;
  const maxRev = Math.max(1, ...a.data.map((d) => parseFloat(d.revenue)));
  const maxCnt = Math.max(1, ...a.data.map((d) => d.order_count));
  const bw = (W - 2 * pad) / n;
  const points = [];
  a.data.forEach((d, i) => {
    const h = (parseFloat(d.revenue) / maxRev) * (H - 2 * pad);
    const rect = svg("rect", { class: "bar", x: pad + i * bw + 1, y: H - pad - h,
                               width: Math.max(1, bw - 2), height: h });
    const title = svg("title", {});
    title.textContent = d.date + ": " + d.revenue + " USD revenue, " + d.order_count + " orders";
    rect.appendChild(title);
    chart.appendChild(rect);
    points.push((pad + i * bw + bw / 2) + "," +
                (H - pad - (d.order_count / maxCnt) * (H - 2 * pad)));
  });
  chart.appendChild(svg("polyline", { class: "line", points: points.join(" ") }));
  chart.appendChild(svg("line", { x1: pad, y1: H - pad, x2: W - pad, y2: H - pad, stroke: "#999" }));
  const label = svg("text", { x: pad, y: H - 8, "font-size": 11, fill: "#666" });
  label.textContent = a.data.length ? a.data[0].date + " … " + a.data[n - 1].date : "";
  chart.appendChild(label);
  $("summary").textContent = "Total: " + a.summary.total_orders + " orders, revenue " +
    a.summary.total_revenue + " USD, average " + a.summary.avg_order_value +
    " USD (bars: revenue, line: order count)";
  const named = Object.entries(filters).map(([k, v]) => k.replace("_id", "").replace("_", " ") +
                                                       " " + v);
  $("chart-filters").textContent = (named.length ? "Chart of the orders with " +
    named.join(", ") : "Chart of every order") + ", as in the table.";
  // what the chart shows, for a reader (and the browser test) to check against the filters
  document.body.dataset.chart = JSON.stringify(filters);
  document.body.dataset.ready = "1";
}

$("filters").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  state.query = {};
  for (const [k, v] of f.entries()) if (v) state.query[k] = v;
  loadOrders();
  loadChart(state.days);
});
$("next").addEventListener("click", () => loadOrders({ starting_after: state.last }));
$("prev").addEventListener("click", () => loadOrders({ ending_before: state.first }));

state.days = parseInt(new URLSearchParams(location.search).get("days") || "30", 10);
$("days").textContent = state.days;
loadOrders().then(() => loadChart(state.days));
