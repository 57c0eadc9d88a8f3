// Times the ledger filter in real Chromium: the first filter (one commodity chosen) on the
// first page of an agreement's ledger, each run in a fresh page, and prints the median.
//
// Usage: node bench-filter.mjs <output-dir> <slug> [runs]   (see docs/PERFORMANCE.md)

import { chromium } from 'playwright-core';
import path from 'node:path';

import { CHROME_ARGS, startServer } from './shared.mjs';

const [root, slug, runsArg] = process.argv.slice(2);
if (!root || !slug) {
  console.error('usage: node bench-filter.mjs <output-dir> <slug> [runs]');
  process.exit(2);
}
const runs = Number(runsArg) || 5;
const server = await startServer(path.resolve(root));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.SINERGI_CHROME || '/usr/bin/chromium', args: CHROME_ARGS });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const first = [];
const load = [];
let records = 0;
for (let i = 0; i < runs; i++) {
  const page = await browser.newPage();
  const t0 = Date.now();
  await page.goto(`${origin}/agreements/${slug}/shipments/index.html`);
  await page.waitForSelector('#ledger-filter', { state: 'visible' });
  load.push(Date.now() - t0);
  const r = await page.evaluate(() => {
    // Unfiltered, the status names every record ("10.000 dari 10.000 catatan cocok.").
    const n = Number(document.getElementById('filter-status').textContent.match(/\d[\d.,\u00a0]*/)[0].replace(/\D/g, ''));
    const box = document.querySelector('input[name=commodity]');
    const t = performance.now();
    box.checked = true;
    box.dispatchEvent(new Event('change', { bubbles: true }));
    const ms = performance.now() - t;
    return { ms, status: document.getElementById('filter-status').textContent, n };
  });
  records = r.n;
  first.push(r.ms);
  await page.close();
}
await browser.close();
server.close();
console.log(`${slug}: ${records} records; first filter (one commodity) median ${median(first).toFixed(1)} ms of ${runs} [${first.map((x) => x.toFixed(1)).join(', ')}]; page load to filter shown median ${median(load)} ms`);
