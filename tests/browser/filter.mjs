// The ledger filter in real Chromium, on the agreement of a built site with the most records:
// filtering by commodity and supplier gives the totals and the download that shipments.csv
// gives for the same rows; the address keeps the filter (a shared link restores it, back and
// forward work); without JavaScript the static ledger is intact; the page works from file://
// and under `Content-Security-Policy: default-src 'self'`.
//
// Usage: node filter.mjs <output-dir>. Exit 0: passed; 1: a check failed; 2: cannot run.

import { chromium } from 'playwright-core';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { check, finish, newCheckedPage, startServer, launchOrExit } from './shared.mjs';

const root = path.resolve(process.argv[2] || '');
if (!process.argv[2]) {
  console.error('usage: node filter.mjs <output-dir>');
  process.exit(2);
}

/** RFC 4180 rows (CRLF line ends) as arrays of cells, with the raw line of each row. */
function parseCsv(text) {
  const rows = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    const cells = [];
    let cell = '';
    let quoted = false;
    for (;;) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        if (c === '"') { quoted = false; i++; continue; }
        cell += c; i++; continue;
      }
      if (c === '"') { quoted = true; i++; continue; }
      if (c === ',') { cells.push(cell); cell = ''; i++; continue; }
      if (c === '\r' && text[i + 1] === '\n') { cells.push(cell); i += 2; break; }
      cell += c; i++;
    }
    rows.push({ cells, line: text.slice(start, i) });
  }
  return rows;
}

/** The exact sum of decimal strings, written without trailing zeros. */
function sum(decimals) {
  const scale = Math.max(0, ...decimals.map((d) => (d.split('.')[1] || '').length));
  let total = 0n;
  for (const d of decimals) {
    const [int, frac = ''] = d.split('.');
    total += BigInt(int + frac.padEnd(scale, '0'));
  }
  const s = total.toString().padStart(scale + 1, '0');
  const int = s.slice(0, s.length - scale);
  const frac = s.slice(s.length - scale).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}


// The agreement with the most records, and its commodity and supplier with the most rows.
const slugs = (await readdir(path.join(root, 'agreements'), { withFileTypes: true }))
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
let best = null;
for (const slug of slugs) {
  const text = await readFile(path.join(root, 'agreements', slug, 'shipments.csv'), 'utf8');
  const [head, ...rows] = parseCsv(text);
  if (!best || rows.length > best.rows.length) best = { slug, head, rows, text };
}
if (!best || best.rows.length === 0) {
  console.error(`filter.mjs: no agreement with records in ${root}`);
  process.exit(2);
}
const col = Object.fromEntries(best.head.cells.map((name, i) => [name, i]));
const pairs = new Map();
for (const r of best.rows) {
  const key = `${r.cells[col.commodity]}\u0000${r.cells[col.from]}`;
  pairs.set(key, (pairs.get(key) || 0) + 1);
}
const [commodity, from] = [...pairs.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0].split('\u0000');
const matching = best.rows.filter((r) => r.cells[col.commodity] === commodity && r.cells[col.from] === from);
const delivered = sum(matching.filter((r) => r.cells[col.status] !== 'planned').map((r) => r.cells[col.quantity]));
const planned = sum(matching.filter((r) => r.cells[col.status] === 'planned').map((r) => r.cells[col.quantity]));
const ledger = `agreements/${best.slug}/shipments/index.html`;
const hasEnglishNotes = await readFile(path.join(root, 'agreements', best.slug, 'notes.en.js')).then(() => true, () => false);
console.log(`${ledger}: ${best.rows.length} records; commodity=${commodity}, from=${from}: ${matching.length} records`);

const chromePath = process.env.SINERGI_CHROME || '/usr/bin/chromium';
const server = await startServer(root, { 'Content-Security-Policy': "default-src 'self'" });
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launchOrExit(chromium, chromePath, server, 'filter.mjs');

function newPage(options = {}) {
  return newCheckedPage(browser, origin, { acceptDownloads: true, ...options });
}

async function totals(page) {
  return page.$$eval('#filter-totals tbody tr', (rows) => rows.map((r) => ({
    commodity: r.dataset.commodity,
    exact: [...r.querySelectorAll('[data-exact]')].map((c) => c.dataset.exact),
    text: r.cells[1].textContent,
  })));
}

const query = `?commodity=${encodeURIComponent(commodity)}&from=${encodeURIComponent(from)}`;

