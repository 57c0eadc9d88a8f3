// Times the site search in real Chromium: the results page opened with a query, each run in a
// fresh page. "search" is the search itself with the first 50 results put in the DOM (the
// script's `sinergi-search` performance measure); "page" runs from the end of the page's
// response to the end of DOMContentLoaded, so it adds loading and parsing search/index.js (the
// scripts are deferred). The same page without a query is the baseline of "page".
//
// Usage: node bench-search.mjs <output-dir> [runs] [query ...]   (see docs/PERFORMANCE.md)

import { chromium } from 'playwright-core';
import path from 'node:path';

import { CHROME_ARGS, startServer } from './shared.mjs';

const [root, runsArg, ...asked] = process.argv.slice(2);
if (!root) {
  console.error('usage: node bench-search.mjs <output-dir> [runs] [query ...]');
  process.exit(2);
}
const runs = Number(runsArg) || 5;
const queries = ['', ...(asked.length ? asked : ['pelaku', 'penerima 3', 'beras', 'zzz'])];
const server = await startServer(path.resolve(root));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.SINERGI_CHROME || '/usr/bin/chromium', args: CHROME_ARGS });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const q of queries) {
    const search = [];
    const load = [];
    let status = '';
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage();
      await page.goto(`${origin}/search/index.html?q=${encodeURIComponent(q)}`);
      await page.waitForSelector('#search', { state: 'visible' });
      const t = await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0];
        return { page: n.domContentLoadedEventEnd - n.responseEnd, search: performance.getEntriesByName('sinergi-search')[0].duration };
      });
      search.push(t.search);
      load.push(t.page);
      status = await page.textContent('#search-status');
      await page.close();
    }
    console.log(`${JSON.stringify(q)}: search ${median(search).toFixed(1)} ms, page ${median(load).toFixed(0)} ms — ${status}`);
  }
} finally {
  await browser.close();
  server.close();
}
