// Every other view, driven as a user does (pick, type, click, download), its files judged by
// the real peers (openssl, keytool, npm jose, @salesforce/source-deploy-retrieve) and compared
// with the command line's, byte for byte where they are deterministic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtemp, writeFile, readFile, readdir } from 'node:fs/promises';
import { readFileSync, writeFileSync, unlinkSync, openSync, closeSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createPrivateKey, createSign } from 'node:crypto';
import { serve, open, view, submit, downloads, ok, run, td, CERTKIT, nodeModule, ROOT } from './helpers.mjs';

let server, b;
before(async () => { server = await serve(); b = await open(server.url); });
after(async () => { await b.close(); await server.close(); });

const tmp = () => mkdtemp(path.join(tmpdir(), 'certkit-web-'));
const expected = JSON.parse(readFileSync(td('expected.json'), 'utf8'));

test('selfsign: the certificate, key and JKS download, openssl reads the pair and keytool the JKS', async () => {
  const { page } = b;
  await view(page, 'selfsign');
  await page.fill('#ss-cn', 'certkit web test');
  await page.fill('#ss-days', '200');
  await page.check('#ss-jks');
  const result = await submit(page, 'selfsign', 'Make the key and certificate');
  const password = (await page.textContent('#ss-generated')).trim();
  const { saved } = await downloads(page, 'selfsign');
  assert.deepEqual(Object.keys(saved).sort(), ['certkit_web_test.crt', 'certkit_web_test.jks', 'certkit_web_test.key']);
  const crt = saved['certkit_web_test.crt'], key = saved['certkit_web_test.key'];
  assert.match(ok('openssl', ['x509', '-in', crt, '-noout', '-subject']), /CN\s*=\s*certkit web test/);
  assert.equal(ok('openssl', ['x509', '-in', crt, '-noout', '-pubkey']), ok('openssl', ['pkey', '-in', key, '-pubout']),
    'the key is the certificate\'s');
  assert.match(ok('openssl', ['x509', '-in', crt, '-noout', '-text']), /Public-Key: \(2048 bit\)/);
  // Valid for 200 days: still valid in 199, not in 201.
  assert.equal(run('openssl', ['x509', '-in', crt, '-noout', '-checkend', String(199 * 86400)]).status, 0);
  assert.equal(run('openssl', ['x509', '-in', crt, '-noout', '-checkend', String(201 * 86400)]).status, 1);
  assert.match(ok('keytool', ['-list', '-keystore', saved['certkit_web_test.jks'], '-storepass', password]), /PrivateKeyEntry/);
  // PEM with LF only.
  assert.ok(!readFileSync(crt).includes(13) && !readFileSync(key).includes(13));
  // The certificate is the one to upload: only the key and the JKS are marked secret.
  const marked = await result.locator('ul.downloads li').evaluateAll(ls => ls.map(l => [l.querySelector('a').textContent, /private key/.test(l.textContent)]));
  assert.deepEqual(marked, [['Download certkit_web_test.crt', false], ['Download certkit_web_test.key', true], ['Download certkit_web_test.jks', true]]);
  assert.match(await result.textContent(), /sf org login jwt/);
});

test('kid: the JWK set equals the command line\'s byte for byte and npm jose verifies a token with it', async () => {
  const { page } = b;
  await view(page, 'kid');
  await page.setInputFiles('#kid-files', [td('google-sample.p12'), td('openssl-modern.crt.pem')]);
  await submit(page, 'kid', 'Make the JWK set');
  const { saved } = await downloads(page, 'kid');
  const page_set = await readFile(saved['jwks.json']);
  const cli_set = ok(CERTKIT, ['kid', td('google-sample.p12'), td('openssl-modern.crt.pem'), '--jwks'], { encoding: null });
  assert.ok(Buffer.compare(page_set, cli_set) === 0, 'jwks.json differs from `certkit kid --jwks`');

  // A token signed with the Google sample key, verified by jose against the page's set.
  const set = JSON.parse(page_set);
  const jose = nodeModule('jose');
  const kid = set.keys[0].kid;
  const b64 = v => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = b64({ alg: 'RS256', typ: 'JWT', kid }) + '.' + b64({ iss: 'web-test', iat: now, exp: now + 300 });
  const sig = createSign('RSA-SHA256').update(input).sign(createPrivateKey(readFileSync(td('google-sample.key.pem'))));
  const token = input + '.' + sig.toString('base64url');
  const { payload, protectedHeader } = await jose.jwtVerify(token, jose.createLocalJWKSet(set), { issuer: 'web-test' });
  assert.equal(protectedHeader.kid, kid);
  assert.equal(payload.iss, 'web-test');

  // A Google JSON key's id is its private_key_id, and the page says so, as `certkit kid` does.
  await page.setInputFiles('#kid-files', td('google-sample.json'));
  const json = await submit(page, 'kid', 'Make the JWK set');
  const id = JSON.parse(readFileSync(td('google-sample.json'), 'utf8')).private_key_id;
  const row = await json.locator('dt', { hasText: 'Google key id' }).textContent();
  assert.match(row, /private_key_id/);
  assert.equal(await json.locator('dt', { hasText: 'Google key id' }).locator('xpath=following-sibling::dd[1]').textContent(), id);
});

