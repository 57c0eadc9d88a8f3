// The site search in real Chromium, on the example site: in both languages it finds an
// agreement, a supplier and a Markdown page by the start of a word and by the word written in
// another case with accents; results announce their count and link the entry's page; the box
// in the header works with the keyboard alone; without JavaScript the results page says that
// search needs it and links the list of agreements; the page works from file:// and under
// `Content-Security-Policy: default-src 'self'`.
//
// Usage: node search.mjs <output-dir>. Exit 0: passed; 1: a check failed; 2: cannot run.

import { chromium } from 'playwright-core';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { check, finish, newCheckedPage, startServer, launchOrExit } from './shared.mjs';

const root = path.resolve(process.argv[2] || '');
if (!process.argv[2]) {
  console.error('usage: node search.mjs <output-dir>');
  process.exit(2);
}
try {
  await access(path.join(root, 'agreements/ngawi-dki-jakarta-2021/index.html'));
} catch {
  console.error(`search.mjs: ${root} is not the example site's output`);
  process.exit(2);
}


// Per language: what to look for, two ways, and the page and kind it must find.
const CASES = {
  '': [
    { queries: ['ngaw', 'NGÁWI pasok'], path: 'agreements/ngawi-dki-jakarta-2021/index.html', kind: 'Kerja sama' },
    { queries: ['gapok', 'GÀPOKTAN SÁRI'], path: 'agreements/metro-dki-jakarta-2022/participants/index.html#participant-gapoktan-sari-makmur', kind: 'Pelaku usaha' },
    { queries: ['metodol', 'MÉTODOLOGI'], path: 'methodology/index.html', kind: 'Halaman' },
  ],
  'en/': [
    { queries: ['ngaw', 'RÍCE supp'], path: 'en/agreements/ngawi-dki-jakarta-2021/index.html', kind: 'Agreement' },
    { queries: ['sido', 'Sidó RUKUN'], path: 'en/agreements/ngawi-dki-jakarta-2021/participants/index.html#participant-poktan-sido-rukun', kind: 'Supplier' },
    { queries: ['methodol', 'MÉTHODOLOGY'], path: 'en/methodology/index.html', kind: 'Page' },
  ],
};

const chromePath = process.env.SINERGI_CHROME || '/usr/bin/chromium';
const server = await startServer(root, { 'Content-Security-Policy': "default-src 'self'" });
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchOrExit(chromium, chromePath, server, 'search.mjs');

function newPage(options = {}) {
  return newCheckedPage(browser, origin, options);
}

/** The results shown: each link's address (resolved), title and kind, and the status line. */
async function results(page) {
  await page.waitForSelector('#search', { state: 'visible', timeout: 10_000 }).catch(() => {});
  return page.evaluate(() => ({
    status: document.getElementById('search-status')?.textContent || '',
    live: document.getElementById('search-status')?.getAttribute('aria-live'),
    items: [...document.querySelectorAll('#search-list li')].map((li) => ({
      href: li.querySelector('a').href,
      title: li.querySelector('a').textContent,
      kind: li.querySelector('.badge').textContent,
    })),
  }));
}

/** Searches every case of every language from `base` (an http or file:// address of the root). */
async function searchAll(base, how) {
  for (const [prefix, cases] of Object.entries(CASES)) {
    const lang = prefix || 'id/';
    for (const c of cases) {
      for (const q of c.queries) {
        const page = await newPage();
        await page.goto(`${base}${prefix}search/index.html?q=${encodeURIComponent(q)}`);
        const r = await results(page);
        const want = new URL(c.path, base).href;
        const hit = r.items.find((x) => x.href === want);
        check(hit && hit.kind === c.kind, `${how} ${lang} "${q}" finds ${c.path} as ${c.kind}: ${hit ? hit.kind : 'not among ' + r.items.length}`);
        check(r.live === 'polite' && r.status.startsWith(String(r.items.length)), `${how} ${lang} "${q}": the status announces the count: "${r.status}"`);
        check(page.errors.length === 0, `${how} ${lang} "${q}": no console error: ${page.errors.join(' | ')}`);
        await page.context().close();
      }
    }
  }
}

