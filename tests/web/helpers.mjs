// Shared by the page's tests (scripts/web.sh test): the built page served on loopback,
// Debian's Chromium driven by playwright-core, every request after load recorded, and the
// real peers (keytool, Java, openssl, the certkit command) run on what the page gives.
import { createServer } from 'node:http';
import { readFile, mkdtemp, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'target/web/dist');
export const TESTDATA = path.join(ROOT, 'testdata');
const require = createRequire(path.join(ROOT, '.node/package.json'));
export const { chromium } = require('playwright-core');
export const nodeModule = name => require(name);

// The binary the page's files are compared with: CERTKIT_BIN, else the debug build.
export const CERTKIT = process.env.CERTKIT_BIN || path.join(ROOT, 'target/debug/certkit');

// Chromium off the network: the flags that keep its own background services from calling
// out (this machine's network is closed; the page must make no request of its own either).
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.gz': 'application/gzip' };

/** Serve the built page on 127.0.0.1 (a free port); `requests` lists every path asked for. */
export async function serve() {
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('build the page first: scripts/web.sh build');
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    const p = path.join(DIST, decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/$/, '/index.html'));
    if (!p.startsWith(DIST)) { res.writeHead(403); res.end(); return; }
    try {
      const body = await readFile(p);
      res.writeHead(200, { 'content-type': TYPES[path.extname(p)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404); res.end();
    }
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, requests, close: () => new Promise(r => server.close(r)) };
}

/** A browser with a new empty profile, a page on `url` loaded and certkit ready. Every
 * request made after the page is ready goes to `after` (the tests require it empty). */
export async function open(url, opts = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), 'certkit-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    bypassCSP: !!opts.bypassCSP,
    viewport: { width: 1100, height: 900 },
  });
  // The page's test hooks (window.certkit: the last report and error, the module's memory),
  // which it exposes only when this is set before it loads; `hooks: false` opens it as a
  // user does.
  if (opts.hooks !== false) await context.addInitScript(() => { window.__certkitTest = true; });
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  const after = [];
  let ready = false;
  page.on('request', r => { if (ready) after.push(r.url()); });
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  const readyMs = Date.now() - t0;
  ready = true;
  return { context, page, after, errors, readyMs, close: () => context.close() };
}

/** Go to a view by its button, as a user does. */
export async function view(page, name) {
  await page.click(`nav button[data-view="${name}"]`);
  await page.waitForSelector(`#view-${name}:not([hidden])`);
}

/** Submit a view's form with `button` (its text) and wait for the result or the error. */
export async function submit(page, name, button) {
  const section = page.locator(`#view-${name}`);
  await section.getByRole('button', { name: button }).click();
  await page.waitForFunction(n => {
    const r = document.querySelector(`#view-${n} .result`);
    return r && r.children.length && !r.querySelector('[role=status]');
  }, name, { timeout: 120000 });
  return section.locator('.result');
}

/** Click every download link of a view's result; the files saved in a new folder. */
export async function downloads(page, name) {
  const dir = await mkdtemp(path.join(tmpdir(), 'certkit-web-dl-'));
  const links = page.locator(`#view-${name} .result a.download`);
  const n = await links.count();
  const saved = {};
  for (let i = 0; i < n; i++) {
    const [dl] = await Promise.all([page.waitForEvent('download'), links.nth(i).click()]);
    const file = path.join(dir, dl.suggestedFilename());
    await dl.saveAs(file);
    saved[dl.suggestedFilename()] = file;
  }
  return { dir, saved };
}

/** Run a program; its result (status, stdout, stderr as text). */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: opts.encoding === null ? null : 'utf8', ...opts });
  if (r.error) throw r.error;
  return r;
}

/** Run a program that must succeed; its stdout. */
export function ok(cmd, args, opts = {}) {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A Java program's source in a temporary file, run with `java FILE.java ARGS` (JDK 11+). */
export async function java(source, args) {
  const dir = await mkdtemp(path.join(tmpdir(), 'certkit-java-'));
  const cls = /public class (\w+)/.exec(source)[1];
  const file = path.join(dir, cls + '.java');
  await writeFile(file, source);
  return ok('java', [file, ...args]);
}

export const td = name => path.join(TESTDATA, name);
export { execFileSync };