test('verify: a pasted assertion is checked against a certificate with the provider\'s rules, as the command line checks it', async () => {
  const { page } = b;
  const dir = await tmp();
  // An assertion the command line signs for Google with the sample key.
  const token = ok(CERTKIT, ['verify', td('google-sample.p12'), '--profile', 'google',
    '--scope', 'https://www.googleapis.com/auth/bigquery', '--print-token']).trim();
  await writeFile(path.join(dir, 'token'), token + '\n');
  const cli = JSON.parse(run(CERTKIT, ['verify', '--cert', td('google-sample.crt.pem'), '--token-file', path.join(dir, 'token'),
    '--profile', 'google', '--json']).stdout);
  await view(page, 'verify');
  await page.fill('#verify-token', token);
  await page.setInputFiles('#verify-cert', td('google-sample.crt.pem'));
  await page.selectOption('#verify-profile', 'google');
  const result = await submit(page, 'verify', 'Verify');
  const shown = await result.locator('li.check').evaluateAll(ls => ls.map(l => [l.dataset.id, l.querySelector('.tag').textContent]));
  assert.deepEqual(shown, cli.checks.map(c => [c.id, c.status.toUpperCase()]));
  assert.ok(shown.some(([id, s]) => /signature/.test(id) && s === 'PASS'), JSON.stringify(shown));

  // The same token against another certificate: the signature fails.
  await page.setInputFiles('#verify-cert', td('other-2048.crt.pem'));
  const bad = await submit(page, 'verify', 'Verify');
  assert.ok((await bad.locator('li.check.fail').count()) > 0);
});

// A certificate for `key` valid from `start` to `end` (openssl ca's YYYYMMDDHHMMSSZ).
function certWithDates(dir, key, cn, start, end) {
  const cnf = path.join(dir, cn + '.cnf');
  const db = path.join(dir, cn + '.idx');
  writeFileSync(db, '');
  writeFileSync(path.join(dir, cn + '.serial'), '01\n');
  writeFileSync(cnf, `[ ca ]\ndefault_ca = d\n[ d ]\ndatabase = ${db}\nserial = ${path.join(dir, cn + '.serial')}\nnew_certs_dir = ${dir}\n` +
    'default_md = sha256\npolicy = p\nunique_subject = no\n[ p ]\ncommonName = supplied\n[ req ]\ndistinguished_name = dn\nprompt = no\n' +
    `[ dn ]\nCN = ${cn}\n`);
  const csr = path.join(dir, cn + '.csr'), out = path.join(dir, cn + '.pem');
  ok('openssl', ['req', '-new', '-key', key, '-config', cnf, '-out', csr]);
  ok('openssl', ['ca', '-batch', '-selfsign', '-keyfile', key, '-config', cnf, '-in', csr, '-out', out,
    '-startdate', start, '-enddate', end, '-notext']);
  return readFileSync(out, 'utf8');
}

