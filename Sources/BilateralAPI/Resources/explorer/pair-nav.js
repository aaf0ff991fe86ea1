// The heading and tabs every view of one pair shares.

import { h } from "./dom.js";
import { countryName, link, pairName } from "./format.js";

export const pairViews = [
  ["", "Overview"],
  ["activity", "Activity"],
  ["timeline", "Timeline"],
  ["initiatives", "Initiatives"],
];

/** The codes of the route, upper-case, in the route's order. */
export function pairOf(ctx) {
  return [ctx.params.a.toUpperCase(), ctx.params.b.toUpperCase()];
}

/** "United States – Cambodia" as the page's heading, and the tabs, the current one marked. */
export function pairHeader(ctx, current, subtitle) {
  const [a, b] = pairOf(ctx);
  return [
    h("p", { class: "crumbs" }, h("a", { href: link.home() }, "Pairs"), " / ",
      h("a", { href: link.home({ country: a.toLowerCase() }) }, "pairs of " + countryName(a))),
    h("h1", { tabindex: "-1" }, pairName(a, b), subtitle ? h("span", { class: "subtitle" }, " " + subtitle) : null),
    h("nav", { class: "tabs", "aria-label": "Views of this pair" },
      h("ul", {}, pairViews.map(([view, label]) => h("li", {},
        h("a", { href: link.pair(a, b, view), "aria-current": view === current ? "page" : null }, label))))),
  ];
}

/** The same records as CSV, through the collections' own filters. */
export function pairCSVRequests(ctx, types = ["meetings", "statements", "initiatives"]) {
  const [a, b] = pairOf(ctx);
  for (const collection of types) {
    ctx.request(`The pair's ${collection} (a list that also answers CSV)`, `/v1/${collection}`,
      { country: [a, b], limit: 500 }, { csv: true });
  }
}
