// Measures the offline page (target/web/dist, scripts/web.sh build) in Debian's Chromium, for
// scripts/bench.sh: not a test (its name does not end in .test.mjs, so `scripts/web.sh test`
// skips it). Prints one JSON object on stdout; progress goes to stderr.
//
//   node tests/web/bench.mjs [--loads N] [--runs R] [--keygen-runs K] [--warmup W]
//
// (a) time to interactive: N loads of the page served on loopback, each in a new browser
//     context (empty cache and storage; one Chromium for all of them), from navigation start to
//     the moment the page sets body[data-ready="true"] (the module compiled and instantiated,
//     the forms wired). Taken inside the page: a MutationObserver, added before the page's own
//     scripts run (an init script), reads performance.now() when that attribute is set, and
//     performance.now() counts from the navigation's start (its time origin). The Navigation
//     Timing marks (responseEnd, domContentLoadedEventEnd, loadEventEnd) come with it, and the
//     time Node sees from page.goto() to the attribute (which adds Playwright's round trips).
//     The same N loads again from the file itself (file://, as a user who saved the page opens
//     it), for tti_file.
// (b) p12-to-jks in the page: window.certkit.call('p12-to-jks', ...) on
//     testdata/google-sample.p12 (its password found as the command line finds it), a new
//     password generated; R runs after W unmeasured ones; the median of the answers' `ms`
//     (performance.now() around the wasm call, the JSON in and out included). The very first
//     call after the load is reported apart (first_ms): it also compiles the functions it runs,
//     which V8 compiles lazily, on their first call (with Chromium's --js-flags=--no-liftoff,
//     every function compiled by the optimising compiler instead, that first call took 0.5 s
//     and the next ones as long as usual).
// (c) 2048-bit RSA key generation in the page: selfsign with key_size 2048, K runs (the prime
//     search makes each run's time random, so K >= 30), after W unmeasured ones; median of `ms`.
// (d) weights: the .wasm (target/web/pkg/certkit_web_bg.wasm) raw and `gzip -9`; the page as
//     loaded (index.html, app.js, style.css, certkit_web.js, certkit_wasm.js = the module in
//     base64) raw and each file `gzip -9`, summed; source.tar.gz, linked from the page but not
//     loaded by it, is left out.
import { readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, DIST, CHROMIUM_ARGS, chromium, serve, td } from './helpers.mjs';

const opts = { loads: 10, runs: 40, keygenRuns: 60, warmup: 3 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const key = { '--loads': 'loads', '--runs': 'runs', '--keygen-runs': 'keygenRuns', '--warmup': 'warmup' }[argv[i]];
  const value = Number(argv[i + 1]);
  if (!key || !Number.isInteger(value) || value < 0) {
    console.error(`bench.mjs: unknown or bad argument: ${argv.slice(i, i + 2).join(' ')}`);
    process.exit(2);
  }
  opts[key] = value;
  i++;
}
if (opts.loads < 1 || opts.runs < 1 || opts.keygenRuns < 1) {
  console.error('bench.mjs: --loads, --runs and --keygen-runs must be at least 1');
  process.exit(2);
}
const log = msg => console.error(msg);

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  const r = x => Math.round(x * 100) / 100;
  return { median: r(median), min: r(s[0]), max: r(s[s.length - 1]), n: s.length };
}

function gzip9(file) {
  const r = spawnSync('gzip', ['-9', '-c', '-n', file], { maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`gzip -9 ${file} exited ${r.status}: ${r.stderr}`);
  return r.stdout.length;
}

// ---- (d) weights ---------------------------------------------------------------------------
const WASM = path.join(ROOT, 'target/web/pkg/certkit_web_bg.wasm');
const PAGE_FILES = ['index.html', 'app.js', 'style.css', 'certkit_web.js', 'certkit_wasm.js'];
const weights = {
  wasm: { file: path.relative(ROOT, WASM), bytes: statSync(WASM).size, gzip9_bytes: gzip9(WASM) },
  page: {
    files: PAGE_FILES,
    bytes: 0,
    gzip9_bytes: 0,
    per_file: {},
    excluded: ['source.tar.gz (the source, a link on the page; not loaded)'],
  },
};
for (const f of PAGE_FILES) {
  const p = path.join(DIST, f);
  const entry = { bytes: statSync(p).size, gzip9_bytes: gzip9(p) };
  weights.page.per_file[f] = entry;
  weights.page.bytes += entry.bytes;
  weights.page.gzip9_bytes += entry.gzip9_bytes;
}

// ---- the browser ---------------------------------------------------------------------------
const server = await serve();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: CHROMIUM_ARGS,
});