try {
  // Filtering by hand, over http under the CSP.
  const page = await newPage();
  await page.goto(`${origin}/${ledger}`);
  await page.waitForSelector('#ledger-filter', { state: 'visible' });
  const all = await page.textContent('#filter-status');
  check(all.replace(/[.,\u00a0]/g, '').includes(String(best.rows.length)), `unfiltered, the status names every record: "${all}"`);
  // At 390 px with no filter the form is folded under its summary; the keyboard opens it.
  check(!(await page.$eval('#filter-choices', (d) => d.open)), 'on a phone, with no filter, the form starts closed');
  check(await page.isHidden('#filter-form'), 'the closed form takes no room');
  check(await page.isVisible('#filter-status'), 'the count stays in view with the form closed');
  await page.focus('#filter-choices > summary');
  await page.keyboard.press('Enter');
  check(await page.$eval('#filter-choices', (d) => d.open), 'Enter on the summary opens the form');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.name === 'commodity'), 'Tab then reaches the first choice');
  await page.check(`input[name=commodity][value="${commodity}"]`);
  const fromCount = await page.textContent(`.count[data-facet=from][data-id="${from}"]`);
  check(fromCount === `(${matching.length})`, `the supplier's facet count with the commodity chosen is (${matching.length}): ${fromCount}`);
  await page.check(`input[name=from][value="${from}"]`);
  check(new URL(page.url()).search === query, `the address holds the filter: ${new URL(page.url()).search}`);
  const said = await page.textContent('#filter-summary');
  const names = await page.$$eval('#filter-form input:checked', (boxes) => boxes.map((b) => b.parentNode.firstChild.nextSibling.textContent.trim()));
  check(names.length === 2 && names.every((n) => said.includes(n)), `the summary names the active choices: "${said}"`);
  const t = await totals(page);
  check(t.length === 1 && t[0].commodity === commodity, `one total, for ${commodity}`);
  check(t[0] && t[0].exact[0] === delivered, `the delivered total equals the CSV's sum ${delivered}: ${t[0] && t[0].exact[0]} (${t[0] && t[0].text})`);
  check(t[0] && t[0].exact[1] === planned, `planned apart equals the CSV's sum ${planned}: ${t[0] && t[0].exact[1]}`);
  const status = await page.textContent('#filter-status');
  check(status.startsWith(String(matching.length)), `the status announces ${matching.length} records: "${status}"`);
  const shown = await page.$$eval('#filter-rows tbody tr:not(.subtotal)', (r) => r.length);
  check(shown === Math.min(100, matching.length), `the matching rows are listed: ${shown}`);
  // Each row links its sources in the dashboard's list (the static ledger's is hidden with it).
  const links = await page.$$eval('#filter-rows tbody tr:not(.subtotal)', (rows) => rows.map((r) => [...r.cells[6].querySelectorAll('a[href*="#source-"]')].map((a) => a.getAttribute('href'))));
  const wantLinks = matching.slice(0, shown).map((r) => (r.cells[col.sources] ? r.cells[col.sources].split(';') : []).map((id) => `../index.html#source-${encodeURIComponent(id)}`));
  check(JSON.stringify(links) === JSON.stringify(wantLinks), `the matching rows link their sources: ${JSON.stringify(links.slice(0, 2))}`);
  // ... and links each record's row in the static ledger, on the page that holds it.
  const own = await page.$$eval('#filter-rows tbody tr:not(.subtotal)', (rows) => rows.map((r) => r.cells[6].querySelector('a:not([href*="#source-"])')?.getAttribute('href')));
  const pageSize = Number(await page.$eval('#ledger-filter', (s) => s.dataset.pageSize));
  const pageOf = (r) => Math.floor(best.rows.indexOf(r) / pageSize);
  const wantOwn = matching.slice(0, shown).map((r) => `${pageOf(r) === 0 ? 'index.html' : `page-${pageOf(r) + 1}.html`}#${encodeURIComponent(r.cells[col.id])}`);
  check(JSON.stringify(own) === JSON.stringify(wantOwn), `the matching rows link their records in the ledger: ${JSON.stringify(own.slice(0, 2))}`);
  for (const href of own) {
    const [file, id] = href.split('#');
    const html = await readFile(path.join(root, path.dirname(ledger), file), 'utf8');
    check(html.includes(`<tr id=${decodeURIComponent(id)}`), `${file} holds the row ${href} links`);
  }
  // ... with a subtotal per commodity after each month's last matching record.
  const subtotals = await page.$$eval('#filter-rows tbody tr.subtotal', (rows) => rows.map((r) => r.cells[0].textContent));
  // One per commodity with records not planned, in each run of rows of one month.
  const monthOf = (r) => r.cells[col.date].split('/').pop().slice(0, 7);
  let wantSubtotals = 0;
  matching.slice(0, shown).forEach((r, k, rows) => {
    if (k + 1 < matching.length && monthOf(matching[k + 1]) === monthOf(r)) return;
    const run = [];
    for (let j = k; j >= 0 && monthOf(rows[j]) === monthOf(r); j--) run.push(rows[j]);
    wantSubtotals += new Set(run.filter((x) => x.cells[col.status] !== 'planned').map((x) => x.cells[col.commodity])).size;
  });
  check(subtotals.length === wantSubtotals, `the matching rows have ${wantSubtotals} monthly subtotals: ${subtotals.length} ${JSON.stringify(subtotals.slice(0, 2))}`);
  check(await page.isHidden('#ledger-static'), 'the static ledger gives way to the matching rows');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#filter-csv')]);
  const got = await readFile(await download.path(), 'utf8');
  const want = [best.head, ...matching].map((r) => r.line).join('');
  check(got === want, `the download holds the matching lines of shipments.csv (${got.length} bytes, want ${want.length})`);
  await page.goBack();
  check(new URL(page.url()).search === `?commodity=${encodeURIComponent(commodity)}`, `back: the address drops the supplier: ${new URL(page.url()).search}`);
  check(!(await page.isChecked(`input[name=from][value="${from}"]`)) && (await page.isChecked(`input[name=commodity][value="${commodity}"]`)), 'back: the form follows');
  await page.goForward();
  check(await page.isChecked(`input[name=from][value="${from}"]`), 'forward: the supplier is chosen again');
  check((await totals(page))[0]?.exact[0] === delivered, 'forward: the total is back');
  await page.click('#filter-clear');
  check(await page.isVisible('#ledger-static'), 'clearing the filter shows the static ledger again');
  check(page.errors.length === 0, `no console error or CSP violation: ${page.errors.join(' | ')}`);

  // A shared link, in the other language too.
  for (const prefix of ['', 'en/']) {
    const shared = await newPage();
    await shared.goto(`${origin}/${prefix}${ledger}${query}`);
    await shared.waitForSelector('#ledger-filter', { state: 'visible' });
    check(await shared.isChecked(`input[name=from][value="${from}"]`), `${prefix || 'default language'}: a shared link checks the supplier`);
    check(await shared.$eval('#filter-choices', (d) => d.open), `${prefix || 'default language'}: a shared link opens the form it filled`);
    check((await totals(shared))[0]?.exact[0] === delivered, `${prefix || 'default language'}: a shared link restores the total`);
    // Notes in the page's language: the CSV's (the first language's) here, notes.en.js's in English.
    const cells = await shared.$$eval('#filter-rows tbody tr:not(.subtotal)', (rows) => rows.map((r) => r.cells[6].textContent));
    const own = await shared.evaluate(() => typeof window.sinergiNotes === 'string');
    const noted = matching.slice(0, cells.length).map((r, k) => [r.cells[col.note], cells[k]]).filter(([note]) => note);
    check(own === (prefix !== '' && hasEnglishNotes), `${prefix || 'default language'}: the notes of its language are loaded (${own})`);
    check(noted.every(([note, cell]) => cell.includes(note) === !own), `${prefix || 'default language'}: the rows show the notes in the page's language`);
    check(shared.errors.length === 0, `${prefix || 'default language'}: no console error: ${shared.errors.join(' | ')}`);
  }

  // Without JavaScript: the static ledger, the filter hidden.
  const nojs = await newPage({ javaScriptEnabled: false });
  await nojs.goto(`${origin}/${ledger}${query}`);
  check(await nojs.isHidden('#ledger-filter'), 'without JavaScript the filter stays hidden');
  const ids = await nojs.$$eval('#ledger-static table.ledger tbody tr[id]', (r) => r.map((x) => x.id));
  const firstPage = best.rows.slice(0, pageSize).map((r) => r.cells[col.id]);
  check(JSON.stringify(ids) === JSON.stringify(firstPage), `without JavaScript the static ledger lists the first ${firstPage.length} records`);

  // From disk.
  const disk = await newPage();
  await disk.goto(pathToFileURL(path.join(root, ledger)).href + query);
  await disk.waitForSelector('#ledger-filter', { state: 'visible', timeout: 10_000 }).catch(() => {});
  check((await totals(disk))[0]?.exact[0] === delivered, 'from file:// the filter works');
  check(disk.errors.length === 0, `from file:// no console error: ${disk.errors.join(' | ')}`);
} finally {
  await browser.close();
  server.close();
}

finish('ledger filter');
