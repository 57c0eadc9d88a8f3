// scratch (not committed): node ch-shot.mjs URL OUT-PREFIX
import { chromium } from 'playwright-core';
const [url, out] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
for (const w of [390, 1280]) {
  const page = await browser.newPage({ viewport: { width: w, height: 900 } });
  await page.route(/^(?!file:)/, r => r.abort());
  await page.goto(url);
  await page.evaluate(() => document.querySelectorAll('details').forEach(d => d.open = true));
  await page.screenshot({ path: `${out}-${w}.png`, fullPage: true });
  await page.close();
}
await browser.close();
