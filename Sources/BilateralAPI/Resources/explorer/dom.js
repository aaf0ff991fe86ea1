// Building the DOM without HTML strings: every text from the API is set as a text node, so
// markup inside a record (a quote holding "<script>") is shown, never parsed.

/**
 * An element: h("a", {href: "#/", class: "x"}, "text", child, [more], null).
 * Props are attributes; `on*` functions become listeners; `dataset` and `aria` take objects.
 * Children may be strings (text nodes), nodes, arrays of them, or null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const node = tag.startsWith("svg:")
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(node, children);
  return node;
}

/** Appends children as h() takes them. */
export function append(node, ...children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An SVG element (h with the SVG namespace). */
export function svg(tag, props = {}, ...children) {
  return h("svg:" + tag, props, ...children);
}

/** Removes every child. */
export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

/**
 * A search snippet as nodes: the API marks each matched term with <mark>…</mark>; everything
 * else is text, so a snippet's own "<b>" or "<script>" is shown as written.
 */
export function highlighted(snippet) {
  const parts = [];
  let rest = String(snippet ?? "");
  while (rest.length) {
    const open = rest.indexOf("<mark>");
    if (open < 0) { parts.push(rest); break; }
    const close = rest.indexOf("</mark>", open + 6);
    if (close < 0) { parts.push(rest); break; }
    if (open > 0) parts.push(rest.slice(0, open));
    parts.push(h("mark", {}, rest.slice(open + 6, close)));
    rest = rest.slice(close + 7);
  }
  return parts;
}