try {
  await searchAll(`${origin}/`, 'http');
  await searchAll(pathToFileURL(root).href + '/', 'file://');

  // The header's box, with the keyboard alone, from a dashboard in English.
  const kb = await newPage();
  await kb.goto(`${origin}/en/agreements/metro-dki-jakarta-2022/index.html`);
  let focused = '';
  for (let i = 0; i < 30 && focused !== 'site-search-q'; i++) {
    await kb.keyboard.press('Tab');
    focused = await kb.evaluate(() => document.activeElement?.id || '');
  }
  check(focused === 'site-search-q', 'Tab reaches the search box in the header');
  await kb.keyboard.type('gapok');
  await Promise.all([kb.waitForURL(/\/en\/search\/index\.html\?q=gapok$/), kb.keyboard.press('Enter')]);
  // The dashboard itself raised no error under the CSP either (its progress bars are SVG,
  // not inline styles, which the policy would block).
  check(kb.errors.length === 0, `the dashboard: no console error or CSP violation: ${kb.errors.join(' | ')}`);
  kb.errors.length = 0;
  const r = await results(kb);
  check(r.items.some((x) => x.title === 'Gapoktan Sari Makmur'), `Enter opens the English results with the supplier: ${r.items.map((x) => x.title).join(' | ')}`);
  check(await kb.inputValue('#search-q') === 'gapok', 'the results page keeps the query in its box');
  // A new query on the results page is kept in the address; back returns to the first.
  await kb.fill('#search-q', 'metodol');
  await kb.press('#search-q', 'Enter');
  check(new URL(kb.url()).search === '?q=metodol', `a new query is in the address: ${new URL(kb.url()).search}`);
  await kb.goBack();
  check((await kb.inputValue('#search-q')) === 'gapok', 'back returns to the first query');
  check(kb.errors.length === 0, `keyboard: no console error: ${kb.errors.join(' | ')}`);

  // The results themselves at 390 px: no horizontal scroll, no serious axe violation.
  const axeSource = await readFile(path.join(path.dirname(new URL(import.meta.url).pathname), 'node_modules/axe-core/axe.min.js'), 'utf8');
  for (const prefix of ['', 'en/']) {
    const shown = await newPage();
    await shown.goto(`${origin}/${prefix}search/index.html?q=a`);
    await results(shown);
    await shown.click('#search-more').catch(() => {});
    await shown.evaluate(axeSource + '\n;undefined');
    const found = await shown.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id);
    });
    check(found.length === 0, `${prefix || 'id/'} results: no serious axe violation: ${found.join(', ')}`);
    const wide = await shown.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    check(!wide, `${prefix || 'id/'} results: no horizontal scroll at 390 px`);
  }

  // A word found nowhere, and no word at all.
  const none = await newPage();
  await none.goto(`${origin}/search/index.html?q=zzzqx`);
  const n = await results(none);
  check(n.items.length === 0 && n.status.includes('zzzqx'), `no result, said so: "${n.status}"`);

  // Without JavaScript: the results page says search needs it and links the agreements.
  for (const prefix of ['', 'en/']) {
    const nojs = await newPage({ javaScriptEnabled: false });
    await nojs.goto(`${origin}/${prefix}search/index.html?q=beras`);
    check(await nojs.isVisible('#search-nojs'), `${prefix || 'id/'} without JavaScript the page says search needs it`);
    check(await nojs.isHidden('#search'), `${prefix || 'id/'} without JavaScript no empty results section shows`);
    const link = await nojs.getAttribute('#search-nojs a', 'href');
    const resp = await nojs.goto(new URL(link, nojs.url()).href);
    check(resp.ok() && (await nojs.locator('#agreements-heading').count()) === 1, `${prefix || 'id/'} it links the list of every agreement: ${link}`);
  }
} finally {
  await browser.close();
  server.close();
}

finish('site search');
