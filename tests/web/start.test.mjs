// How the page starts: opened as a file (a USB stick, a downloaded zip) it works as served,
// and `scripts/web.sh serve` serves it on loopback. Its policy forbids every connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { open, serve, view, submit, downloads, ok, td, DIST, ROOT } from './helpers.mjs';

test('opened as a file, the page converts a Google P12 and makes no request after it is ready', async () => {
  const b = await open(pathToFileURL(path.join(DIST, 'index.html')).href);
  try {
    const { page } = b;
    await view(page, 'jks');
    await page.setInputFiles('#jks-file', td('google-sample.p12'));
    await submit(page, 'jks', 'Make the JKS');
    const password = (await page.textContent('#jks-generated')).trim();
    const { saved } = await downloads(page, 'jks');
    assert.match(ok('keytool', ['-list', '-keystore', saved['google-sample.jks'], '-storepass', password]), /PrivateKeyEntry/);
    assert.deepEqual(b.after.filter(u => !u.startsWith('blob:')), []);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('the policy forbids every connection: a fetch from the page is refused', async () => {
  const b = await open(pathToFileURL(path.join(DIST, 'index.html')).href);
  try {
    const csp = await b.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /connect-src 'none'/);
    // As if a script of the page tried to send something out (to loopback: nothing listens).
    const refused = await b.page.evaluate(async () => {
      try { await fetch('http://127.0.0.1:9/'); return 'sent'; } catch (e) { return 'refused'; }
    });
    assert.equal(refused, 'refused');
    // The refusal is the policy's, not the closed port's: Chromium reports the violation.
    await b.page.waitForTimeout(100);
    assert.ok(b.errors.some(e => /Content Security Policy/.test(e)), b.errors.join('\n'));
  } finally {
    await b.close();
  }
});

test('scripts/web.sh serve serves the built page on 127.0.0.1', async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn('bash', [path.join(ROOT, 'scripts/web.sh'), 'serve', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    let body = null;
    for (let i = 0; i < 100 && body === null; i++) {
      await new Promise(r => setTimeout(r, 100));
      try { body = await (await fetch(`http://127.0.0.1:${port}/`)).text(); } catch { /* not up yet */ }
    }
    assert.equal(body, readFileSync(path.join(DIST, 'index.html'), 'utf8'));
    const b = await open(`http://127.0.0.1:${port}/`);
    await b.close();
    assert.deepEqual(b.errors, []);
  } finally {
    server.kill();
  }
});

test('a user\'s page exposes none of the tests\' hooks', async () => {
  const b = await open(pathToFileURL(path.join(DIST, 'index.html')).href, { hooks: false });
  try {
    assert.equal(await b.page.evaluate(() => typeof window.certkit), 'undefined');
    assert.equal(await b.page.evaluate(() => typeof window.CERTKIT_WASM), 'undefined', 'the module\'s bytes are let go');
  } finally {
    await b.close();
  }
});

test('served, the policy refuses even the page\'s own host: an image load does not reach the server', async () => {
  const server = await serve();
  const b = await open(server.url);
  try {
    await b.page.evaluate(() => { const i = new Image(); i.src = '/probe.png'; document.body.append(i); });
    await b.page.waitForTimeout(300);
    assert.ok(!server.requests.includes('/probe.png'), server.requests.join(' '));
    assert.ok(b.errors.some(e => /Content Security Policy/.test(e)), b.errors.join('\n'));
  } finally {
    await b.close();
    await server.close();
  }
});

test('with the policy switched off, the page\'s own code still asks nothing of any server after load', async () => {
  const server = await serve();
  const b = await open(server.url, { bypassCSP: true });
  try {
    const before = server.requests.length;
    const { page } = b;
    await view(page, 'jks');
    await page.setInputFiles('#jks-file', td('google-sample.p12'));
    await submit(page, 'jks', 'Make the JKS');
    await downloads(page, 'jks');
    await view(page, 'metadata');
    await page.setInputFiles('#md-file', td('google-sample.p12'));
    await page.fill('#md-scope', 'https://www.googleapis.com/auth/bigquery');
    await submit(page, 'metadata', 'Make the metadata');
    await view(page, 'explain');
    await page.fill('#explain-text', 'invalid_grant');
    await submit(page, 'explain', 'Explain');
    assert.deepEqual(server.requests.slice(before), []);
    assert.deepEqual(b.after.filter(u => !u.startsWith('blob:')), []);
  } finally {
    await b.close();
    await server.close();
  }
});

for (const [name, make] of [['RuntimeError (a Rust panic)', 'new WebAssembly.RuntimeError("unreachable")'], ['RangeError (a stack overflow)', 'new RangeError("Maximum call stack size exceeded")']]) {
  test(`a crash in the module, a ${name}, wipes its memory and stops the page`, async () => {
    const server = await serve();
    const b = await open(server.url);
    try {
      const { page } = b;
      await view(page, 'inspect');
      await page.setInputFiles('#inspect-file', td('google-sample.p12'));
      // A marker in the module's memory; then the module's entry point throws as a trap does.
      await page.evaluate(make => {
        new Uint8Array(window.certkit.memory.buffer).set([0xde, 0xad, 0xbe, 0xef], 100000);
        wasm_bindgen.run = () => { throw eval(make); };
      }, make);
      await submit(page, 'inspect', 'Inspect');
      const state = await page.evaluate(() => ({
        stopped: document.body.dataset.stopped,
        wiped: new Uint8Array(window.certkit.memory.buffer).every(x => x === 0),
        disabled: Array.from(document.querySelectorAll('form button[type=submit]')).every(x => x.disabled),
      }));
      assert.deepEqual(state, { stopped: 'true', wiped: true, disabled: true });
      assert.match(await page.textContent('#stopped'), /Reload the page/);
    } finally {
      await b.close();
      await server.close();
    }
  });
}
