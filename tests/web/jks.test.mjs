// The first view: a Google P12 (and a JSON key) to the JKS Import from Keystore accepts. The
// download opens in keytool with the password the page showed, Java's KeyStore signs with
// its key, and the Salesforce rules shown are the command line's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { serve, open, view, submit, downloads, ok, java, td, CERTKIT } from './helpers.mjs';

let server, b;
before(async () => { server = await serve(); b = await open(server.url); });
after(async () => { await b.close(); await server.close(); });

const SIGN = `
import java.io.FileInputStream;
import java.security.*;
import java.security.cert.Certificate;
public class SignWithJks {
  public static void main(String[] a) throws Exception {
    KeyStore ks = KeyStore.getInstance("JKS");
    try (FileInputStream in = new FileInputStream(a[0])) { ks.load(in, a[1].toCharArray()); }
    PrivateKey key = (PrivateKey) ks.getKey(a[2], a[1].toCharArray());
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(key); s.update("certkit".getBytes()); byte[] sig = s.sign();
    Certificate c = ks.getCertificate(a[2]);
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(c.getPublicKey()); v.update("certkit".getBytes());
    System.out.println(ks.getType() + " " + ks.isKeyEntry(a[2]) + " " + v.verify(sig));
  }
}`;

test('a Google P12 becomes a JKS that keytool opens with the shown password and Java signs with', async () => {
  const { page } = b;
  await view(page, 'jks');
  await page.setInputFiles('#jks-file', td('google-sample.p12'));
  await page.fill('#jks-alias', 'google_sa');
  const result = await submit(page, 'jks', 'Make the JKS');
  const password = (await page.textContent('#jks-generated')).trim();
  assert.match(password, /^[A-Za-z0-9]{8}$/, 'a generated 8-character password is shown');
  const { saved } = await downloads(page, 'jks');
  const jks = saved['google-sample.jks'];
  assert.ok(jks, 'the JKS is offered as google-sample.jks: ' + Object.keys(saved));
  const listing = ok('keytool', ['-list', '-v', '-keystore', jks, '-storepass', password]);
  assert.match(listing, /Keystore type: JKS/);
  assert.match(listing, /Alias name: google_sa/);
  assert.match(listing, /Entry type: PrivateKeyEntry/);
  // Java's KeyStore: the entry is a key entry, and its key signs what its certificate verifies.
  assert.equal((await java(SIGN, [jks, password, 'google_sa'])).trim(), 'JKS true true');

  // The rules as the command line reports them for the same input.
  const cliDir = await mkdtemp(path.join(tmpdir(), 'certkit-cli-'));
  const cli = JSON.parse(ok(CERTKIT, ['p12-to-jks', td('google-sample.p12'), '-o', path.join(cliDir, 'x.jks'),
    '--alias', 'google_sa', '--generate-password', '--json']));
  const shown = await result.locator('li.check').evaluateAll(ls => ls.map(l => [l.dataset.id, l.querySelector('.tag').textContent]));
  assert.deepEqual(shown, cli.salesforce_rules.map(c => [c.id, c.status.toUpperCase()]));
  assert.ok(shown.length > 0);
});

test('a typed password outside the Salesforce policy is refused with the rule, and nothing is offered', async () => {
  const { page } = b;
  await view(page, 'jks');
  await page.setInputFiles('#jks-file', td('google-sample.p12'));
  await page.uncheck('#jks-generate');
  await page.fill('#jks-out-password', 'much-too-long-password');
  const result = await submit(page, 'jks', 'Make the JKS');
  const text = await result.textContent();
  assert.match(text, /certkit: /);
  assert.match(text, /8/, text);
  assert.equal(await result.locator('a.download').count(), 0);
  assert.equal(await page.getAttribute('#jks-out-password', 'aria-invalid'), 'true');
});

test('a typed password that fits is the JKS password', async () => {
  const { page } = b;
  await view(page, 'selfsign');
  await view(page, 'jks');
  await page.setInputFiles('#jks-file', td('google-sample.p12'));
  await page.uncheck('#jks-generate');
  await page.fill('#jks-out-password', 'Abc12345');
  await submit(page, 'jks', 'Make the JKS');
  assert.equal(await page.locator('#jks-generated').count(), 0, 'no password is generated');
  const { saved } = await downloads(page, 'jks');
  ok('keytool', ['-list', '-keystore', saved['google-sample.jks'], '-storepass', 'Abc12345']);
});

test('a Google JSON key becomes a JKS too, with its key id shown', async () => {
  const { page } = b;
  await view(page, 'selfsign');
  await view(page, 'jks');
  await page.setInputFiles('#jks-file', td('google-sample.json'));
  const result = await submit(page, 'jks', 'Make the JKS');
  const password = (await page.textContent('#jks-generated')).trim();
  const { saved } = await downloads(page, 'jks');
  const listing = ok('keytool', ['-list', '-keystore', saved['google-sample.jks'], '-storepass', password]);
  assert.match(listing, /PrivateKeyEntry/);
  const id = JSON.parse(readFileSync(td('google-sample.json'), 'utf8')).private_key_id;
  assert.match(await result.textContent(), new RegExp(id));
});

test('a PEM key and its certificate in separate files become one JKS entry', async () => {
  const { page } = b;
  await view(page, 'selfsign');
  await view(page, 'jks');
  await page.setInputFiles('#jks-file', td('openssl-modern.key.pem'));
  await page.setInputFiles('#jks-cert', td('openssl-modern.crt.pem'));
  await submit(page, 'jks', 'Make the JKS');
  const password = (await page.textContent('#jks-generated')).trim();
  const { saved } = await downloads(page, 'jks');
  const listing = ok('keytool', ['-list', '-v', '-keystore', saved['openssl-modern.key.jks'] || Object.values(saved)[0], '-storepass', password]);
  assert.match(listing, /Entry type: PrivateKeyEntry/);
  assert.match(listing, /Owner: CN=openssl modern test, O=certkit/);
});

test('a wrong input password is asked for again in its field', async () => {
  const { page } = b;
  await view(page, 'selfsign');
  await view(page, 'jks');
  await page.setInputFiles('#jks-file', td('keytool-store.jks'));
  await page.fill('#jks-password', 'not-the-password');
  const result = await submit(page, 'jks', 'Make the JKS');
  assert.match(await result.textContent(), /password/i);
  assert.equal(await page.getAttribute('#jks-password', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'jks-password');
});

test('no request leaves the page after it is ready', () => {
  assert.deepEqual(b.after, []);
  assert.deepEqual(b.errors, []);
});
