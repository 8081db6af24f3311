// Opens a local HTML page in Debian's headless Chromium (through playwright-core), waits for it to
// load, and prints one JSON line: the page's script errors and console errors, and for each
// <figure class="plot"> whether its plot rendered (an <svg> or <img> laid out at a real size with
// drawn content). Saves a full-page screenshot. Used by the report test; no network is touched.
//   node check-page.mjs PAGE.html SCREENSHOT.png
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [page, screenshot] = process.argv.slice(2);
if (!page || !screenshot) { console.error('usage: node check-page.mjs PAGE.html SCREENSHOT.png'); process.exit(2); }

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const errors = [];
  tab.on('pageerror', e => errors.push(`pageerror: ${e.message}`));
  tab.on('console', m => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  tab.on('requestfailed', r => errors.push(`request failed: ${r.url()}`));
  await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
  const plots = await tab.$$eval('figure.plot', figures => figures.map(f => {
    const g = f.querySelector('svg, img');
    const box = g ? g.getBoundingClientRect() : { width: 0, height: 0 };
    const drawn = g && g.tagName.toLowerCase() === 'svg' ? g.querySelectorAll('path, line, polyline, rect, text, circle').length : (g && g.naturalWidth > 0 ? 1 : 0);
    return { id: f.id, width: Math.round(box.width), height: Math.round(box.height), drawn, rendered: box.width > 100 && box.height > 50 && drawn > 10 };
  }));
  await tab.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ title: await tab.title(), errors, plots }));
} finally {
  await browser.close();
}