// Runs in the page before its scripts: the time (performance.now(), from navigation start) at
// which body[data-ready] becomes "true".
function watchReady() {
  new MutationObserver((_, obs) => {
    if (document.body && document.body.dataset.ready === 'true' && window.__benchReady === undefined) {
      window.__benchReady = performance.now();
      obs.disconnect();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
}

async function load(url = server.url) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.addInitScript(watchReady);
  // The page's test hooks (window.certkit.call), which it exposes only when asked.
  await context.addInitScript(() => { window.__certkitTest = true; });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  const t0 = performance.now();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120000 });
  const wall = performance.now() - t0;
  const inPage = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      ready: window.__benchReady,
      responseEnd: nav.responseEnd,
      domContentLoaded: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd,
    };
  });
  if (errors.length) throw new Error('the page reported errors: ' + errors.join('; '));
  if (typeof inPage.ready !== 'number') throw new Error('the ready time was not recorded');
  return { context, page, wall, ...inPage };
}

const out = {
  date: new Date().toISOString(),
  chromium: browser.version(),
  node: process.version,
  options: opts,
  weights,
};

try {
  // (a) time to interactive
  log(`bench.mjs: ${opts.loads} loads of the page, each in a new browser context`);
  const tti = async (url, what) => {
    const loads = [];
    for (let i = 0; i < opts.loads; i++) {
      const l = await load(url);
      loads.push(l);
      await l.context.close();
    }
    return {
      what,
      ready_ms: stats(loads.map(l => l.ready)),
      response_end_ms: stats(loads.map(l => l.responseEnd)),
      dom_content_loaded_ms: stats(loads.map(l => l.domContentLoaded)),
      load_event_ms: stats(loads.map(l => l.load)),
      node_wall_ms: stats(loads.map(l => l.wall)),
    };
  };
  const WHAT = 'navigation start to body[data-ready="true"], performance.now() in the page; a new browser context (empty cache) per load, one Chromium';
  out.tti = await tti(server.url, WHAT + '; served on 127.0.0.1');
  log(`bench.mjs: ${opts.loads} loads of the page from file://`);
  out.tti_file = await tti(pathToFileURL(path.join(DIST, 'index.html')).href, WHAT + '; opened as a file (file://)');

  // (b) and (c): one more fresh load, then the calls
  const { context, page } = await load();
  const p12 = readFileSync(td('google-sample.p12')).toString('base64');
  const P12_REQUEST = { files: [{ name: 'google-sample.p12', base64: p12 }], input: 'google-sample.p12', generate_password: true };
  const KEYGEN_REQUEST = { files: [], common_name: 'bench', key_size: 2048 };
  const call = async (command, request, check) => {
    const answer = await page.evaluate(([c, r]) => {
      const a = window.certkit.call(c, r);
      return { ok: a.ok, error: a.error, ms: a.ms, names: (a.files || []).map(f => f.name) };
    }, [command, request]);
    if (!answer.ok) throw new Error(`${command} failed in the page: ${JSON.stringify(answer.error)}`);
    check(answer.names);
    return answer.ms;
  };
  const jksMade = names => {
    if (!names.some(n => n.endsWith('.jks'))) throw new Error('p12-to-jks gave no .jks: ' + names);
  };
  const keyMade = names => {
    if (names.length < 2) throw new Error('selfsign gave fewer than two files: ' + names);
  };
  const series = async (command, request, check, runs) => {
    for (let i = 0; i < opts.warmup; i++) await call(command, request, check);
    const ms = [];
    for (let i = 0; i < runs; i++) ms.push(await call(command, request, check));
    return ms;
  };

  log(`bench.mjs: p12-to-jks in the page, ${opts.warmup} + ${opts.runs} runs`);
  const first = await call('p12-to-jks', P12_REQUEST, jksMade);
  out.p12_to_jks = {
    what: "window.certkit.call('p12-to-jks') on testdata/google-sample.p12, generate_password; answer.ms (performance.now() around the wasm call, JSON in and out)",
    first_ms: Math.round(first * 100) / 100,
    ms: stats(await series('p12-to-jks', P12_REQUEST, jksMade, opts.runs)),
  };
  log(`bench.mjs: selfsign (RSA 2048) in the page, ${opts.warmup} + ${opts.keygenRuns} runs`);
  out.keygen_2048 = {
    what: "window.certkit.call('selfsign', {common_name: 'bench', key_size: 2048}): a new RSA 2048 key and its self-signed certificate; answer.ms",
    ms: stats(await series('selfsign', KEYGEN_REQUEST, keyMade, opts.keygenRuns)),
  };
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
