// The front page: what the server holds, the most active pairs named by country, and a way to
// pick a country (its pairs) or two (their page).

import { takeFrontDoor } from "./api.js";
import { append, h } from "./dom.js";
import { count, countryName, link, loadCountries, pairName } from "./format.js";

/**
 * The order a pair is named in: the country in more of the listed pairs first (the one the list
 * is about reads first: "United States – Cambodia, United States – Thailand"); on a tie, codes
 * from Z to A, so that a pair reads the same wherever it is listed.
 */
function ordered(pairs, chosen) {
  const seen = new Map();
  for (const pair of pairs) for (const code of pair.countries) seen.set(code, (seen.get(code) || 0) + 1);
  return pairs.map((pair) => {
    const [a, b] = pair.countries;
    if (chosen) return chosen === b ? [b, a] : [a, b];
    const diff = (seen.get(b) || 0) - (seen.get(a) || 0);
    return diff > 0 || (diff === 0 && b > a) ? [b, a] : [a, b];
  });
}

function countryField(id, label, countries, value) {
  return h("p", { class: "field" },
    h("label", { for: id }, label),
    h("select", { id, name: id },
      h("option", { value: "" }, "\u2014"),
      countries.map((country) => h("option", { value: country.code, selected: country.code === value }, country.name))));
}

export async function render(ctx, root) {
  const chosen = (ctx.query.get("country") || "").toUpperCase() || null;
  const [door, relations, countries] = await Promise.all([
    takeFrontDoor() || ctx.get("What this server holds", "/"),
    ctx.get(chosen ? `Pairs of ${chosen}` : "Pairs, most active first", "/v1/relations",
      { country: chosen, limit: 50 }),
    loadCountries(),
  ]);
  if (!ctx.requests.some((request) => request.title === "What this server holds")) ctx.request("What this server holds", "/");
  ctx.request("Country names", "/v1/countries", { limit: 500 });
  ctx.watchWhen(() => true);
  ctx.title(chosen ? `Pairs of ${countryName(chosen)}` : "Bilateral explorer");

  const counts = door.counts;
  append(root, 
    h("h1", { tabindex: "-1" }, chosen ? `${countryName(chosen)} and its partners` : "Relations between countries"),
    h("p", { class: "lead" }, door.description),
    counts ? h("ul", { class: "counts", "aria-label": "The record" },
      Object.entries(counts).map(([collection, n]) => h("li", {}, h("strong", {}, String(n)), " " + collection))) : null);

  const form = h("form", { class: "pick", action: "/", method: "get" },
    h("fieldset", {},
      h("legend", {}, "Pick a country, or two"),
      countryField("first-country", "Country", countries, chosen),
      countryField("second-country", "and", countries, null),
      h("button", { type: "submit" }, "Show")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const a = form.elements["first-country"].value;
    const b = form.elements["second-country"].value;
    if (a && b && a !== b) location.hash = link.pair(a, b);
    else if (a || b) location.hash = link.home({ country: (a || b).toLowerCase() });
    else location.hash = link.home();
  });
  append(root, form);

  const pairs = relations.data;
  const names = ordered(pairs, chosen);
  append(root, 
    h("h2", {}, chosen ? `Pairs of ${countryName(chosen)}` : "Most active pairs"),
    pairs.length
      ? h("ol", { class: "pairs" }, pairs.map((pair, index) => {
        const [a, b] = names[index];
        return h("li", {},
          h("a", { href: link.pair(a, b), class: "pair-name" }, pairName(a, b)),
          h("span", { class: "muted" },
            ` ${count(pair.total, "record")}: ${count(pair.meetings, "meeting")}, ${count(pair.statements, "statement")}, `
            + `${count(pair.initiatives, "initiative")}` + (pair.first_date ? ` · ${pair.first_date} to ${pair.last_date}` : "")));
      }))
      : h("p", {}, "No pairs share a record yet."),
    relations.next_cursor ? h("p", { class: "muted" }, "Only the 50 most active pairs are listed; pick a country to see its own.") : null,
    chosen ? h("p", {}, h("a", { href: link.home() }, "All pairs")) : null);
}
