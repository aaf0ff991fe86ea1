extension FrontDoor {
    /// The page's stylesheet, served from its own path so that the page's
    /// `Content-Security-Policy` can say `style-src 'self'` and allow no inline style.
    static let stylesheet = """
        :root { color-scheme: light dark; --text: #1d2330; --muted: #5b6473; --line: #d9dde4; --link: #1f5fbf; }
        @media (prefers-color-scheme: dark) {
          :root { --text: #e4e7ec; --muted: #9aa3b2; --line: #333a46; --link: #7fb0ff; }
        }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--text); }
        main { max-width: 44rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
        h1 { font-size: 1.8rem; margin: 0 0 0.5rem; }
        h1 .version { font-size: 1rem; color: var(--muted); font-weight: 400; }
        h2 { font-size: 1.1rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--line); }
        a { color: var(--link); text-decoration: none; }
        a:hover { text-decoration: underline; }
        ul { padding-left: 1.2rem; }
        li { margin: 0.35rem 0; }
        code { font: 0.85rem ui-monospace, Menlo, Consolas, monospace; color: var(--muted); word-break: break-all; }
        .counts { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
        .counts li { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 0.4rem 0.8rem; }
        .hint { margin-top: 2rem; color: var(--muted); font-size: 0.9rem; }

        """

    /// Where the stylesheet is served: the path names its content, so it can be cached for a year.
    static let stylesheetPath =
        "/explorer/front-door." + ETag.of(Array(stylesheet.utf8)).filter(\.isHexDigit).prefix(12)
        + ".css"
}
