// A pair's events per month, quarter or year, as a chart with a table behind it.

import { activityChart } from "./chart.js";
import { append, h } from "./dom.js";
import { countryName, link, loadCountries } from "./format.js";
import { pairHeader, pairOf } from "./pair-nav.js";

const intervals = ["month", "quarter", "year"];

export async function render(ctx, root) {
  const [a, b] = pairOf(ctx);
  const interval = intervals.includes(ctx.query.get("interval")) ? ctx.query.get("interval") : "month";
  const from = ctx.query.get("from") || "";
  const to = ctx.query.get("to") || "";
  const [activity] = await Promise.all([
    ctx.get(`Events per ${interval}`, `/v1/relations/${a.toLowerCase()}/${b.toLowerCase()}/activity`,
      { interval, from, to }),
    loadCountries(),
  ]);
  ctx.watchPair(a, b);
  ctx.title(`Activity of ${countryName(a)} – ${countryName(b)}`);

  const form = h("form", { class: "filters", action: "/", method: "get" },
    h("p", { class: "field" }, h("label", { for: "interval" }, "Per"),
      h("select", { id: "interval", name: "interval" },
        intervals.map((value) => h("option", { value, selected: value === interval }, value)))),
    h("p", { class: "field" }, h("label", { for: "from" }, "From"),
      h("input", { id: "from", name: "from", type: "date", value: from })),
    h("p", { class: "field" }, h("label", { for: "to" }, "To"),
      h("input", { id: "to", name: "to", type: "date", value: to })),
    h("button", { type: "submit" }, "Show"));
  const go = (event) => {
    event.preventDefault();
    location.hash = link.pair(a, b, "activity", {
      interval: form.elements.interval.value, from: form.elements.from.value, to: form.elements.to.value,
    });
  };
  form.addEventListener("submit", go);
  form.elements.interval.addEventListener("change", go);

  append(root, 
    ...pairHeader(ctx, "activity", `per ${interval}`),
    form,
    h("p", { class: "muted" }, activity.from
      ? `From ${activity.from} to ${activity.to}: every ${interval} in the range is drawn, empty ones included.`
      : "This pair has no events yet."),
    activityChart(activity));
}
