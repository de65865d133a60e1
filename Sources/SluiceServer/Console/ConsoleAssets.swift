/// The console's style sheet (the script is in `ConsoleAssets+Script.swift`). Mobile first: one column at 375 px,
/// tables scroll sideways inside their card.
enum ConsoleAssets {
    static let css = """
        :root { --fg: #1b1f24; --muted: #5b6470; --line: #d7dce2; --bg: #f5f7f9; --accent: #0b5cad; --bad: #a4161a; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
        main { padding: 12px; max-width: 1200px; margin: 0 auto; }
        h1 { font-size: 1.4rem; margin: 8px 0 12px; }
        h2 { font-size: 1.1rem; margin: 0 0 8px; }
        .top { background: #14202e; color: #fff; }
        .top nav { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; padding: 10px 12px; }
        .top a, .top .link { color: #cfe3ff; text-decoration: none; background: none; border: 0; font: inherit;
          padding: 4px 2px; cursor: pointer; }
        .top a[aria-current] { color: #fff; font-weight: 600; border-bottom: 2px solid #fff; }
        .brand { font-weight: 700; margin-right: 8px; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin: 0 0 12px; }
        .narrow { max-width: 420px; margin: 40px auto; }
        label { display: block; font-weight: 600; margin: 6px 0 2px; }
        .filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; }
        .filters label { margin: 0; }
        input, select { font: inherit; padding: 6px 8px; border: 1px solid #9aa4ae; border-radius: 4px;
          max-width: 100%; }
        button { font: inherit; padding: 6px 12px; border-radius: 4px; border: 1px solid var(--accent);
          background: var(--accent); color: #fff; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); }
        :focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        td code { word-break: break-all; }
        code, td, h2 { overflow-wrap: anywhere; }
        .error { color: var(--bad); font-weight: 600; }
        .warning { background: #fff4d6; border: 1px solid #e0b84f; padding: 6px 8px; border-radius: 4px; }
        .hint { color: var(--muted); }
        .secret { font-size: 1.05rem; background: #eef3f8; padding: 4px 6px; word-break: break-all; }
        .events { list-style: none; padding: 0; margin: 0; }
        .events li { border-top: 1px solid var(--line); padding: 8px 0; }
        .events .meta { font-weight: 600; }
        pre { margin: 4px 0 0; padding: 8px; background: #f0f2f5; overflow-x: auto; white-space: pre-wrap;
          word-break: break-word; font-size: 13px; }
        .tabs { display: flex; gap: 6px; margin: 0 0 8px; }
        .tabs [aria-selected="false"] { background: #fff; color: var(--accent); }
        .snippet h3 { font-size: 1rem; margin: 10px 0 0; }
        img.chart { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
        button.danger { background: var(--bad); border-color: var(--bad); }
        textarea { font: 13px/1.4 ui-monospace, monospace; width: 100%; padding: 6px 8px; border: 1px solid #9aa4ae;
          border-radius: 4px; }
        input { width: 100%; max-width: 32rem; }
        .filters input, input[type="checkbox"] { width: auto; }
        ul.plain { padding-left: 18px; }
        .finding.error { color: var(--bad); }
        .finding.ok { color: #1d6b2f; font-weight: 600; }
        @media (max-width: 600px) {
          main { padding: 8px; }
          table.cards thead { position: absolute; left: -9999px; }
          table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; }
          table.cards tr { border-top: 1px solid var(--line); padding: 6px 0; }
          table.cards td { border: 0; padding: 2px 0; }
          table.cards td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
        }
        """
}
