// scratch (not committed): node ch-el.mjs URL OUT-PREFIX WIDTH SELECTOR...
import { chromium } from 'playwright-core';
const [url, out, w, ...sels] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: +w, height: 900 } });
await page.route(/^(?!file:)/, r => r.abort());
await page.goto(url);
await page.evaluate(() => document.querySelectorAll('details').forEach(d => d.open = true));
let i = 0;
for (const s of sels) {
  const el = page.locator(s).first();
  await el.evaluate(e => { if (e.tagName === 'TABLE') { const rows = e.querySelectorAll('tbody tr'); rows.forEach((r, k) => { if (k > 12) r.style.display = 'none'; }); } });
  await el.screenshot({ path: `${out}-${w}-${i++}.png` });
}
await browser.close();