test('inspect: the report is the command line\'s, and the time line marks today and colours the expired and expiring', async () => {
  const { page } = b;
  const dir = await tmp();
  const stamp = d => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const day = 864e5, now = Date.now();
  const expired = certWithDates(dir, td('other-2048.key.pem'), 'expired', stamp(new Date(now - 400 * day)), stamp(new Date(now - 30 * day)));
  const expiring = certWithDates(dir, td('other-2048.key.pem'), 'expiring', stamp(new Date(now - 300 * day)), stamp(new Date(now + 10 * day)));
  const bundle = path.join(dir, 'bundle.pem');
  writeFileSync(bundle, expired + expiring + readFileSync(td('google-sample.crt.pem'), 'utf8'));

  await view(page, 'inspect');
  await page.setInputFiles('#inspect-file', bundle);
  await submit(page, 'inspect', 'Inspect');
  const states = await page.locator('#view-inspect svg.timeline rect.bar').evaluateAll(rs => rs.map(r => r.dataset.state));
  assert.deepEqual(states, ['expired', 'expiring', 'valid']);
  assert.equal(await page.locator('#view-inspect svg.timeline line.today').count(), 1);
  assert.match(await page.getAttribute('#view-inspect svg.timeline', 'aria-label'), /expired, from .*expires within 30 days, from .*certkit-sample@certkit-demo.iam.gserviceaccount.com, valid, from/);

  // The page's report is `certkit inspect --json`'s for the same file (the file's name aside).
  await page.setInputFiles('#inspect-file', td('keytool-multi.jks'));
  await page.fill('#inspect-password', 'storepw1');
  await submit(page, 'inspect', 'Inspect');
  const pageReport = await page.evaluate(() => window.certkit.lastReport);
  const pw = path.join(dir, 'pw');
  writeFileSync(pw, 'storepw1\n');
  const cli = JSON.parse(ok(CERTKIT, ['inspect', td('keytool-multi.jks'), '--password-file', pw, '--json']));
  cli.files[0].file = 'keytool-multi.jks';
  assert.deepEqual(pageReport, cli);
  assert.equal(await page.locator('#view-inspect svg.timeline rect.bar').count(), 3);
});

