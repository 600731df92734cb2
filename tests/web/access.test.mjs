// The page for everyone: each view, with a result on screen, passes axe-core's WCAG 2 A and
// AA checks; a whole job can be done with the keyboard alone; and each view is photographed
// for the README (target/web/screenshots; copied to docs/web/ with CERTKIT_UPDATE_SCREENSHOTS=1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdirSync, readFileSync, copyFileSync } from 'node:fs';
import { serve, open, view, submit, td, ROOT } from './helpers.mjs';

let server, b;
before(async () => {
  server = await serve();
  b = await open(server.url);
  // A listener from the start turns on Playwright's interception of file choosers, so the
  // one opened by a key press below is never missed (enabling it later races the key).
  b.page.on('filechooser', () => {});
});
after(async () => { await b.close(); await server.close(); });

const AXE = readFileSync(path.join(ROOT, '.node/node_modules/axe-core/axe.min.js'), 'utf8');
const SHOTS = path.join(ROOT, 'target/web/screenshots');

// Each view with what a user would have done in it, so the result is checked too.
const JOBS = {
  jks: async page => {
    await page.setInputFiles('#jks-file', td('google-sample.p12'));
    await page.fill('#jks-alias', 'google_sa');
    await submit(page, 'jks', 'Make the JKS');
  },
  selfsign: async page => {
    await page.fill('#ss-cn', 'integration.example.com');
    await page.check('#ss-jks');
    await submit(page, 'selfsign', 'Make the key and certificate');
  },
  kid: async page => {
    await page.setInputFiles('#kid-files', td('google-sample.p12'));
    await submit(page, 'kid', 'Make the JWK set');
  },
  verify: async page => {
    await page.fill('#verify-token', 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln');
    await page.setInputFiles('#verify-cert', td('google-sample.crt.pem'));
    await submit(page, 'verify', 'Verify');
  },
  inspect: async page => {
    await page.setInputFiles('#inspect-file', td('keytool-multi.jks'));
    await page.fill('#inspect-password', 'storepw1');
    await submit(page, 'inspect', 'Inspect');
  },
  explain: async page => {
    await page.fill('#explain-text', '{"error":"invalid_grant","error_description":"Invalid JWT Signature"}');
    await submit(page, 'explain', 'Explain');
  },
  metadata: async page => {
    await page.setInputFiles('#md-file', td('google-sample.p12'));
    await page.fill('#md-scope', 'https://www.googleapis.com/auth/bigquery');
    await page.fill('#md-name', 'Google_BQ');
    await submit(page, 'metadata', 'Make the metadata');
  },
  exchange: async () => {},
};

for (const [name, job] of Object.entries(JOBS)) {
  test(`the ${name} view passes axe-core's WCAG 2 A/AA checks with its result shown, and is photographed`, async () => {
    const { page } = b;
    await view(page, name);
    await job(page);
    // axe-core evaluated by the test (outside the page's policy, which would refuse it).
    if (await page.evaluate(() => typeof window.axe) === 'undefined') await page.evaluate(AXE);
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    const found = result.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
    assert.deepEqual(found, []);
    assert.ok(result.passes.length > 10, 'axe ran its checks');
    mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.CERTKIT_UPDATE_SCREENSHOTS === '1') {
      mkdirSync(path.join(ROOT, 'docs/web'), { recursive: true });
      copyFileSync(file, path.join(ROOT, 'docs/web', `${name}.png`));
    }
  });
}

test('a whole job with the keyboard alone: to the explain view, type, submit, read the answer', async () => {
  const { page } = b;
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.focus('nav button[data-view="jks"]');
  // Along the menu with Tab to "Explain an error", then Enter.
  for (let i = 0; i < 10; i++) {
    if (await page.evaluate(() => document.activeElement.dataset.view) === 'explain') break;
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement.dataset.view), 'explain');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'h-explain', 'focus moves to the view\'s heading');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'explain-text');
  await page.keyboard.type('invalid_grant: Invalid JWT Signature');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'explain-provider');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Explain');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#view-explain .result .match');
  assert.match(await page.textContent('#view-explain .result'), /Cause/);
});

test('a file is picked with the keyboard too: the file field opens the chooser on Space', async () => {
  const { page } = b;
  await view(page, 'inspect');
  await page.focus('#h-inspect');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'inspect-file');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles(td('google-sample.crt.pem'));
  await page.keyboard.press('Tab'); // the password
  await page.keyboard.press('Tab'); // Inspect
  await page.keyboard.press('Enter');
  await page.waitForSelector('#view-inspect svg.timeline');
});

test('every form field has a label', async () => {
  const { page } = b;
  const unlabelled = await page.evaluate(() => Array.from(document.querySelectorAll('input, select, textarea'))
    .filter(f => !f.labels || f.labels.length === 0).map(f => f.id || f.name));
  assert.deepEqual(unlabelled, []);
});

test('no request leaves the page after it is ready', () => {
  assert.deepEqual(b.after.filter(u => !u.startsWith('blob:')), []);
  assert.deepEqual(b.errors, []);
});
