// The explorer's shell: hash routes (each view its own URL; back and forward work), the search
// box, the key of a private server, the request panel under every view, and live refresh.

import { apiKey, apiURL, forgetRecord, getAll, getJSON, prefetchFrontDoor, setAPIKey } from "./api.js";
import { clear, h } from "./dom.js";
import { link } from "./format.js";
import { follow } from "./live.js";
import { requestPanel } from "./panel.js";
import * as actorView from "./view-actor.js";
import * as activityView from "./view-activity.js";
import * as initiativesView from "./view-initiatives.js";
import * as pairView from "./view-pair.js";
import * as pairsView from "./view-pairs.js";
import * as recordView from "./view-record.js";
import * as searchView from "./view-search.js";
import * as timelineView from "./view-timeline.js";

const viewRoot = document.getElementById("view");
const status = document.getElementById("status");
const collections = { meeting: "meetings", statement: "statements", initiative: "initiatives", actor: "actors", source: "sources" };

/** Whether the hash names a view (`#/…`); `#view`, the skip link's target, does not. */
function isViewHash() {
  return location.hash === "" || location.hash.startsWith("#/");
}

/** The route of the current hash: `#/pair/us/kh/timeline?types=meeting`. */
function route() {
  const raw = isViewHash() ? location.hash.slice(1) || "/" : "/";
  const mark = raw.indexOf("?");
  const path = mark < 0 ? raw : raw.slice(0, mark);
  const query = new URLSearchParams(mark < 0 ? "" : raw.slice(mark + 1));
  let segments;
  try {
    segments = path.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    segments = ["?"];
  }
  const code = /^[A-Za-z]{2}$/;
  const [first, second, third, fourth] = segments;
  if (!segments.length) return { view: pairsView, name: "pairs", params: {}, query };
  if (first === "pair" && code.test(second || "") && code.test(third || "") && segments.length <= 4) {
    const views = { "": [pairView, "pair"], activity: [activityView, "activity"],
      timeline: [timelineView, "timeline"], initiatives: [initiativesView, "initiatives"] };
    const chosen = Object.hasOwn(views, fourth ?? "") ? views[fourth ?? ""] : null;
    if (chosen) return { view: chosen[0], name: chosen[1], params: { a: second, b: third }, query };
  }
  if (first === "actor" && second && segments.length === 2) return { view: actorView, name: "actor", params: { id: second }, query };
  if (first === "search" && segments.length === 1) return { view: searchView, name: "search", params: {}, query };
  if (["meeting", "statement", "initiative", "source"].includes(first) && second && segments.length === 2) {
    return { view: recordView, name: first, params: { type: first, id: second }, query };
  }
  return { view: null, name: "not-found", params: {}, query };
}

/** What a view gets: its route, the API through a recorder of its requests, and what it watches. */
function context(current, signal) {
  const ids = new Set();
  const pairs = [];
  const predicates = [];
  const mounted = [];
  const ctx = {
    params: current.params,
    query: current.query,
    signal,
    requests: [],
    note: "",
    titleText: "Bilateral explorer",
    request(title, path, query = {}, { csv = false } = {}) {
      ctx.requests.push({
        title, url: apiURL(path, query), csv: csv ? apiURL(path, { ...query, format: "csv" }) : null,
        // The front door answers JSON only when asked; a browser following the link gets this page.
        accept: path === "/" ? "application/json" : null,
      });
    },
    get(title, path, query = {}, options = {}) {
      ctx.request(title, path, query, options);
      return getJSON(path, query, { signal });
    },
    getAll(title, path, query = {}, options = {}) {
      ctx.request(title, path, { ...query, limit: 500 }, options);
      return getAll(path, query, { signal });
    },
    title(text) { ctx.titleText = text; },
    watchRecord(type, id) { ids.add(type + "/" + id); },
    watchPair(a, b) { pairs.push([a.toUpperCase(), b.toUpperCase()]); },
    watchWhen(predicate) { predicates.push(predicate); },
    mounted(callback) { mounted.push(callback); },
    /** Whether a change touches what this view shows. */
    shows(change) {
      if (ids.has(change.type + "/" + change.id)) return true;
      const countries = change.record?.countries || [];
      if (pairs.some(([a, b]) => countries.includes(a) && countries.includes(b))) return true;
      return predicates.some((predicate) => predicate(change.record, change));
    },
    runMounted() { for (const callback of mounted) callback(); },
  };
  return ctx;
}

let current = null;
let renders = 0;

