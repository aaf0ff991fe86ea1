// A pair's initiatives, each as a status track with the evidence of every change.

import { initiativeTrack } from "./cards.js";
import { append, h } from "./dom.js";
import { countryName, loadCountries } from "./format.js";
import { pairCSVRequests, pairHeader, pairOf } from "./pair-nav.js";

export async function render(ctx, root) {
  const [a, b] = pairOf(ctx);
  const [initiatives] = await Promise.all([
    ctx.getAll("The pair's initiatives", "/v1/initiatives", { country: [a, b] }, { csv: true }),
    loadCountries(),
  ]);
  ctx.watchPair(a, b);
  pairCSVRequests(ctx, ["meetings", "statements"]);
  ctx.title(`Initiatives of ${countryName(a)} – ${countryName(b)}`);
  const cards = await Promise.all(initiatives.map((initiative) => initiativeTrack(initiative, ctx, { heading: "h2" })));
  append(root, 
    ...pairHeader(ctx, "initiatives"),
    h("p", { class: "muted" }, `${initiatives.length} initiatives. Each shows the stages an initiative passes, the ones `
      + "it reached, and every change of status with the meeting or statement it rests on."),
    cards.length ? h("ul", { class: "initiatives" }, cards.map((card) => h("li", {}, card)))
      : h("p", {}, "No initiatives involve both countries."));
}
