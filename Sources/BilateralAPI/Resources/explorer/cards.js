// How one record reads: a meeting, a statement (the verbatim quote), an initiative's status
// change and its status track, and the sources behind each.

import { getRecord } from "./api.js";
import { h } from "./dom.js";
import { countryName, dateText, link, statusOff, statusTrack, words } from "./format.js";

/** Whether `url` may be a link's target: http(s) only, never javascript: or data:. */
export function isWebURL(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url);
}

/** Links to a record's sources: the source's own URL when it has one, else its record view. */
export async function sourceLinks(ids, ctx) {
  const sources = await Promise.all((ids || []).map((id) =>
    getRecord("sources", id).catch(() => ({ id, title: id, url: null }))));
  for (const source of sources) ctx.watchRecord("source", source.id);
  if (!sources.length) return null;
  return h("p", { class: "sources" }, "Sources: ",
    sources.map((source, index) => [
      index ? "; " : "",
      isWebURL(source.url)
        ? h("a", { href: source.url, rel: "noopener noreferrer external", target: "_blank" }, source.title)
        : h("a", { href: link.record("source", source.id) }, source.title),
      source.publisher ? ` (${source.publisher})` : "",
    ]));
}

function topicList(topics) {
  if (!topics || !topics.length) return null;
  return h("ul", { class: "tags", "aria-label": "Topics" }, topics.map((topic) => h("li", {}, words(topic))));
}

function when(date, precision) {
  return h("time", { datetime: date }, dateText(date, precision));
}

function badge(type) {
  return h("span", { class: "badge badge-" + type }, words(type));
}

/** A meeting: title, date, kind, place, participants, topics, summary, sources. */
export async function meetingCard(meeting, ctx, { heading = "h3" } = {}) {
  ctx.watchRecord("meeting", meeting.id);
  const place = meeting.location
    ? [meeting.location.city, countryName(meeting.location.country)].filter(Boolean).join(", ")
    : "";
  return h("article", { class: "card meeting", dataset: { record: "meeting/" + meeting.id } },
    h("p", { class: "card-head" }, badge("meeting"), " ", when(meeting.date, meeting.date_precision),
      " · ", words(meeting.kind), place ? " · " + place : ""),
    h(heading, { class: "card-title" }, h("a", { href: link.record("meeting", meeting.id) }, meeting.title)),
    h("ul", { class: "participants", "aria-label": "Participants" },
      (meeting.participants || []).map((p) => h("li", {},
        h("a", { href: link.actor(p.actor_id) }, p.name || p.actor_id),
        p.country ? ` (${countryName(p.country)})` : "", p.role ? ", " + words(p.role) : ""))),
    meeting.summary ? h("p", { class: "summary" }, meeting.summary) : null,
    topicList(meeting.topics),
    await sourceLinks(meeting.source_ids, ctx));
}

/** A statement: the quote as said, who said it, where, and its sources. */
export async function statementCard(statement, ctx, { heading = "h3" } = {}) {
  ctx.watchRecord("statement", statement.id);
  const speaker = statement.speaker || {};
  return h("article", { class: "card statement", dataset: { record: "statement/" + statement.id } },
    h("p", { class: "card-head" }, badge("statement"), " ", when(statement.date, statement.date_precision),
      " · ", words(statement.channel), statement.platform ? ` (${statement.platform})` : ""),
    h(heading, { class: "visually-hidden" }, `Statement by ${speaker.name || statement.speaker_id}`),
    h("blockquote", { class: "quote", lang: statement.language || null }, statement.text),
    statement.paraphrase ? h("p", { class: "muted" }, "A faithful paraphrase, not a verbatim quote.") : null,
    h("p", { class: "speaker" }, "\u2014 ",
      h("a", { href: link.actor(statement.speaker_id) }, speaker.name || statement.speaker_id),
      speaker.country ? ` (${countryName(speaker.country)})` : "",
      " · ", h("a", { href: link.record("statement", statement.id) }, "the record")),
    statement.meeting_id
      ? h("p", { class: "muted" }, "At ", h("a", { href: link.record("meeting", statement.meeting_id) }, "a meeting"))
      : null,
    topicList(statement.topics),
    await sourceLinks(statement.source_ids, ctx));
}

/** The evidence of one status change: its meeting or statement, named by their titles. */
async function evidence(entry) {
  const parts = [];
  if (entry.meeting_id) {
    const meeting = await getRecord("meetings", entry.meeting_id).catch(() => null);
    parts.push(h("a", { href: link.record("meeting", entry.meeting_id) },
      "Meeting: " + (meeting ? meeting.title : entry.meeting_id)));
  }
  if (entry.statement_id) {
    const statement = await getRecord("statements", entry.statement_id).catch(() => null);
    const label = statement ? `${statement.speaker?.name || statement.speaker_id}, ${statement.date}` : entry.statement_id;
    parts.push(h("a", { href: link.record("statement", entry.statement_id) }, "Statement: " + label));
  }
  if (!parts.length) return null;
  return h("p", { class: "evidence" }, "Evidence: ", parts.map((part, i) => [i ? " · " : "", part]));
}

/** One entry of an initiative's status history, as a timeline event. */
export async function statusChangeCard(initiative, entry, ctx, { heading = "h3" } = {}) {
  ctx.watchRecord("initiative", initiative.id);
  return h("article", { class: "card status-change", dataset: { record: "initiative/" + initiative.id } },
    h("p", { class: "card-head" }, badge("status_change"), " ", when(entry.date),
      " · ", words(initiative.area)),
    h(heading, { class: "card-title" },
      h("a", { href: link.record("initiative", initiative.id) }, initiative.title), " \u2192 ",
      h("span", { class: "status status-" + entry.status }, words(entry.status))),
    entry.note ? h("p", { class: "summary" }, entry.note) : null,
    await evidence(entry),
    await sourceLinks(initiative.source_ids, ctx));
}

/**
 * An initiative as a status track: the stages it can pass, the ones reached marked, and below
 * them every change with its date, note and evidence.
 */
export async function initiativeTrack(initiative, ctx, { heading = "h3" } = {}) {
  ctx.watchRecord("initiative", initiative.id);
  const history = initiative.status_history || [];
  const reached = new Set(history.map((entry) => entry.status));
  const stages = [...statusTrack, ...statusOff.filter((status) => reached.has(status))];
  const entries = await Promise.all(history.map(async (entry) =>
    h("li", { class: "step status-" + entry.status },
      h("p", {}, when(entry.date), " ", h("strong", { class: "status status-" + entry.status }, words(entry.status))),
      entry.note ? h("p", { class: "summary" }, entry.note) : null,
      await evidence(entry))));
  return h("article", { class: "card initiative", dataset: { record: "initiative/" + initiative.id } },
    h("p", { class: "card-head" }, badge("initiative"), " ", words(initiative.area),
      " · ", (initiative.countries || []).map(countryName).join(", ")),
    h(heading, { class: "card-title" }, h("a", { href: link.record("initiative", initiative.id) }, initiative.title)),
    h("ol", { class: "stages", "aria-label": "Status track, now " + words(initiative.status) },
      stages.map((stage) => h("li", {
        class: ["stage", reached.has(stage) ? "reached" : "", stage === initiative.status ? "current" : ""].join(" "),
        "aria-current": stage === initiative.status ? "step" : null,
      }, words(stage)))),
    initiative.description ? h("p", { class: "summary" }, initiative.description) : null,
    h("ol", { class: "history", "aria-label": "Status changes" }, entries),
    await sourceLinks(initiative.source_ids, ctx));
}
