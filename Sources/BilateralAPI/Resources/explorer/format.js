// Names and labels: countries by code (from /v1/countries), the API's enum values as words,
// dates at their precision, and the explorer's own links.

import { getAll } from "./api.js";

let countriesRequest = null;
let countryNames = new Map();

/** Loads every country's name once (249 of them: one page). */
export function loadCountries() {
  if (!countriesRequest) {
    countriesRequest = getAll("/v1/countries", {}, { max: 500 }).then((countries) => {
      countryNames = new Map(countries.map((country) => [country.code, country.name]));
      return countries;
    });
    countriesRequest.catch(() => { countriesRequest = null; });
  }
  return countriesRequest;
}

/** "Cambodia" for "KH" (or "kh"), the code itself while names are unknown. */
export function countryName(code) {
  if (!code) return "";
  const upper = String(code).toUpperCase();
  return countryNames.get(upper) || upper;
}

/** "United States – Cambodia". */
export function pairName(a, b) {
  return countryName(a) + " \u2013 " + countryName(b);
}

/** An enum value as words: "under_discussion" → "under discussion". */
export function words(value) {
  return String(value ?? "").replaceAll("_", " ");
}

/** A date at its precision: "2024-06-04", "2024-06" (month) or "2024" (year). */
export function dateText(date, precision) {
  if (!date) return "";
  if (precision === "year") return date.slice(0, 4);
  if (precision === "month") return date.slice(0, 7);
  return date;
}

/** The statuses an initiative moves through, in order; the last two end it another way. */
export const statusTrack = ["proposed", "under_discussion", "agreed", "active", "completed"];
export const statusOff = ["suspended", "cancelled"];

/** Hash links of the explorer's views. */
export const link = {
  home: (query) => "#/" + queryString(query),
  pair: (a, b, view = "", query) =>
    `#/pair/${a.toLowerCase()}/${b.toLowerCase()}` + (view ? "/" + view : "") + queryString(query),
  actor: (id) => "#/actor/" + encodeURIComponent(id),
  record: (type, id) => `#/${type}/` + encodeURIComponent(id),
  search: (query) => "#/search" + queryString(query),
};

function queryString(query) {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const one of [value].flat()) if (one !== null && one !== undefined && one !== "") params.append(name, one);
  }
  const text = params.toString();
  return text ? "?" + text : "";
}

/** "3 meetings" / "1 meeting". */
export function count(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
