// "This view as JSON / CSV / curl": the API requests behind a view, so the page teaches the API.

import { curlCommand, apiKey } from "./api.js";
import { h } from "./dom.js";

/**
 * The panel for `requests` ([{title, url, csv}]): each request's JSON link, its CSV link where
 * the endpoint answers CSV, and a curl command to copy.
 */
export function requestPanel(requests, note) {
  const items = requests.map((request) =>
    h("li", {},
      h("span", { class: "request-title" }, request.title),
      " ",
      request.accept
        ? h("span", { class: "muted" }, "JSON with Accept: " + request.accept)
        : h("a", { href: request.url, class: "request-link", rel: "noopener" }, "JSON"),
      request.csv ? [" · ", h("a", { href: request.csv, class: "request-link", rel: "noopener" }, "CSV")] : null,
      h("pre", { class: "curl" }, h("code", {}, curlCommand(request.url, request.accept))),
      request.csv ? h("pre", { class: "curl" }, h("code", {}, curlCommand(request.csv))) : null,
    ));
  return h("details", { class: "api-panel", id: "api-panel" },
    h("summary", {}, "This view as JSON / CSV / curl"),
    h("p", { class: "muted" },
      "The requests this view made to the public API. ",
      apiKey() ? "This server is private: the links need the key, so use curl with BILATERAL_KEY set. " : "",
      note || ""),
    h("ul", { class: "requests" }, items));
}