test('explain: a pasted Salesforce error gets the command line\'s causes', async () => {
  const { page } = b;
  const text = '{"error":"invalid_grant","error_description":"Invalid JWT Signature"}';
  const cli = JSON.parse(run(CERTKIT, ['explain', text, '--json']).stdout);
  await view(page, 'explain');
  await page.fill('#explain-text', text);
  await submit(page, 'explain', 'Explain');
  assert.deepEqual(await page.evaluate(() => window.certkit.lastReport), cli);
  assert.ok(cli.matches.length > 0);
  assert.match(await page.textContent('#view-explain .result'), new RegExp(cli.matches[0].fix.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});

test('metadata: the zip holds the command line\'s files byte for byte, and source-deploy-retrieve converts it', async () => {
  const { page } = b;
  const dir = await tmp();
  const scope = 'https://www.googleapis.com/auth/bigquery';
  await view(page, 'metadata');
  await page.setInputFiles('#md-file', td('google-sample.p12'));
  await page.selectOption('#md-profile', 'google');
  await page.fill('#md-scope', scope);
  await page.fill('#md-name', 'Google_BQ');
  await submit(page, 'metadata', 'Make the metadata');
  const { saved } = await downloads(page, 'metadata');
  const zip = saved['Google_BQ-sfdx.zip'];
  assert.ok(zip, Object.keys(saved).join());
  const unz = path.join(dir, 'page');
  ok('python3', ['-m', 'zipfile', '-e', zip, unz]);
  ok(CERTKIT, ['metadata', td('google-sample.p12'), '--profile', 'google', '--scope', scope, '--name', 'Google_BQ',
    '-o', path.join(dir, 'cli', 'sfdx')]);
  const files = async d => (await readdir(d, { recursive: true, withFileTypes: true }))
    .filter(e => e.isFile()).map(e => path.relative(d, path.join(e.parentPath ?? e.path, e.name))).sort();
  const pageFiles = await files(unz), cliFiles = await files(path.join(dir, 'cli'));
  assert.deepEqual(pageFiles, cliFiles);
  for (const f of pageFiles) {
    // The deploy README names the folder the command line wrote to (an absolute path there).
    if (f.endsWith('README-deploy.md')) continue;
    assert.ok(Buffer.compare(readFileSync(path.join(unz, f)), readFileSync(path.join(dir, 'cli', f))) === 0, f + ' differs');
  }
  // Salesforce's own converter reads the project and makes the metadata API's package.
  const sdr = nodeModule('@salesforce/source-deploy-retrieve');
  const cs = sdr.ComponentSet.fromSource(path.join(unz, 'sfdx', 'force-app'));
  const types = cs.toArray().map(c => c.type.name + ':' + c.fullName).sort();
  assert.deepEqual(types, ['ExternalCredential:Google_BQ', 'NamedCredential:Google_BQ', 'PermissionSet:Google_BQ_Access']);
  const out = path.join(dir, 'mdapi');
  await new sdr.MetadataConverter().convert(cs, 'metadata', { type: 'directory', outputDirectory: out, genUniqueDir: false });
  const pkg = readFileSync(path.join(out, 'package.xml'), 'utf8');
  assert.match(pkg, /<name>ExternalCredential<\/name>/);

  // The External Credential pasted back is linted against the key: it passes; with another
  // key it fails.
  const ec = readFileSync(path.join(unz, 'sfdx/force-app/main/default/externalCredentials/Google_BQ.externalCredential-meta.xml'), 'utf8');
  await page.fill('#md-ec', ec);
  const lint = await submit(page, 'metadata', 'Check the External Credential');
  assert.match(await lint.textContent(), /Ready: nothing failed/);
  await page.setInputFiles('#md-file', td('openssl-modern.p12'));
  await page.fill('#md-password', 'changeit');
  const bad = await submit(page, 'metadata', 'Check the External Credential');
  assert.ok((await bad.locator('li.check.fail').count()) > 0, await bad.textContent());
});

test('exchange: the page says it needs the network and shows a command the command line takes', async () => {
  const { page } = b;
  await view(page, 'exchange');
  const cmd = (await page.textContent('#exchange-command')).trim().split(/\s+/);
  assert.equal(cmd[0], 'certkit');
  const dir = await tmp();
  // As pasted, with the files it names made, the command line accepts it (a dry run: no network).
  const pw = path.join(dir, 'jks.pw');
  writeFileSync(pw, 'Abc12345\n');
  ok(CERTKIT, ['p12-to-jks', td('google-sample.p12'), '-o', path.join(dir, 'google_sa.jks'), '--out-password-file', pw]);
  const r = run(CERTKIT, [...cmd.slice(1), '--dry-run'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
});

test('errors: the command line\'s kind and words; only the remedy is said in the page\'s terms', async () => {
  const { page } = b;
  // [view, file field, file, button, command line]: a file that is no keystore; a keystore
  // whose password is not given.
  const cases = [
    ['inspect', '#inspect-file', 'README.md', 'Inspect', ['inspect', 'README.md', '--json'], j => j.errors[0]],
    ['jks', '#jks-file', 'keytool-store.jks', 'Make the JKS', ['p12-to-jks', 'keytool-store.jks', '-o', '/dev/null/x.jks', '--generate-password', '--json'], j => j],
  ];
  for (const [name, field, file, button, args, pick] of cases) {
    const cwd = file === 'README.md' ? ROOT : path.join(ROOT, 'testdata');
    const cli = pick(JSON.parse(run(CERTKIT, args, { cwd, stdin: 'ignore' }).stdout));
    await view(page, name === 'jks' ? 'inspect' : 'jks');
    await view(page, name);
    await page.setInputFiles(field, path.join(cwd, file));
    await submit(page, name, button);
    const shown = await page.evaluate(n => window.certkit.lastError, name);
    assert.equal(shown.kind, cli.error === 'usage' ? 'invalid' : cli.error);
    assert.equal(shown.message.split('\n')[0], cli.message.split('\n')[0]);
    assert.match(await page.textContent(`#view-${name} .result .error`), new RegExp(cli.message.split('\n')[0].slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  }
});

test('a picked file that can no longer be read is an error at its field, not a page left on Working…', async () => {
  const { page } = b;
  const dir = await tmp();
  const file = path.join(dir, 'gone.p12');
  writeFileSync(file, readFileSync(td('google-sample.p12')));
  await view(page, 'jks');
  await view(page, 'inspect');
  await page.setInputFiles('#inspect-file', file);
  unlinkSync(file);
  const result = await submit(page, 'inspect', 'Inspect');
  assert.match(await result.locator('.error').textContent(), /gone\.p12: could not be read/);
  assert.equal(await page.getAttribute('#inspect-file', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => window.certkit.lastError.kind), 'io');
});

test('a file over 16 MiB is refused before it is read, as the command line refuses it', async () => {
  const { page } = b;
  const dir = await tmp();
  const big = path.join(dir, 'disk.img');
  closeSync(openSync(big, 'w'));
  truncateSync(big, (16 << 20) + 1);
  await view(page, 'jks');
  await view(page, 'inspect');
  await page.setInputFiles('#inspect-file', big);
  // Which files the page reads (the test's instrument, outside the page's policy).
  await page.evaluate(() => {
    window.reads = 0;
    const read = File.prototype.arrayBuffer;
    File.prototype.arrayBuffer = function () { window.reads++; return read.call(this); };
  });
  const result = await submit(page, 'inspect', 'Inspect');
  assert.equal(await page.evaluate(() => window.reads), 0, 'the page read the file');
  const cli = JSON.parse(run(CERTKIT, ['inspect', 'disk.img', '--json'], { cwd: dir }).stdout);
  assert.match(cli.errors[0].message, /more than the 16 MiB/);
  assert.deepEqual(await page.evaluate(() => [window.certkit.lastError.kind, window.certkit.lastError.message]),
    [cli.errors[0].error, cli.errors[0].message]);
  assert.match(await result.locator('.error').textContent(), /more than the 16 MiB certkit reads/);
});

test('leaving a view wipes what it held: files, passwords, results and downloads', async () => {
  const { page } = b;
  await view(page, 'jks');
  await page.setInputFiles('#jks-file', td('google-sample.p12'));
  await page.fill('#jks-password', 'notasecret');
  await submit(page, 'jks', 'Make the JKS');
  const href = await page.getAttribute('#view-jks a.download', 'href');
  assert.match(href, /^blob:/);
  // Which download URLs the page revokes (the test's own instrument, outside the page's policy).
  await page.evaluate(() => {
    window.revoked = [];
    const revoke = URL.revokeObjectURL.bind(URL);
    URL.revokeObjectURL = u => { window.revoked.push(u); revoke(u); };
  });
  await view(page, 'inspect');
  assert.equal(await page.inputValue('#jks-password'), '');
  assert.equal(await page.evaluate(() => document.querySelector('#jks-file').files.length), 0);
  assert.equal(await page.locator('#view-jks .result *').count(), 0);
  // The download's blob URL is revoked: the browser lets its bytes go.
  assert.ok((await page.evaluate(() => window.revoked)).includes(href));
  assert.equal(await page.evaluate(() => window.certkit.lastReport), null);
});

test('after a conversion, neither the key nor the passwords are left anywhere in the module\'s memory', async () => {
  const { page } = b;
  // A JKS key protected by its own password, converted with a typed output password: the
  // module reads the store password, the key password, the key itself and the new password.
  await view(page, 'selfsign');
  await view(page, 'jks');
  await page.setInputFiles('#jks-file', td('keytool-keypass.jks'));
  await page.fill('#jks-password', 'storepw1');
  await page.fill('#jks-key-password', 'keypass2');
  await page.uncheck('#jks-generate');
  await page.fill('#jks-out-password', 'Zq9x7Wv3');
  await submit(page, 'jks', 'Make the JKS');
  assert.equal(await page.locator('#view-jks a.download').count(), 1, await page.textContent('#view-jks .result'));
  const key = readFileSync(td('keytool-keypass.split.key.der'));
  // Pieces of the key (its PKCS#8 encoding, the private exponent's region) and each password,
  // as UTF-8 and as the UTF-16BE Java's key protector uses.
  const needles = [key.subarray(100, 132), key.subarray(key.length - 64, key.length - 32)];
  for (const pw of ['storepw1', 'keypass2', 'Zq9x7Wv3']) {
    needles.push(Buffer.from(pw));
    needles.push(Buffer.from(pw, 'utf16le').swap16());
  }
  const found = await page.evaluate(list => {
    const mem = new Uint8Array(window.certkit.memory.buffer);
    return list.map(n => {
      const needle = new Uint8Array(n);
      outer: for (let i = 0; i + needle.length <= mem.length; i++) {
        for (let j = 0; j < needle.length; j++) if (mem[i + j] !== needle[j]) continue outer;
        return i;
      }
      return -1;
    });
  }, needles.map(n => Array.from(n)));
  assert.deepEqual(found, needles.map(() => -1), 'found in the module\'s memory at these offsets');
});

test('no request leaves the page after it is ready, and nothing went wrong in it', () => {
  // blob: URLs are the downloads, made from the page's memory: they never leave the browser.
  assert.deepEqual(b.after.filter(u => !u.startsWith('blob:')), []);
  assert.deepEqual(b.errors, []);
});
