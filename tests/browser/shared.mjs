// Shared by the browser scripts: Chromium's flags and launch, a loopback static server for the
// built site, the command line, and small helpers.

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export const NAV_TIMEOUT_MS = 30_000;
export const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export async function listHtml(root, rel = '') {
  const out = [];
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listHtml(root, r)));
    else if (e.isFile() && /\.html?$/i.test(e.name)) out.push(r);
  }
  return out;
}

/** URL path (already split from query/hash) for a relative file path. */
export function urlPathFor(relFile) {
  return '/' + relFile.split('/').map(encodeURIComponent).join('/');
}

/**
 * Map a URL pathname to a file below root.
 * Returns {file, rel} | {redirect} | {status}.
 */
export async function resolvePath(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0')) return { status: 400 };
  const rel = path.posix.normalize(decoded).replace(/^\/+/, '');
  if (rel.startsWith('..')) return { status: 403 };
  let file = path.join(root, rel);
  if (!file.startsWith(root)) return { status: 403 };
  let st;
  try {
    st = await stat(file);
  } catch {
    return { status: 404 };
  }
  let relFile = rel;
  if (st.isDirectory()) {
    if (!pathname.endsWith('/')) return { redirect: pathname + '/' };
    file = path.join(file, 'index.html');
    relFile = rel ? `${rel.replace(/\/$/, '')}/index.html` : 'index.html';
    try {
      st = await stat(file);
    } catch {
      return { status: 404 };
    }
    if (!st.isFile()) return { status: 404 };
  } else if (!st.isFile()) {
    return { status: 404 };
  }
  return { file, rel: relFile, size: st.size };
}

// ---------------------------------------------------------------- browser

/** Chromium at `chromePath`; when it cannot start, closes `server` and exits 2 naming `script`. */
export async function launchOrExit(chromium, chromePath, server, script) {
  try {
    return await chromium.launch({ executablePath: chromePath, args: CHROME_ARGS, timeout: 60_000 });
  } catch (e) {
    server.close();
    console.error(`${script}: could not start ${chromePath}: ${e.message}`);
    process.exit(2);
  }
}

const failures = [];

/** Prints one line per check, `ok` or `FAIL`; [`finish`] exits 1 when any failed. */
export function check(ok, what) {
  if (!ok) failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
}

/** Ends a script of checks: exit 1 when any failed, else says that `name` passed. */
export function finish(name) {
  if (failures.length) {
    console.log(`\n${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log(`\n${name}: every check passed`);
}

/**
 * A page in a new context of `browser` at 390 px that only reaches `origin`, file:// and blob:
 * addresses (others are aborted); `page.errors` collects console errors and uncaught errors.
 */
export async function newCheckedPage(browser, origin, options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, ...options });
  ctx.setDefaultTimeout(NAV_TIMEOUT_MS);
  await ctx.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin + '/') || u.startsWith('file://') || u.startsWith('blob:')) return route.continue();
    return route.abort('blockedbyclient');
  });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

// ---------------------------------------------------------------- server

/** A loopback server for `root`; `headers` are added to every file it serves. */
export function startServer(root, headers = {}) {
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const url = new URL(req.url, 'http://localhost');
      const r = await resolvePath(root, url.pathname);
      if (r.redirect) {
        res.writeHead(301, { Location: r.redirect + url.search }).end();
        return;
      }
      if (r.status) {
        res.writeHead(r.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${r.status}\n`);
        return;
      }
      const type = CONTENT_TYPES[path.extname(r.file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': r.size,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ...headers,
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(r.file).on('error', () => res.destroy()).pipe(res);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export function oneLine(s, max = 300) {
  s = String(s).replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/**
 * `<output-dir> [--concurrency N] [-h|--help]`, plus `folders`: options that take a folder,
 * stored resolved under their name without dashes (null when absent). `usage(msg)` exits.
 */
export function parseArgs(argv, usage, folders = []) {
  const opts = { root: null, concurrency: Number(process.env.SINERGI_BROWSER_CONCURRENCY) || 4 };
  for (const f of folders) opts[f.slice(2)] = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (folders.includes(a)) {
      if (!argv[i + 1]) usage(`${a} needs a folder`);
      opts[a.slice(2)] = path.resolve(argv[++i]);
    } else if (a === '--concurrency') {
      opts.concurrency = Number(argv[++i]);
      if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) usage('--concurrency needs a positive integer');
    } else if (a === '-h' || a === '--help') {
      usage();
    } else if (a.startsWith('--')) {
      usage(`unknown option ${a}`);
    } else if (opts.root === null) {
      opts.root = path.resolve(a);
    } else {
      usage(`unexpected argument ${a}`);
    }
  }
  if (opts.root === null) usage('missing <output-dir>');
  return opts;
}
