// Full-text search: the API's ranked hits with their highlighted snippets, each a link to its
// record.

import { getJSON } from "./api.js";
import { append, h, highlighted } from "./dom.js";
import { link, words } from "./format.js";

const types = ["meeting", "statement", "initiative", "actor"];

function target(hit) {
  return hit.type === "actor" ? link.actor(hit.id) : link.record(hit.type, hit.id);
}

function hitItem(hit) {
  return h("li", { class: "hit", dataset: { record: hit.type + "/" + hit.id } },
    h("p", { class: "card-head" }, h("span", { class: "badge badge-" + hit.type }, words(hit.type)),
      hit.date ? [" ", h("time", { datetime: hit.date }, hit.date)] : null),
    h("h2", { class: "card-title" }, h("a", { href: target(hit) }, hit.label)),
    h("p", { class: "snippet" }, highlighted(hit.snippet)));
}

export async function render(ctx, root) {
  const q = ctx.query.get("q") || "";
  const chosen = (ctx.query.get("types") || "").split(",").filter((type) => types.includes(type));
  const box = document.getElementById("search-box");
  if (box && box.value !== q) box.value = q;
  ctx.title(q ? `Search: ${q}` : "Search");
  append(root, h("h1", { tabindex: "-1" }, q ? `Search: \u201C${q}\u201D` : "Search"));

  const form = h("form", { class: "filters", action: "/", method: "get" },
    h("fieldset", { class: "types" }, h("legend", {}, "Only"),
      types.map((type) => h("label", {},
        h("input", { type: "checkbox", name: "types", value: type, checked: chosen.includes(type) }), " " + words(type) + "s"))),
    h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const checked = [...form.querySelectorAll("input[name=types]:checked")].map((input) => input.value);
    location.hash = link.search({ q, types: checked.join(",") });
  });
  append(root, form);

  if (!q) {
    append(root, h("p", {}, "Type words, \"a phrase\" or a prefix* in the box above."));
    return;
  }
  const query = { q, types: chosen.join(","), limit: 25 };
  let page;
  try {
    page = await ctx.get("The hits, best first", "/v1/search", query);
  } catch (error) {
    if (error.status !== 400) throw error;
    append(root, h("p", { class: "error", role: "alert" }, error.message));
    return;
  }
  for (const hit of page.data) ctx.watchRecord(hit.type, hit.id);
  const list = h("ol", { class: "hits" }, page.data.map(hitItem));
  const more = h("button", { type: "button", class: "more", hidden: !page.next_cursor }, "More results");
  let cursor = page.next_cursor;
  more.addEventListener("click", async () => {
    const next = await getJSON("/v1/search", { ...query, cursor }, { signal: ctx.signal });
    cursor = next.next_cursor;
    more.hidden = !cursor;
    list.append(...next.data.map(hitItem));
  });
  append(root, 
    h("p", { class: "muted", "aria-live": "polite" },
      page.data.length ? `${page.data.length}${cursor ? "+" : ""} hits` : "Nothing matches."),
    list, more);
}
