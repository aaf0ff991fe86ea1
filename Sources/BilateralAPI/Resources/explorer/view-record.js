// One meeting, statement, initiative or source on its own page: where search hits and evidence
// links lead.

import { initiativeTrack, isWebURL, meetingCard, statementCard } from "./cards.js";
import { append, h } from "./dom.js";
import { link, loadCountries, words } from "./format.js";

const collections = { meeting: "meetings", statement: "statements", initiative: "initiatives", source: "sources" };

function sourceCard(source) {
  return h("article", { class: "card source" },
    h("dl", { class: "fields" },
      [["Publisher", source.publisher], ["Published", source.published_on], ["Author", source.author]]
        .filter(([, value]) => value)
        .map(([label, value]) => [h("dt", {}, label), h("dd", {}, value)])),
    isWebURL(source.url)
      ? h("p", {}, h("a", { href: source.url, rel: "noopener noreferrer external", target: "_blank" }, source.url))
      : h("p", { class: "muted" }, source.url ? "Link: " + source.url : "No link recorded."));
}

export async function render(ctx, root) {
  const type = ctx.params.type;
  const id = ctx.params.id;
  const [record] = await Promise.all([
    ctx.get(`The ${type}`, `/v1/${collections[type]}/${encodeURIComponent(id)}`),
    loadCountries(),
  ]);
  ctx.watchRecord(type, id);
  const title = record.title || (type === "statement" ? `${record.speaker?.name || record.speaker_id}, ${record.date}` : id);
  ctx.title(title);
  let body;
  if (type === "meeting") body = await meetingCard(record, ctx, { heading: "h2" });
  else if (type === "statement") body = await statementCard(record, ctx, { heading: "h2" });
  else if (type === "initiative") body = await initiativeTrack(record, ctx, { heading: "h2" });
  else body = sourceCard(record);

  const related = [];
  if (type === "meeting" && record.initiative_ids.length) {
    related.push(h("h2", {}, "Initiatives discussed"), h("ul", {}, record.initiative_ids.map((initiative) =>
      h("li", {}, h("a", { href: link.record("initiative", initiative) }, initiative)))));
  }
  if (type === "initiative") {
    if (record.meeting_ids.length) related.push(h("h2", {}, "Meetings"), h("ul", {}, record.meeting_ids.map((meeting) =>
      h("li", {}, h("a", { href: link.record("meeting", meeting) }, meeting)))));
    if (record.statement_ids.length) related.push(h("h2", {}, "Statements"), h("ul", {}, record.statement_ids.map((statement) =>
      h("li", {}, h("a", { href: link.record("statement", statement) }, statement)))));
  }
  const pair = record.countries && record.countries.length >= 2 ? record.countries.slice(0, 2) : null;
  append(root, 
    h("p", { class: "crumbs" }, h("a", { href: link.home() }, "Pairs"),
      pair ? [" / ", h("a", { href: link.pair(pair[0], pair[1], "timeline") }, "timeline of " + pair.join("\u2013"))] : null,
      " / ", words(type)),
    h("h1", { tabindex: "-1" }, title),
    body, related,
    h("p", { class: "muted" }, `Version ${record.version}, updated ${record.updated_at}.`));
}
