#!/usr/bin/env node
// Loads every .html page of a folder built from the hostile corpus of tests/injection.rs in
// headless Chromium and fails when anything from the data ran:
//   - a dialog opened (alert, confirm, prompt, print, beforeunload)
//   - a console error or an uncaught page error
//   - an injected global is set (window.__pwned, which every corpus payload sets, or alert was
//     called)
//   - the DOM holds a <script>, an event-handler attribute (on*), a javascript:/data:/vbscript:
//     link, or an iframe/object/embed/base/form/meta refresh element
//   - any request left the local server (such requests are blocked)
//   - the search results page, asked for a word of every payload, lists no entry
//
//   node injection.mjs <output-dir> [--concurrency N]
//
// Exits 1 on any problem, 2 on bad usage or when the browser cannot start, 0 otherwise.

import { chromium } from 'playwright-core';
import { stat } from 'node:fs/promises';
import path from 'node:path';

import { NAV_TIMEOUT_MS, listHtml, oneLine, parseArgs, startServer, urlPathFor, launchOrExit } from './shared.mjs';

function usage(msg) {
  if (msg) console.error(`injection.mjs: ${msg}`);
  console.error('usage: node injection.mjs <output-dir> [--concurrency N]');
  process.exit(2);
}

/** Runs in the page: what in the DOM could run code. */
function inspectDom() {
  const found = [];
  const all = document.querySelectorAll('*');
  for (const el of all) {
    const tag = el.tagName.toLowerCase();
    // sinergi's own: the ledger filter's and the site search's scripts (external, no text)
    // and forms.
    const own =
      (tag === 'script' && !el.textContent && /\/(assets\/(filter|search)\.js|agreements\/[^/]+\/records\.js|search\/index\.js)$/.test(el.src)) ||
      (tag === 'form' && ['filter-form', 'search-form'].includes(el.id) && el.getAttribute('action') === 'index.html') ||
      (tag === 'form' && el.className === 'site-search' && /^(\.\.\/)*([a-z]+\/)?search\/index\.html$/.test(el.getAttribute('action')));
    if (!own && ['script', 'iframe', 'object', 'embed', 'base', 'form', 'frame', 'frameset', 'applet'].includes(tag)) {
      found.push(`<${tag}> element`);
    }
    if (tag === 'meta' && el.hasAttribute('http-equiv')) found.push('<meta http-equiv>');
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) found.push(`<${tag} ${name}>`);
      if (['href', 'src', 'xlink:href', 'action', 'formaction', 'data', 'srcdoc'].includes(name)) {
        const v = a.value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
        if (/^(javascript|data|vbscript):/.test(v) || name === 'srcdoc') found.push(`<${tag} ${name}="${a.value.slice(0, 60)}">`);
      }
    }
  }
  return {
    found: found.slice(0, 20),
    pwned: typeof window.__pwned !== 'undefined',
    alerted: window.__alertCalls || 0,
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2), usage);
  const t0 = Date.now();
  try {
    if (!(await stat(opts.root)).isDirectory()) usage(`not a folder: ${opts.root}`);
  } catch {
    usage(`no such folder: ${opts.root}`);
  }
  const pages = await listHtml(opts.root);
  if (pages.length === 0) {
    console.log(`FAIL ${opts.root}: no .html files found`);
    process.exit(1);
  }
  // The search results of a word every payload holds: the data's text in the results' DOM.
  pages.push(...pages.filter((p) => /^([a-z]+\/)?search\/index\.html$/.test(p)).map((p) => `${p}?q=pwned`));
  const chromePath = process.env.SINERGI_CHROME || '/usr/bin/chromium';
  try {
    await stat(chromePath);
  } catch {
    console.error(`injection.mjs: no browser at ${chromePath} (install Debian's chromium, or set SINERGI_CHROME)`);
    process.exit(2);
  }

  const server = await startServer(opts.root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchOrExit(chromium, chromePath, server, 'injection.mjs');
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  ctx.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
  ctx.setDefaultTimeout(NAV_TIMEOUT_MS);
  await ctx.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin + '/') || u === origin) return route.continue();
    return route.abort('blockedbyclient');
  });
  // Counts alert calls even if a dialog never shows; runs before any page script.
  await ctx.addInitScript(() => {
    window.__alertCalls = 0;
    for (const f of ['alert', 'confirm', 'prompt', 'print']) {
      const orig = window[f];
      window[f] = function (...args) {
        window.__alertCalls++;
        return orig.apply(this, args);
      };
    }
  });

  const problems = [];
  const add = (page, msg) => problems.push(`FAIL ${page}: ${oneLine(msg)}`);
  let dialogs = 0;

  async function checkOne(rel) {
    const page = await ctx.newPage();
    page.on('dialog', (d) => {
      dialogs++;
      add(rel, `dialog opened (${d.type()}): ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    page.on('console', (msg) => {
      if (msg.type() === 'error') add(rel, `console error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => add(rel, `page error: ${err.message}`));
    page.on('requestfailed', (req) => {
      const u = req.url();
      if (!u.startsWith(origin + '/')) add(rel, `request to another host (blocked): ${u}`);
      else add(rel, `request failed: ${u.replace(origin, '')}`);
    });
    try {
      const [file, query] = rel.split('?');
      const url = origin + urlPathFor(file) + (query ? `?${query}` : '');
      const resp = await page.goto(url, { waitUntil: 'load' });
      if (!resp || resp.status() !== 200) add(rel, `page answered ${resp ? resp.status() : 'nothing'}`);
      // Give toggle, animation and focus handlers a moment, then hover and focus everything
      // that can be, in case a handler from the data waits for the reader.
      await page.waitForTimeout(50);
      await page.evaluate(() => {
        for (const el of document.querySelectorAll('body *')) {
          for (const type of ['mouseover', 'pointerenter', 'focus', 'click']) {
            if (type === 'click' && el.closest('a')) continue; // no navigation
            try {
              el.dispatchEvent(new Event(type, { bubbles: true }));
            } catch {}
          }
        }
      });
      const r = await page.evaluate(inspectDom);
      for (const f of r.found) add(rel, `code-capable markup in the DOM: ${f}`);
      if (r.pwned) add(rel, 'window.__pwned is set: a payload from the data ran');
      if (r.alerted) add(rel, `alert/confirm/prompt/print called ${r.alerted} time(s)`);
      if (query && (await page.$$('#search-list li')).length === 0) add(rel, 'the search shows no entry of the corpus');
    } catch (e) {
      add(rel, `could not check page: ${e.message}`);
    } finally {
      await page.close().catch(() => {});
    }
  }

  let next = 0;
  async function worker() {
    while (next < pages.length) await checkOne(pages[next++]);
  }
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, pages.length) }, worker));
  await ctx.close().catch(() => {});
  await browser.close();
  server.close();

  for (const p of problems) console.log(p);
  console.log(
    `injection browser check: ${pages.length} pages, ${dialogs} dialogs, ${problems.length} problem(s), ` +
      `${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => {
  console.error(`injection.mjs: ${e && e.stack ? e.stack : e}`);
  process.exit(2);
});
