#!/usr/bin/env node
// Browser checks for a folder of generated HTML pages.
//
//   node check.mjs <output-dir> [--screenshots DIR] [--concurrency N]
//
// Serves <output-dir> on a random loopback port, opens every .html file in
// Debian's Chromium (or $SINERGI_CHROME) at 390px and 1280px wide, and reports:
//   - console errors and uncaught page errors
//   - failed requests, HTTP errors, and any request to a host other than the
//     local server (such requests are blocked: the network is closed)
//   - horizontal scrolling at 390px
//   - ledger cards at 390px whose fields lack their column header's label
//   - missing <meta name="viewport" content="width=device-width ...">
//   - axe-core violations of impact "serious" or "critical"
//   - broken internal links: a[href], link[href], img[src|srcset], script[src],
//     source[src|srcset], iframe[src], video[poster] on the same origin must
//     answer 200, and a #fragment must name an id on the target page
//   - javascript: URLs in links
// Prints one line per problem and exits 1 if there is any, 2 on bad usage or
// if the browser cannot be started, 0 otherwise.

import { chromium } from 'playwright-core';
import { readFile, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { NAV_TIMEOUT_MS, listHtml, oneLine, parseArgs, resolvePath, startServer, urlPathFor, launchOrExit } from './shared.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WIDTHS = [390, 1280];
const HEIGHTS = { 390: 844, 1280: 800 };

// ---------------------------------------------------------------- arguments

function usage(msg) {
  if (msg) console.error(`check.mjs: ${msg}`);
  console.error('usage: node check.mjs <output-dir> [--screenshots DIR] [--concurrency N]');
  process.exit(2);
}

// ---------------------------------------------------------------- files

// ---------------------------------------------------------------- problems

class Problems {
  constructor() {
    this.map = new Map(); // key -> {page, kind, msg, widths:Set}
  }
  add(page, kind, msg, width = null) {
    const key = `${page}\u0000${kind}\u0000${msg}`;
    let p = this.map.get(key);
    if (!p) {
      p = { page, kind, msg, widths: new Set() };
      this.map.set(key, p);
    }
    if (width !== null) p.widths.add(width);
  }
  get size() {
    return this.map.size;
  }
  list() {
    return [...this.map.values()].sort((a, b) =>
      a.page < b.page ? -1 : a.page > b.page ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0,
    );
  }
}

// ---------------------------------------------------------------- in-page code

// Runs in the page: gathers what the checks need from the DOM.
function inspectPage() {
  const doc = document.documentElement;
  const vw = window.innerWidth;
  const overflow = doc.scrollWidth > vw + 1;
  const wide = [];
  if (overflow) {
    // The outermost elements that stick out to the right of the viewport.
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).filter(Boolean) : [];
      if (cls.length) s += '.' + cls.slice(0, 3).join('.');
      return s;
    };
    const all = document.body ? document.body.querySelectorAll('*') : [];
    for (const el of all) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right + window.scrollX > vw + 1) {
        let parentAlsoWide = false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const pr = p.getBoundingClientRect();
          if (pr.right + window.scrollX > vw + 1) {
            parentAlsoWide = true;
            break;
          }
        }
        if (!parentAlsoWide) wide.push(`${describe(el)} (right edge ${Math.round(r.right + window.scrollX)}px)`);
        if (wide.length >= 5) break;
      }
    }
  }

  const urls = [];
  const add = (kind, raw, abs) => {
    if (raw == null) return;
    urls.push({ kind, raw: String(raw), abs: String(abs) });
  };
  const srcset = (kind, el) => {
    const v = el.getAttribute('srcset');
    if (!v) return;
    for (const part of v.split(',')) {
      const u = part.trim().split(/\s+/)[0];
      if (!u) continue;
      try {
        add(kind, u, new URL(u, document.baseURI).href);
      } catch {
        add(kind, u, u);
      }
    }
  };
  for (const el of document.querySelectorAll('a[href], area[href]')) add('a[href]', el.getAttribute('href'), el.href);
  for (const el of document.querySelectorAll('link[href]')) {
    const rel = (el.getAttribute('rel') || '').toLowerCase();
    // preconnect/dns-prefetch name an origin, not a resource.
    if (/\b(preconnect|dns-prefetch)\b/.test(rel)) continue;
    add(`link[rel=${rel}]`, el.getAttribute('href'), el.href);
  }
  for (const el of document.querySelectorAll('img[src]')) add('img[src]', el.getAttribute('src'), el.src);
  for (const el of document.querySelectorAll('img[srcset]')) srcset('img[srcset]', el);
  for (const el of document.querySelectorAll('source[srcset]')) srcset('source[srcset]', el);
  for (const el of document.querySelectorAll('source[src]')) add('source[src]', el.getAttribute('src'), el.src);
  for (const el of document.querySelectorAll('script[src]')) add('script[src]', el.getAttribute('src'), el.src);
  for (const el of document.querySelectorAll('iframe[src]')) add('iframe[src]', el.getAttribute('src'), el.src);
  for (const el of document.querySelectorAll('video[poster]')) add('video[poster]', el.getAttribute('poster'), el.poster);

  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  const names = [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name'));
  const vp = document.querySelector('meta[name="viewport" i]');
  return {
    scrollWidth: doc.scrollWidth,
    innerWidth: vw,
    overflow,
    wide,
    urls,
    ids: ids.concat(names),
    viewport: vp ? vp.getAttribute('content') || '' : null,
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2), usage, ['--screenshots']);
  const t0 = Date.now();

  let rootStat;
  try {
    rootStat = await stat(opts.root);
  } catch {
    usage(`no such folder: ${opts.root}`);
  }
  if (!rootStat.isDirectory()) usage(`not a folder: ${opts.root}`);

  const pages = await listHtml(opts.root);
  const problems = new Problems();
  if (pages.length === 0) {
    console.log(`FAIL ${opts.root}: no .html files found`);
    process.exit(1);
  }

  const chromePath = process.env.SINERGI_CHROME || '/usr/bin/chromium';
  try {
    await stat(chromePath);
  } catch {
    console.error(`check.mjs: no browser at ${chromePath} (install Debian's chromium, or set SINERGI_CHROME)`);
    process.exit(2);
  }

  const axeSource = await readFile(path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  if (opts.screenshots) await mkdir(opts.screenshots, { recursive: true });

  const server = await startServer(opts.root);
  const origin = `http://127.0.0.1:${server.address().port}`;

  const browser = await launchOrExit(chromium, chromePath, server, 'check.mjs');
  const tLaunched = Date.now();

  const contexts = {};
  for (const w of WIDTHS) {
    const ctx = await browser.newContext({
      viewport: { width: w, height: HEIGHTS[w] },
      serviceWorkers: 'block',
      reducedMotion: 'reduce',
    });
    ctx.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
    ctx.setDefaultTimeout(NAV_TIMEOUT_MS);
    await ctx.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(origin + '/') || u === origin) return route.continue();
      return route.abort('blockedbyclient');
    });
    contexts[w] = ctx;
  }

  const seenIds = new Map(); // rel html file -> Set(ids)
  const linkRefs = new Map(); // absolute URL without hash -> [{page, kind, raw, hash}]
  const pageTimes = [];
  const advisory = new Map(); // axe rule id -> {impact, pages:Set, help}

  async function checkOne(rel, width) {
    const tStart = Date.now();
    const pageName = rel;
    const url = origin + urlPathFor(rel);
    const page = await contexts[width].newPage();
    const failedUrls = new Set();
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      // Chromium repeats every failed request on the console; those are
      // reported below, with their URL.
      if (/^Failed to load resource/.test(text)) return;
      const loc = msg.location();
      const where = loc && loc.url ? ` (${loc.url.replace(origin, '')}:${loc.lineNumber})` : '';
      problems.add(pageName, 'console', oneLine(text) + where, width);
    });
    page.on('pageerror', (err) => problems.add(pageName, 'console', `uncaught ${oneLine(err.message)}`, width));
    page.on('requestfailed', (req) => {
      const u = req.url();
      failedUrls.add(u);
      const f = req.failure();
      if (!u.startsWith(origin + '/')) {
        problems.add(pageName, 'offsite', `request to another host (blocked): ${oneLine(u, 200)}`, width);
      } else {
        problems.add(pageName, 'request', `${f ? f.errorText : 'failed'}: ${u.replace(origin, '')}`, width);
      }
    });
    page.on('response', (resp) => {
      const s = resp.status();
      if (s >= 400) problems.add(pageName, 'request', `HTTP ${s}: ${resp.url().replace(origin, '')}`, width);
    });

    try {
      const resp = await page.goto(url, { waitUntil: 'load' });
      if (!resp || resp.status() !== 200) {
        problems.add(pageName, 'request', `page itself answered ${resp ? resp.status() : 'nothing'}`, width);
      }
      await page.evaluate(() => document.fonts && document.fonts.ready.then(() => undefined));
      const info = await page.evaluate(inspectPage);

      if (width === 390 && info.overflow) {
        problems.add(
          pageName,
          'overflow',
          `scrolls horizontally at 390px: scrollWidth ${info.scrollWidth} > ${info.innerWidth}` +
            (info.wide.length ? `; widest: ${info.wide.join(', ')}` : ''),
          width,
        );
      }
      if (width === 390) {
        // A ledger record is a card there: each field labelled with its column's header.
        const unlabelled = await page.evaluate(() => {
          const row = document.querySelector('table.ledger tbody tr[id]');
          if (!row) return [];
          const heads = [...row.closest('table').querySelectorAll('thead th')].map((th) => th.textContent.trim());
          return [...row.cells]
            .map((td, i) => [i + 1, getComputedStyle(td, '::before').content, heads[i]])
            .filter(([, got, head]) => got !== JSON.stringify(`${head}: `))
            .map(([n, got]) => `column ${n}: ${got}`);
        });
        if (unlabelled.length) {
          problems.add(pageName, 'layout', `ledger card fields at 390px lack their header's label: ${unlabelled.join('; ')}`, width);
        }
      }
      if (info.viewport === null) {
        problems.add(pageName, 'viewport', 'no <meta name="viewport" content="width=device-width, initial-scale=1">');
      } else if (!/width\s*=\s*device-width/i.test(info.viewport)) {
        problems.add(pageName, 'viewport', `meta viewport lacks width=device-width: "${oneLine(info.viewport, 80)}"`);
      }

      if (!seenIds.has(rel)) seenIds.set(rel, new Set());
      for (const id of info.ids) seenIds.get(rel).add(id);

      for (const u of info.urls) {
        if (/^\s*javascript:/i.test(u.raw)) {
          problems.add(pageName, 'link', `${u.kind} uses a javascript: URL: ${oneLine(u.raw, 80)}`);
          continue;
        }
        let abs;
        try {
          abs = new URL(u.abs);
        } catch {
          problems.add(pageName, 'link', `${u.kind} is not a valid URL: ${oneLine(u.raw, 120)}`);
          continue;
        }
        if (abs.origin !== origin) continue; // other hosts are not checked
        const hash = abs.hash;
        abs.hash = '';
        const key = abs.href;
        if (!linkRefs.has(key)) linkRefs.set(key, []);
        const refs = linkRefs.get(key);
        if (!refs.some((r) => r.page === pageName && r.raw === u.raw)) {
          refs.push({ page: pageName, kind: u.kind, raw: u.raw, hash });
        }
      }

      // axe-core. Evaluated rather than added as a <script>, so a page's
      // Content-Security-Policy does not stop it.
      const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
      if (!hasAxe) await page.evaluate(axeSource + '\n;undefined');
      const axeResult = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({
            target: n.target.join(' '),
            summary: n.failureSummary || '',
            html: n.html,
          })),
        }));
      });
      for (const v of axeResult) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          for (const n of v.nodes.slice(0, 10)) {
            problems.add(
              pageName,
              `axe:${v.impact}`,
              `${v.id} (${v.help}) at ${oneLine(n.target, 120)}: ${oneLine(n.html, 140)}`,
              width,
            );
          }
          if (v.nodes.length > 10) {
            problems.add(pageName, `axe:${v.impact}`, `${v.id}: and ${v.nodes.length - 10} more elements`, width);
          }
        } else {
          if (!advisory.has(v.id)) advisory.set(v.id, { impact: v.impact, help: v.help, pages: new Set() });
          advisory.get(v.id).pages.add(pageName);
        }
      }

      if (opts.screenshots) {
        const name = rel.replace(/[\\/]/g, '__').replace(/\.html?$/i, '') + `-${width}.png`;
        await page.screenshot({ path: path.join(opts.screenshots, name), fullPage: true });
      }
    } catch (e) {
      problems.add(pageName, 'error', `could not check page: ${oneLine(e.message, 400)}`, width);
    } finally {
      await page.close().catch(() => {});
    }
    pageTimes.push(Date.now() - tStart);
  }

  // A shared queue of (page, width) jobs, a few at a time on one browser.
  const jobs = [];
  for (const rel of pages) for (const w of WIDTHS) jobs.push([rel, w]);
  let next = 0;
  let done = 0;
  const progress = process.stderr.isTTY;
  async function worker() {
    while (next < jobs.length) {
      const [rel, w] = jobs[next++];
      await checkOne(rel, w);
      done++;
      if (progress) process.stderr.write(`\r${done}/${jobs.length} page loads`);
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, jobs.length) }, worker));
  if (progress) process.stderr.write('\n');
  const tPages = Date.now();

  // Internal links: each distinct URL once, over HTTP from this process.
  const linkKeys = [...linkRefs.keys()];
  const status = new Map();
  let li = 0;
  async function linkWorker() {
    while (li < linkKeys.length) {
      const key = linkKeys[li++];
      try {
        const r = await fetch(key, { method: 'GET', redirect: 'manual' });
        await r.arrayBuffer();
        status.set(key, { code: r.status, location: r.headers.get('location') });
      } catch (e) {
        status.set(key, { code: 0, error: e.message });
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, linkWorker));

  let fragmentChecks = 0;
  for (const [key, refs] of linkRefs) {
    const s = status.get(key);
    const shown = key.replace(origin, '');
    if (s.code !== 200) {
      const why =
        s.code === 0
          ? `no answer (${s.error})`
          : s.code >= 300 && s.code < 400
            ? `redirects (${s.code}) to ${s.location}; link to that URL instead`
            : `answers ${s.code}`;
      for (const r of refs) problems.add(r.page, 'link', `broken ${r.kind} "${oneLine(r.raw, 120)}" -> ${shown} ${why}`);
      continue;
    }
    const withHash = refs.filter((r) => r.hash && r.hash !== '#');
    if (withHash.length === 0) continue;
    const target = await resolvePath(opts.root, new URL(key).pathname);
    if (!target.rel || !/\.html?$/i.test(target.rel)) continue; // fragments of PDFs, SVGs... not checked
    const ids = seenIds.get(target.rel);
    if (!ids) continue;
    for (const r of withHash) {
      let frag = r.hash.slice(1);
      try {
        frag = decodeURIComponent(frag);
      } catch {
        /* keep raw */
      }
      if (frag.startsWith(':~:')) continue; // text fragment
      fragmentChecks++;
      if (!ids.has(frag) && frag.toLowerCase() !== 'top') {
        problems.add(r.page, 'link', `broken ${r.kind} "${oneLine(r.raw, 120)}": no id="${frag}" on ${target.rel}`);
      }
    }
  }

  await Promise.all(Object.values(contexts).map((c) => c.close().catch(() => {})));
  await browser.close();
  server.close();
  const tEnd = Date.now();

  // ---------------------------------------------------------------- report
  const list = problems.list();
  for (const p of list) {
    const w = p.widths.size ? ` [${[...p.widths].sort((a, b) => a - b).join(',')}px]` : '';
    console.log(`FAIL ${p.page}${w} ${p.kind}: ${p.msg}`);
  }
  if (advisory.size) {
    console.log('\nAdvisory (axe moderate/minor, not failing):');
    for (const [id, a] of [...advisory].sort()) {
      console.log(`  note ${id} [${a.impact}] on ${a.pages.size} page(s), e.g. ${[...a.pages][0]}: ${a.help}`);
    }
  }
  const sorted = [...pageTimes].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] || 0;
  const failedPages = new Set(list.map((p) => p.page)).size;
  console.log(
    `\nbrowser checks: ${pages.length} pages x ${WIDTHS.length} widths, ${linkKeys.length} internal URLs, ` +
      `${fragmentChecks} fragment links; ${list.length} problem(s) on ${failedPages} page(s)`,
  );
  console.log(
    `time: ${((tEnd - t0) / 1000).toFixed(1)} s in all (browser start ${((tLaunched - t0) / 1000).toFixed(1)} s, ` +
      `pages ${((tPages - tLaunched) / 1000).toFixed(1)} s, median ${median} ms per page load incl. axe, ` +
      `concurrency ${opts.concurrency})` +
      (opts.screenshots ? `; screenshots in ${opts.screenshots}` : ''),
  );
  console.log(list.length ? 'browser checks: FAILED' : 'browser checks: OK');
  process.exit(list.length ? 1 : 0);
}

main().catch((e) => {
  console.error(`check.mjs: ${e && e.stack ? e.stack : e}`);
  process.exit(2);
});
