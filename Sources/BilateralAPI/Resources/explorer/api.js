// The explorer's only way out: requests to the public API of the server that served the page
// (or of the one named once by ?api=… for a copy of these files hosted elsewhere).

const KEY_ITEM = "bilateral.key";
const BASE_ITEM = "bilateral.api";

/** The API's origin: this page's, unless the page was opened with ?api=https://node. */
export const base = (() => {
  const named = new URLSearchParams(location.search).get("api");
  if (named) {
    try {
      const origin = new URL(named).origin;
      sessionStorage.setItem(BASE_ITEM, origin);
      return origin;
    } catch { /* not a URL: keep this page's origin */ }
  }
  return sessionStorage.getItem(BASE_ITEM) || location.origin;
})();

/** The API key of this tab (sessionStorage: gone when the tab closes), or null. */
export function apiKey() {
  return sessionStorage.getItem(KEY_ITEM);
}

export function setAPIKey(key) {
  if (key) sessionStorage.setItem(KEY_ITEM, key);
  else sessionStorage.removeItem(KEY_ITEM);
}

/** A problem+json answer (RFC 9457) or a failed request. */
export class APIError extends Error {
  constructor(status, problem, url) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.url = url;
  }
}

/**
 * path + query as the API takes it: arrays repeat the parameter, empty values are left out.
 * Returns the absolute URL.
 */
export function apiURL(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const one of [value].flat()) {
      if (one === null || one === undefined || one === "") continue;
      params.append(name, String(one));
    }
  }
  const search = params.toString();
  return base + path + (search ? "?" + search : "");
}

export function authHeaders() {
  const key = apiKey();
  return key ? { Authorization: "Bearer " + key } : {};
}

/** GET a JSON representation; throws APIError on anything but 2xx. */
export async function getJSON(path, query = {}, { signal } = {}) {
  const url = apiURL(path, query);
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json", ...authHeaders() }, signal });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new APIError(0, { detail: "The server did not answer: " + error.message }, url);
  }
  const type = response.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new APIError(response.status, body, url);
  return body;
}

/** Every page of a list, following next_cursor, up to `max` items. */
export async function getAll(path, query = {}, { signal, max = 500 } = {}) {
  const items = [];
  let cursor = null;
  do {
    const page = await getJSON(path, { ...query, limit: Math.min(max, 500), cursor }, { signal });
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return items;
}

/** A shell-safe curl command for a GET of `url`. */
export function curlCommand(url, accept) {
  const quote = (text) => "'" + String(text).replaceAll("'", "'\\''") + "'";
  const parts = ["curl", "-s"];
  if (apiKey()) parts.push("-H", quote("Authorization: Bearer ") + '"$BILATERAL_KEY"');
  if (accept) parts.push("-H", quote("Accept: " + accept));
  parts.push(quote(url));
  return parts.join(" ");
}

const records = new Map();

/**
 * One record by collection and id (meetings, statements, initiatives, actors, sources), fetched
 * once per page load and shared by every view that names it.
 */
export function getRecord(collection, id) {
  const key = collection + "/" + id;
  if (!records.has(key)) {
    const request = getJSON(`/v1/${collection}/${encodeURIComponent(id)}`);
    request.catch(() => records.delete(key));
    records.set(key, request);
  }
  return records.get(key);
}

/** Forgets a cached record (the change feed said it changed). */
export function forgetRecord(collection, id) {
  records.delete(collection + "/" + id);
}

let prefetchedFrontDoor = null;

/** GET / as JSON (name, version, counts — null on a private server), kept for one use. */
export function prefetchFrontDoor() {
  prefetchedFrontDoor = getJSON("/");
  return prefetchedFrontDoor;
}

/** The prefetched front door, once: the first view may use it instead of asking again. */
export function takeFrontDoor() {
  const door = prefetchedFrontDoor;
  prefetchedFrontDoor = null;
  return door;
}
