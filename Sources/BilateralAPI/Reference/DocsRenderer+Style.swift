extension DocsRenderer {
    /// The page's only stylesheet, inline: system fonts, no `url(...)`, light and dark schemes.
    static let stylesheet = """
        :root {
          --text: #1d2330; --muted: #5d6677; --line: #e2e6ee; --bg: #ffffff; --panel: #f6f8fb;
          --code: #f1f3f7; --accent: #2456c7;
          --get: #1f7a4d; --post: #2456c7; --put: #a15c00; --patch: #6b4bc2; --delete: #b42318; --other: #5d6677;
          color-scheme: light dark;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --text: #e4e8f0; --muted: #9aa4b5; --line: #2c3340; --bg: #14181f; --panel: #1b2029;
            --code: #232a35; --accent: #7aa2ff;
          }
        }
        * { box-sizing: border-box; }
        html { scroll-behavior: smooth; }
        body {
          margin: 0; display: grid; grid-template-columns: 17rem minmax(0, 1fr); background: var(--bg);
          color: var(--text); font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
        }
        code, pre {
          font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
          font-size: 0.88em;
        }
        code { background: var(--code); padding: 0.1em 0.35em; border-radius: 4px; }
        pre {
          background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.8rem 1rem;
          overflow-x: auto;
        }
        pre code { background: none; padding: 0; }
        a { color: var(--accent); text-decoration: none; }
        a:hover { text-decoration: underline; }
        nav {
          position: sticky; top: 0; height: 100vh; overflow-y: auto; padding: 1.2rem 1rem;
          background: var(--panel); border-right: 1px solid var(--line); font-size: 0.9rem;
        }
        nav .brand { display: block; font-weight: 700; font-size: 1.15rem; color: var(--text); margin-bottom: 1rem; }
        nav h3 { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.06em; margin: 1.2rem 0 0.4rem; }
        nav h3 a { color: var(--muted); }
        nav ul { list-style: none; margin: 0; padding: 0; }
        nav li a {
          display: flex; gap: 0.5rem; align-items: center; padding: 0.2rem 0.3rem; border-radius: 4px;
          color: var(--text);
        }
        nav li a:hover { background: var(--code); text-decoration: none; }
        nav .path { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.82rem; word-break: break-all; }
        main { padding: 2rem 3rem 4rem; max-width: 64rem; }
        header { border-bottom: 1px solid var(--line); padding-bottom: 1.5rem; }
        h1 { font-size: 2.1rem; margin: 0 0 0.2rem; }
        h2 {
          font-size: 1.45rem; margin: 2.5rem 0 0.8rem; padding-bottom: 0.3rem;
          border-bottom: 1px solid var(--line);
        }
        h3 { font-size: 1.15rem; margin: 0 0 0.5rem; }
        h4 {
          font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted);
          margin: 1.4rem 0 0.5rem;
        }
        .meta, .muted { color: var(--muted); }
        .small { font-size: 0.85rem; }
        .lead { font-size: 1.1rem; }
        .md p { margin: 0.4rem 0; }
        .md ul { margin: 0.4rem 0; padding-left: 1.3rem; }
        .servers { padding-left: 1.2rem; }
        .schemes dt { font-weight: 600; margin-top: 0.6rem; }
        .schemes dd { margin: 0.2rem 0 0 1.2rem; }
        .operation, .schema-definition {
          border: 1px solid var(--line); border-radius: 8px; padding: 1.2rem 1.4rem; margin: 1.2rem 0;
          scroll-margin-top: 1rem;
        }
        .operation h3 { display: flex; align-items: center; gap: 0.7rem; flex-wrap: wrap; }
        .operation h3 code.path { background: none; padding: 0; font-size: 1.05rem; }
        .path .param { color: var(--accent); }
        .summary { font-weight: 600; margin: 0.2rem 0; }
        .method {
          display: inline-block; min-width: 3.6rem; text-align: center; padding: 0.1rem 0.45rem; border-radius: 4px;
          color: #fff; font: 700 0.72rem/1.6 ui-monospace, Menlo, Consolas, monospace; letter-spacing: 0.04em;
        }
        .m-get { background: var(--get); } .m-post { background: var(--post); } .m-put { background: var(--put); }
        .m-patch { background: var(--patch); } .m-delete { background: var(--delete); }
        .m-head, .m-options, .m-trace, .m-other { background: var(--other); }
        .security .label {
          font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted);
          margin-right: 0.4rem;
        }
        .deprecated { color: var(--delete); font-weight: 600; }
        table { width: 100%; border-collapse: collapse; font-size: 0.92rem; margin: 0.4rem 0; }
        th {
          text-align: left; font-weight: 600; color: var(--muted); border-bottom: 2px solid var(--line);
          padding: 0.35rem 0.5rem;
        }
        td { vertical-align: top; border-bottom: 1px solid var(--line); padding: 0.45rem 0.5rem; }
        td p { margin: 0 0 0.3rem; }
        td ul.constraints { margin: 0.2rem 0 0; padding-left: 1rem; color: var(--muted); font-size: 0.85rem; }
        .required {
          color: var(--delete); font-size: 0.75rem; font-weight: 600; text-transform: uppercase;
          letter-spacing: 0.04em;
        }
        .type { color: var(--patch); font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.86em; }
        .type.null { color: var(--muted); }
        a.type { color: var(--accent); font-weight: 600; }
        details.response { border: 1px solid var(--line); border-radius: 6px; margin: 0.5rem 0; }
        details.response summary { cursor: pointer; padding: 0.5rem 0.8rem; }
        details.response[open] summary { border-bottom: 1px solid var(--line); }
        .response-body { padding: 0.4rem 1rem 0.8rem; }
        .status {
          display: inline-block; font: 700 0.85rem ui-monospace, Menlo, Consolas, monospace;
          padding: 0.05rem 0.4rem; border-radius: 4px; margin-right: 0.3rem;
        }
        .s2 { background: #dcf3e5; color: #14532d; } .s3 { background: #dbe6fb; color: #1e3a8a; }
        .s4 { background: #fdebd3; color: #7c2d12; } .s5 { background: #fbd9d6; color: #7f1d1d; }
        .media { margin: 0.6rem 0; }
        .media-type { margin: 0.4rem 0; }
        .schema-type { font-weight: 400; }
        ul.fields { list-style: none; margin: 0.3rem 0; padding-left: 0.9rem; border-left: 2px solid var(--line); }
        ul.fields li { margin: 0.45rem 0; }
        ul.fields .md p { margin: 0.1rem 0; color: var(--muted); font-size: 0.92rem; }
        ol.variants { margin: 0.3rem 0; }
        figure.example { margin: 0.6rem 0; }
        figure.example figcaption { font-size: 0.85rem; color: var(--muted); font-weight: 600; }
        .nav-toggle, .nav-toggle-label { display: none; }
        @media (max-width: 52rem) {
          body { display: block; }
          nav {
            position: sticky; top: 0; z-index: 1; height: auto; max-height: 100vh; padding: 0.6rem 1rem;
            display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
            border-right: none; border-bottom: 1px solid var(--line);
          }
          nav .brand { margin: 0; }
          .nav-toggle { display: block; position: absolute; opacity: 0; width: 1px; height: 1px; margin: 0; }
          .nav-toggle-label {
            display: inline-block; cursor: pointer; padding: 0.25rem 0.75rem; border: 1px solid var(--line);
            border-radius: 6px; background: var(--bg); user-select: none;
          }
          .nav-toggle-label::after { content: " \\25BE"; }
          .nav-toggle:checked + .nav-toggle-label::after { content: " \\25B4"; }
          .nav-toggle:focus-visible + .nav-toggle-label { outline: 2px solid var(--accent); }
          .nav-index { display: none; flex-basis: 100%; max-height: 70vh; overflow-y: auto; margin-top: 0.4rem; }
          .nav-toggle:checked ~ .nav-index { display: block; }
          [id] { scroll-margin-top: 3.5rem; }
          main { padding: 1.2rem; }
        }

        """
}