function keyForm(message) {
  const input = h("input", { id: "api-key", name: "key", type: "password", autocomplete: "off", required: true });
  const form = h("form", { class: "key-form", action: "/", method: "get" },
    h("p", { class: "field" }, h("label", { for: "api-key" }, "API key"), input),
    h("button", { type: "submit" }, "Use this key"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    setAPIKey(input.value.trim());
    show();
  });
  return h("section", { class: "key" },
    h("h1", { tabindex: "-1" }, "This server's records are private"),
    h("p", { role: "alert" }, message),
    form,
    h("p", { class: "muted" }, "The key is kept in this tab only (sessionStorage, gone when the tab closes) and sent as ",
      h("code", {}, "Authorization: Bearer \u2026"), " with every request. A read key is enough: ",
      h("code", {}, "bilateral keys create --name me --scope read"), "."));
}

function problem(error) {
  return h("section", { class: "problem" },
    h("h1", { tabindex: "-1" }, error.status === 404 ? "Not found" : "Something went wrong"),
    h("p", { role: "alert" }, error.message || String(error)),
    error.url ? h("p", { class: "muted" }, "Request: ", h("code", {}, error.url)) : null,
    h("p", {}, h("a", { href: link.home() }, "Back to the pairs")));
}

function keyStatus() {
  clear(status);
  if (apiKey()) {
    status.append("Private server: using your key. ",
      h("button", { type: "button", class: "link", onclick: () => { setAPIKey(null); show(); } }, "Forget key"));
  }
}

/** Renders the view of the current hash; `quiet` keeps the old view up until the new is ready. */
async function show({ quiet = false } = {}) {
  current?.controller.abort();
  const chosen = route();
  const controller = new AbortController();
  const ctx = context(chosen, controller.signal);
  current = { controller, ctx, name: chosen.name };
  const number = ++renders;
  if (!quiet) viewRoot.setAttribute("aria-busy", "true");
  const container = h("div", { class: "view view-" + chosen.name });
  let failed = false;
  try {
    if (!chosen.view) throw Object.assign(new Error("No view has this address."), { status: 404 });
    await chosen.view.render(ctx, container);
  } catch (error) {
    if (error.name === "AbortError" || controller.signal.aborted) return;
    failed = true;
    clear(container).append(error.status === 401
      ? keyForm(apiKey() ? "The key was refused: " + error.message : "Reading this server needs an API key.")
      : problem(error));
  }
  if (controller.signal.aborted) return;
  if (!failed) container.append(requestPanel(ctx.requests, ctx.note));
  const scroll = quiet ? scrollY : 0;
  const panelOpen = quiet && document.getElementById("api-panel")?.open;
  clear(viewRoot).append(container);
  if (panelOpen) document.getElementById("api-panel").open = true;
  document.title = ctx.titleText + (ctx.titleText === "Bilateral explorer" ? "" : " \u00B7 Bilateral");
  keyStatus();
  if (quiet) {
    scrollTo(0, scroll);
  } else {
    scrollTo(0, 0);
    container.querySelector("h1")?.focus({ preventScroll: true });
  }
  viewRoot.setAttribute("aria-busy", "false");
  ctx.runMounted();
  // For tests and for measuring: which render is on screen, and when it got there.
  document.documentElement.dataset.view = chosen.name;
  document.documentElement.dataset.readyMs = performance.now().toFixed(1);
  document.documentElement.dataset.ready = String(number);
  if (!live && !failed) {
    live = true;
    startLive();
  }
}

let refreshTimer = null;
let live = false;

function startLive() {
  const badge = h("span", { class: "live", hidden: true, title: "This page updates when a record it shows changes" }, "\u25CF live");
  document.querySelector("header.top").append(badge);
  follow({
    onState(state) {
      badge.hidden = state !== "live";
      badge.textContent = state === "live" ? "\u25CF live" : "";
    },
    onChange(change) {
      if (collections[change.type]) forgetRecord(collections[change.type], change.id);
      if (!current || !current.ctx.shows(change)) return;
      // A burst of changes (an import) refreshes once.
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => show({ quiet: true }), 250);
    },
  });
}

document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = document.getElementById("search-box").value.trim();
  if (q) location.hash = link.search({ q });
});

/**
 * Before the first view, a server whose front door shows no counts is private (--private): ask
 * for a key at once instead of letting every request of the view be refused.
 */
async function start() {
  if (!apiKey()) {
    const door = await prefetchFrontDoor().catch(() => null);
    if (door && door.counts === null) {
      clear(viewRoot).append(h("div", { class: "view view-key" }, keyForm("Reading this server needs an API key.")));
      viewRoot.setAttribute("aria-busy", "false");
      viewRoot.querySelector("h1").focus();
      document.documentElement.dataset.view = "key";
      document.documentElement.dataset.ready = "key";
      return;
    }
  }
  show();
}

addEventListener("hashchange", () => {
  if (isViewHash()) show();
  else viewRoot.focus();
});
start();
