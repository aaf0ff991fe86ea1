// Live updates from the change feed, GET /v1/changes/stream (Server-Sent Events). Read with
// fetch() and a stream parser rather than EventSource, which cannot send the Authorization
// header a private server needs. A server without the feed (404) simply has no live updates.

import { apiURL, authHeaders } from "./api.js";

/**
 * Parses the text/event-stream format (HTML Living Standard, "Server-sent events", §9.2.6) from
 * chunks of text: fields `event`, `data` (joined by newlines), `id`; lines starting with ":" are
 * comments (heartbeats); a blank line dispatches the event.
 */
export class EventStreamParser {
  constructor(dispatch) {
    this.dispatch = dispatch;
    this.buffer = "";
    this.reset();
  }

  reset() {
    this.event = "";
    this.data = [];
    this.id = null;
  }

  push(chunk) {
    let text = this.buffer + chunk;
    // A chunk may end in the middle of a line, or between a CR and its LF: a final CR waits
    // for the next chunk, so that CR LF is one line end, not two.
    const held = text.endsWith("\r") ? "\r" : "";
    if (held) text = text.slice(0, -1);
    const lines = text.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() + held;
    for (const line of lines) this.line(line);
  }

  line(line) {
    if (line === "") {
      if (this.data.length) this.dispatch({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
      this.reset();
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    else if (field === "id" && !value.includes("\0")) this.id = value;
  }
}

/**
 * Follows the feed until the page closes: `onChange(change)` for each change, `onState(state)`
 * with "live", "reconnecting" or "off". Reconnects after a dropped connection from the last seq
 * seen, waiting longer after each failure (1 s up to 30 s).
 */
export function follow({ onChange, onState }) {
  let since = null;
  let delay = 1000;
  let controller = null;
  let hidden = false;

  // A stream never ends by itself: leaving the page ends it, so its connection is not kept open
  // (a browser has only six per server), and coming back from the back-forward cache resumes it.
  addEventListener("pagehide", () => {
    hidden = true;
    controller?.abort();
  });
  addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    hidden = false;
    connect();
  });

  async function connect() {
    if (hidden) return;
    controller = new AbortController();
    let response;
    try {
      response = await fetch(apiURL("/v1/changes/stream", { since }), {
        headers: { Accept: "text/event-stream", ...authHeaders() },
        cache: "no-store",
        signal: controller.signal,
      });
    } catch {
      return retry();
    }
    // No feed on this server (404), or not for this key: reloading still shows what changed.
    if ([401, 403, 404, 405, 410].includes(response.status)) {
      onState("off");
      return;
    }
    if (!response.ok || !response.body) return retry();
    onState("live");
    delay = 1000;
    const parser = new EventStreamParser((event) => {
      if (event.event !== "change") return;
      let change;
      try {
        change = JSON.parse(event.data);
      } catch {
        return;
      }
      since = event.id ?? String(change.seq);
      onChange(change);
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch {
      // The connection dropped: reconnect below.
    }
    retry();
  }

  function retry() {
    if (hidden) return;
    onState("reconnecting");
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 30000);
  }

  connect();
}
