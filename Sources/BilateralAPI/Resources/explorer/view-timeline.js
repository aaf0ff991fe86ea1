// A pair's story: meetings, statements and status changes merged by date, a page at a time as
// the reader scrolls, filtered by type and date range (by the API) and by topic (here: the
// timeline endpoint has no topic filter, so the page keeps the events whose topics or area name
// it, and reads on until the screen is full).

import { getJSON } from "./api.js";
import { meetingCard, statementCard, statusChangeCard } from "./cards.js";
import { append, h } from "./dom.js";
import { countryName, link, loadCountries, words } from "./format.js";
import { pairCSVRequests, pairHeader, pairOf } from "./pair-nav.js";

const types = ["meeting", "statement", "status_change"];
const pageSize = 25;

function topicsOf(item) {
  if (item.meeting) return item.meeting.topics || [];
  if (item.statement) return item.statement.topics || [];
  if (item.initiative) return [item.initiative.area];
  return [];
}

async function card(item, ctx) {
  if (item.type === "meeting") return meetingCard(item.meeting, ctx);
  if (item.type === "statement") return statementCard(item.statement, ctx);
  return statusChangeCard(item.initiative, item.status_change, ctx);
}

export async function render(ctx, root) {
  const [a, b] = pairOf(ctx);
  const chosenTypes = (ctx.query.get("types") || "").split(",").filter((type) => types.includes(type));
  const topic = ctx.query.get("topic") || "";
  const from = ctx.query.get("from") || "";
  const to = ctx.query.get("to") || "";
  const order = ctx.query.get("order") === "asc" ? "asc" : "desc";
  const path = `/v1/relations/${a.toLowerCase()}/${b.toLowerCase()}/timeline`;
  const query = { types: chosenTypes.join(","), from, to, order, limit: pageSize };

  const [first, areas] = await Promise.all([
    ctx.get("The first page of the timeline (then each next_cursor)", path, query),
    ctx.get("Topics", "/v1/areas"),
    loadCountries(),
  ]);
  ctx.watchPair(a, b);
  pairCSVRequests(ctx);
  if (topic) ctx.note = `The topic filter is applied by this page: the timeline endpoint filters by type and date; `
    + `the collections filter by topic (e.g. /v1/meetings?country=${a}&country=${b}&topic=${topic}).`;
  ctx.title(`Timeline of ${countryName(a)} – ${countryName(b)}`);

  const form = h("form", { class: "filters", action: "/", method: "get" },
    h("fieldset", { class: "types" }, h("legend", {}, "Show"),
      types.map((type) => h("label", {},
        h("input", { type: "checkbox", name: "types", value: type,
          checked: !chosenTypes.length || chosenTypes.includes(type) }), " " + words(type) + "s"))),
    h("p", { class: "field" }, h("label", { for: "topic" }, "Topic"),
      h("select", { id: "topic", name: "topic" }, h("option", { value: "" }, "any"),
        areas.data.map((area) => h("option", { value: area.area, selected: area.area === topic }, words(area.area))))),
    h("p", { class: "field" }, h("label", { for: "from" }, "From"),
      h("input", { id: "from", name: "from", type: "date", value: from })),
    h("p", { class: "field" }, h("label", { for: "to" }, "To"),
      h("input", { id: "to", name: "to", type: "date", value: to })),
    h("p", { class: "field" }, h("label", { for: "order" }, "Order"),
      h("select", { id: "order", name: "order" },
        h("option", { value: "desc", selected: order === "desc" }, "newest first"),
        h("option", { value: "asc", selected: order === "asc" }, "oldest first"))),
    h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const checked = [...form.querySelectorAll("input[name=types]:checked")].map((box) => box.value);
    location.hash = link.pair(a, b, "timeline", {
      types: checked.length === types.length ? "" : checked.join(","),
      topic: form.elements.topic.value, from: form.elements.from.value, to: form.elements.to.value,
      order: form.elements.order.value === "desc" ? "" : "asc",
    });
  });

  const list = h("ol", { class: "timeline", "aria-label": "Events" });
  const more = h("button", { type: "button", class: "more" }, "Load more");
  const end = h("p", { class: "muted end", "aria-live": "polite" });
  let cursor = first.next_cursor;
  let shown = 0;
  let lastDate = null;

  async function add(items) {
    const kept = topic ? items.filter((item) => topicsOf(item).includes(topic)) : items;
    const cards = await Promise.all(kept.map((item) => card(item, ctx)));
    kept.forEach((item, index) => {
      const heading = item.date !== lastDate ? h("h2", { class: "date" }, item.date) : null;
      lastDate = item.date;
      list.append(h("li", { class: "event event-" + item.type }, heading, cards[index]));
    });
    shown += kept.length;
    more.hidden = !cursor;
    end.textContent = cursor ? "" : shown ? `${shown} events, the whole timeline.` : "No events match.";
  }

  let loading = false;
  async function next() {
    if (!cursor || loading || ctx.signal.aborted) return;
    loading = true;
    try {
      const page = await getJSON(path, { ...query, cursor }, { signal: ctx.signal });
      cursor = page.next_cursor;
      await add(page.data);
    } catch (error) {
      if (error.name !== "AbortError") end.textContent = "Could not load more: " + error.message;
    } finally {
      loading = false;
    }
    // Still at the bottom (a filter kept little of the page): read on.
    if (cursor && sentinel.getBoundingClientRect().top < innerHeight + 400) next();
  }
  more.addEventListener("click", next);

  await add(first.data);
  const sentinel = h("div", { class: "sentinel", "aria-hidden": "true" });
  append(root, ...pairHeader(ctx, "timeline"), form, list, end, more, sentinel);
  ctx.mounted(() => {
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) next();
    }, { rootMargin: "400px" });
    observer.observe(sentinel);
    ctx.signal.addEventListener("abort", () => observer.disconnect());
  });
}
