// A pair at a glance: how many meetings, statements and initiatives (by status), the first and
// last event, and the topics and actors that occur most.

import { append, h } from "./dom.js";
import { count, countryName, link, loadCountries, statusOff, statusTrack, words } from "./format.js";
import { pairCSVRequests, pairHeader, pairOf } from "./pair-nav.js";

function stat(label, value, id) {
  return h("div", { class: "stat", id }, h("dt", {}, label), h("dd", {}, String(value)));
}

export async function render(ctx, root) {
  const [a, b] = pairOf(ctx);
  const [summary] = await Promise.all([
    ctx.get("The pair at a glance", `/v1/relations/${a.toLowerCase()}/${b.toLowerCase()}`),
    loadCountries(),
  ]);
  ctx.watchPair(a, b);
  pairCSVRequests(ctx);
  ctx.title(`${countryName(a)} – ${countryName(b)}`);

  const byStatus = summary.initiatives_by_status || {};
  append(root, 
    ...pairHeader(ctx, ""),
    h("section", { "aria-labelledby": "counts-heading" },
      h("h2", { id: "counts-heading" }, "Counts"),
      h("dl", { class: "stats" },
        stat("Meetings", summary.meetings, "count-meetings"),
        stat("Statements", summary.statements, "count-statements"),
        stat("Initiatives", summary.initiatives, "count-initiatives"),
        stat("Status changes", summary.status_changes, "count-status-changes"),
        stat("First event", summary.first_date || "\u2014", "first-date"),
        stat("Last event", summary.last_date || "\u2014", "last-date"))),
    h("section", { "aria-labelledby": "status-heading" },
      h("h2", { id: "status-heading" }, "Initiatives by status"),
      h("dl", { class: "stats by-status" },
        [...statusTrack, ...statusOff].map((status) =>
          stat(words(status)[0].toUpperCase() + words(status).slice(1), byStatus[status] ?? 0, "status-" + status))),
      h("p", {}, h("a", { href: link.pair(a, b, "initiatives") }, "Each initiative's status track"))),
    h("div", { class: "columns" },
      h("section", { "aria-labelledby": "topics-heading" },
        h("h2", { id: "topics-heading" }, "Top topics"),
        summary.top_topics.length
          ? h("ol", { class: "ranked" }, summary.top_topics.map((topic) => h("li", {},
            h("a", { href: link.pair(a, b, "timeline", { topic: topic.topic }) }, words(topic.topic)),
            h("span", { class: "muted" }, ` ${topic.count}`))))
          : h("p", { class: "muted" }, "None yet.")),
      h("section", { "aria-labelledby": "actors-heading" },
        h("h2", { id: "actors-heading" }, "Most active actors"),
        summary.top_actors.length
          ? h("ol", { class: "ranked" }, summary.top_actors.map((actor) => h("li", {},
            h("a", { href: link.actor(actor.id) }, actor.name),
            actor.country ? ` (${countryName(actor.country)})` : "",
            h("span", { class: "muted" }, ` ${count(actor.meetings, "meeting")}, ${count(actor.statements, "statement")}`))))
          : h("p", { class: "muted" }, "None yet."))));
}
