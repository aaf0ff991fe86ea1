// A person or organisation: roles over time, the meetings they took part in, what they said.

import { getRecord } from "./api.js";
import { meetingCard, statementCard } from "./cards.js";
import { append, h } from "./dom.js";
import { countryName, link, loadCountries, words } from "./format.js";

function span(role) {
  if (role.start_date && role.end_date) return `${role.start_date} to ${role.end_date}`;
  if (role.start_date) return `since ${role.start_date}`;
  if (role.end_date) return `until ${role.end_date}`;
  return "dates not recorded";
}

export async function render(ctx, root) {
  const id = ctx.params.id;
  const [actor, meetings, statements] = await Promise.all([
    ctx.get("The actor", `/v1/actors/${encodeURIComponent(id)}`),
    ctx.get("Their meetings", "/v1/meetings", { actor: id, limit: 50 }, { csv: true }),
    ctx.get("Their statements", "/v1/statements", { speaker: id, limit: 50 }, { csv: true }),
    loadCountries(),
  ]);
  ctx.watchRecord("actor", id);
  ctx.watchWhen((record) =>
    record && (record.speaker_id === id || (record.participants || []).some((p) => p.actor_id === id)));
  ctx.title(actor.name);

  // Oldest first; a role without a start sorts first, as it is the earliest known.
  const roles = [...actor.roles].sort((x, y) => (x.start_date || "").localeCompare(y.start_date || ""));
  const organizations = await Promise.all(roles.map((role) =>
    role.organization_id ? getRecord("actors", role.organization_id).catch(() => null) : null));
  const meetingCards = await Promise.all(meetings.data.map((meeting) => meetingCard(meeting, ctx)));
  const statementCards = await Promise.all(statements.data.map((statement) => statementCard(statement, ctx)));

  append(root, 
    h("p", { class: "crumbs" }, h("a", { href: link.home() }, "Pairs"), " / ", words(actor.kind)),
    h("h1", { tabindex: "-1" }, actor.name),
    h("p", { class: "lead" }, [words(actor.kind), actor.country ? countryName(actor.country) : null]
      .filter(Boolean).join(" · ")),
    actor.aliases.length ? h("p", {}, "Also: " + actor.aliases.join("; ")) : null,
    actor.description ? h("p", {}, actor.description) : null,
    h("section", { "aria-labelledby": "roles-heading" },
      h("h2", { id: "roles-heading" }, "Roles over time"),
      roles.length
        ? h("ol", { class: "roles" }, roles.map((role, index) => h("li", {},
          h("strong", {}, role.title),
          role.organization_id
            ? [", ", h("a", { href: link.actor(role.organization_id) },
              organizations[index] ? organizations[index].name : role.organization_id)]
            : null,
          h("span", { class: "muted" }, " \u2014 " + span(role)))))
        : h("p", { class: "muted" }, "No roles recorded.")),
    h("section", { "aria-labelledby": "meetings-heading" },
      h("h2", { id: "meetings-heading" }, `Meetings (${meetings.data.length}${meetings.next_cursor ? "+" : ""})`),
      meetingCards.length ? h("ul", { class: "cards" }, meetingCards.map((card) => h("li", {}, card)))
        : h("p", { class: "muted" }, "None recorded.")),
    h("section", { "aria-labelledby": "statements-heading" },
      h("h2", { id: "statements-heading" }, `Statements (${statements.data.length}${statements.next_cursor ? "+" : ""})`),
      statementCards.length ? h("ul", { class: "cards" }, statementCards.map((card) => h("li", {}, card)))
        : h("p", { class: "muted" }, "None recorded.")));
}
