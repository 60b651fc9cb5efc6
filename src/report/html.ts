/**
 * HTML building blocks for the reports: escaping and the page shell. Every
 * user-provided string (class names, spec text, layer names, run names) goes
 * through `esc` before it reaches the page; the page carries no scripts at all,
 * so nothing in a spec or a class name can run.
 */

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A number for a table cell: 4 significant digits, integers as they are. */
export function fmt(v: unknown): string {
  if (typeof v !== 'number') return v === undefined || v === null ? '' : String(v);
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

/** A plain table; `head` and cells are escaped. */
export function table(head: readonly string[], rows: readonly (readonly unknown[])[], cls = ''): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(typeof c === 'number' ? fmt(c) : c ?? '')}</td>`).join('')}</tr>`).join('\n');
  return `<table${cls ? ` class="${esc(cls)}"` : ''}><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

/** A titled section; `body` is already HTML. */
export function section(id: string, title: string, body: string): string {
  return `<section id="${esc(id)}"><h2>${esc(title)}</h2>\n${body}\n</section>`;
}

/** A chart figure: `svg` is markup produced by the chart or graph renderer. */
export function figure(name: string, title: string, svg: string): string {
  return `<figure class="chart" data-chart="${esc(name)}"><figcaption>${esc(title)}</figcaption>${svg}</figure>`;
}

const CSS = `
:root{color-scheme:light;--fg:#1d2330;--muted:#5b6475;--line:#d8dde6;--bg:#f6f7f9;--accent:#3465a4}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line);padding:16px 28px}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:2px 0;color:var(--muted)}
nav{margin-top:8px}nav a{margin-right:14px;color:var(--accent);text-decoration:none}
main{padding:12px 28px 40px;max-width:1400px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 18px;margin:16px 0}
h2{font-size:17px;margin:4px 0 12px}
.grid{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}
figure{margin:0}figcaption{font-weight:600;margin-bottom:4px;color:var(--muted)}
figure svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:3px 10px;text-align:right}
th:first-child,td:first-child{text-align:left}
th{background:#f0f2f5}
.kv td{text-align:left}
pre{background:#f6f8fa;border:1px solid var(--line);padding:10px;overflow:auto;max-height:480px;font-size:12px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(120px,1fr));gap:10px}
.tile{border:1px solid var(--line);border-radius:4px;padding:6px;text-align:center;font-size:12px}
.tile img{image-rendering:pixelated;width:96px;height:96px;display:block;margin:0 auto 4px}
.bad{color:#b3261e}.muted{color:var(--muted)}
.graph{overflow:auto;max-height:900px;border:1px solid var(--line)}
`;

/** The whole page: inline CSS, no scripts, no external resources. */
export function page(title: string, subtitle: readonly string[], nav: readonly [string, string][], body: string): string {
  const links = nav.map(([id, label]) => `<a href="#${esc(id)}">${esc(label)}</a>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><header><h1>${esc(title)}</h1>${subtitle.map((s) => `<p>${esc(s)}</p>`).join('')}<nav>${links}</nav></header>
<main>
${body}
</main></body></html>
`;
}
