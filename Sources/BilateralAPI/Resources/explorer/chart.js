// The activity chart: stacked bars of meetings, statements and status changes per period, every
// period drawn (an empty one as a baseline tick), values on hover and focus, and the same
// numbers as a table for screen readers and for copying.

import { h, svg } from "./dom.js";

export const series = [
  { key: "meetings", label: "Meetings" },
  { key: "statements", label: "Statements" },
  { key: "status_changes", label: "Status changes" },
];

const width = 800;
const height = 260;
const margin = { top: 12, right: 8, bottom: 36, left: 36 };

/** A round upper bound for the axis: 1, 2, 5 × 10^n. */
function niceMax(value) {
  if (value <= 4) return Math.max(1, value);
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((bound) => bound >= value);
}

function describe(period) {
  return `${period.period}: ` + series.map((s) => `${period[s.key]} ${s.label.toLowerCase()}`).join(", ")
    + ` (total ${period.total})`;
}

/** The chart, its legend, a live readout of the period under the pointer, and the table. */
export function activityChart(activity) {
  const periods = activity.data || [];
  const readout = h("p", { class: "chart-readout", "aria-live": "polite" },
    periods.length ? "Point at or tab to a period to read its values." : "No events in this range.");
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const top = niceMax(Math.max(0, ...periods.map((p) => p.total)));
  const slot = plotWidth / Math.max(1, periods.length);
  const barWidth = Math.max(1, Math.min(48, slot * 0.7));
  const y = (value) => margin.top + plotHeight - (value / top) * plotHeight;
  const labelEvery = Math.ceil(periods.length / 12);

  const ticks = [0, top / 2, top].filter((tick, i, all) => Number.isInteger(tick) && all.indexOf(tick) === i);
  const grid = ticks.map((tick) => svg("g", { class: "tick" },
    svg("line", { x1: margin.left, x2: width - margin.right, y1: y(tick), y2: y(tick) }),
    svg("text", { x: margin.left - 6, y: y(tick) + 4, "text-anchor": "end" }, String(tick))));

  const bars = periods.map((period, index) => {
    const x = margin.left + index * slot + (slot - barWidth) / 2;
    let base = 0;
    const rects = series.map((s) => {
      const value = period[s.key];
      const rect = value
        ? svg("rect", { class: "bar bar-" + s.key, x, width: barWidth, y: y(base + value), height: y(base) - y(base + value) })
        : null;
      base += value;
      return rect;
    });
    const label = describe(period);
    const group = svg("g", { class: "period", tabindex: "0", role: "img", "aria-label": label },
      svg("title", {}, label),
      svg("rect", { class: "hit", x: margin.left + index * slot, width: slot, y: margin.top, height: plotHeight }),
      period.total ? rects : svg("rect", { class: "bar zero", x, width: barWidth, y: y(0) - 1, height: 1 }),
      index % labelEvery === 0
        ? svg("text", { class: "period-label", x: x + barWidth / 2, y: height - margin.bottom + 16, "text-anchor": "middle" },
          period.period)
        : null);
    const show = () => { readout.textContent = label; group.classList.add("active"); };
    const hide = () => group.classList.remove("active");
    group.addEventListener("mouseenter", show);
    group.addEventListener("focus", show);
    group.addEventListener("mouseleave", hide);
    group.addEventListener("blur", hide);
    return group;
  });

  const chart = svg("svg", {
    class: "chart", viewBox: `0 0 ${width} ${height}`, role: "group",
    "aria-label": `Events per ${activity.interval}, ${activity.from || ""} to ${activity.to || ""}`,
  }, grid, bars);

  const legend = h("ul", { class: "legend" },
    series.map((s) => h("li", {}, h("span", { class: "swatch bar-" + s.key, "aria-hidden": "true" }), s.label)));

  const table = h("details", { class: "chart-table" },
    h("summary", {}, "The numbers as a table"),
    h("table", {},
      h("caption", {}, `Events per ${activity.interval}`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Period"),
        series.map((s) => h("th", { scope: "col" }, s.label)), h("th", { scope: "col" }, "Total"))),
      h("tbody", {}, periods.map((period) => h("tr", {},
        h("th", { scope: "row" }, period.period),
        series.map((s) => h("td", {}, String(period[s.key]))),
        h("td", {}, String(period.total)))))));

  return h("figure", { class: "activity" }, chart, legend, readout, table);
}
