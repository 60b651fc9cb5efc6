/**
 * Opens a report in real headless Chromium (Debian's /usr/bin/chromium via
 * puppeteer-core) and returns what a test checks: console errors, every
 * request beyond the page itself, each chart's drawn size, dialogs, the text.
 * A screenshot goes to test-artifacts/<name>.png.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

export interface PageCheck {
  readonly consoleErrors: string[];
  /** URLs requested besides the page itself and inline data: URLs. */
  readonly requests: string[];
  readonly dialogs: string[];
  /** Per chart: drawn size, SVG elements, and data marks (paths inside Vega's mark groups: points, lines, bars, cells; boxes of the layer graph). */
  readonly charts: { name: string; width: number; height: number; marks: number; data: number }[];
  readonly images: { loaded: number; total: number };
  readonly text: string;
  /** Every text node of the body, hidden ones (closed <details>) included. */
  readonly allText: string;
  /** Set only if a script from the page ran. */
  readonly pwned: unknown;
}

type Browser = Awaited<ReturnType<(typeof import('puppeteer-core'))['default']['launch']>>;
let browser: Promise<Browser> | undefined;

/** Closes the shared browser (call from afterAll). */
export async function closeBrowser(): Promise<void> {
  const b = browser;
  browser = undefined;
  if (b) await (await b).close();
}

/** Loads `file` in Chromium and inspects it; undefined (with a printed reason) when there is no Chromium. One browser is shared by a test file's checks. */
export async function checkPage(file: string, screenshot: string): Promise<PageCheck | undefined> {
  if (!CHROMIUM) {
    console.warn('skipping the browser check: no chromium found (install Debian\'s chromium package)');
    return undefined;
  }
  const puppeteer = (await import('puppeteer-core')).default;
  browser ??= puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new', '--disable-gpu'], headless: true });
  const page = await (await browser).newPage();
  try {
    await page.setViewport({ width: 1280, height: 900 });
    const url = pathToFileURL(file).href;
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const u = req.url();
      if (u === url || u.startsWith('data:')) void req.continue();
      else {
        requests.push(u);
        void req.abort();
      }
    });
    await page.goto(url, { waitUntil: 'load' });
    // A string, so this file needs no DOM typings (the project compiles for Node only).
    const result = (await page.evaluate(`(() => {
      const charts = [...document.querySelectorAll('figure.chart')].map((f) => {
        const svg = f.querySelector('svg');
        const box = svg ? svg.getBoundingClientRect() : undefined;
        return { name: f.getAttribute('data-chart') || '', width: box ? box.width : 0, height: box ? box.height : 0, marks: svg ? svg.querySelectorAll('path, rect, circle, text, line').length : 0, data: svg ? svg.querySelectorAll('g.mark-symbol > path, g.mark-line > path, g.mark-rect > path, g.node > rect').length : 0 };
      });
      const imgs = [...document.querySelectorAll('img')];
      return { charts, images: { loaded: imgs.filter((i) => i.complete && i.naturalWidth > 0).length, total: imgs.length }, text: document.body.innerText, allText: document.body.textContent || '', pwned: window.__pwned };
    })()`)) as Pick<PageCheck, 'charts' | 'images' | 'text' | 'allText' | 'pwned'>;
    await fs.mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `${screenshot}.png`) as `${string}.png`, fullPage: true });
    return { consoleErrors, requests, dialogs, ...result };
  } finally {
    await page.close();
  }
}
