// certkit's page: forms in, the core (WebAssembly, crates/certkit-web) does the work, reports
// and downloads out. No request is made: the module's bytes come with the page
// (certkit_wasm.js), and the Content-Security-Policy refuses every fetch, XHR, WebSocket,
// beacon, form submission and image load (docs/web.md).
'use strict';

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  let urls = [];

  // ---- bytes ----------------------------------------------------------------------------
  function toBase64(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(s);
  }
  function fromBase64(b64) {
    const s = atob(b64);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  // The command line's bound on an input (certkit_core::host::MAX_INPUT), checked before the
  // file is read: a mistaken pick (a disk image) is refused, not read into the tab.
  const MAX_INPUT = 16 << 20;
  async function picked(input) {
    const out = [];
    for (const f of Array.from(input.files || [])) {
      if (f.size > MAX_INPUT) {
        // The command line's words for the same file (src/host/files.rs).
        throw { certkit: { kind: 'corrupt', field: input.name, message: f.name + ': damaged or unreadable: the file holds ' + f.size + ' bytes, more than the 16 MiB certkit reads from one input; refused' } };
      }
      let bytes;
      try {
        bytes = new Uint8Array(await f.arrayBuffer());
      } catch (e) {
        throw { certkit: { kind: 'io', field: input.name, message: f.name + ': could not be read (' + e.message + '); pick it again' } };
      }
      out.push({ name: f.name, base64: toBase64(bytes) });
    }
    return out;
  }

  // ---- the core -------------------------------------------------------------------------
  function call(command, request) {
    const t0 = performance.now();
    const answer = JSON.parse(wasm_bindgen.run(command, JSON.stringify(request)));
    answer.ms = performance.now() - t0;
    return answer;
  }
  // The tests' window into the page (tests/web): the last report and error shown, to compare
  // with the command line's `--json`, and the module's memory, to search for what must not be
  // left in it. Only when the test asked for it before the page loaded (window.__certkitTest,
  // set by the test's init script); a user's page exposes none of it.
  // For a user the hooks are an object nobody reads, whose last report is dropped at once.
  const hooks = window.__certkitTest ? (window.certkit = { call: call, lastReport: null, lastError: null })
    : { set lastReport(_) {}, set lastError(_) {}, set memory(_) {} };
  let memory = null;

  // ---- rendering ------------------------------------------------------------------------
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v; else e.setAttribute(k, v === true ? '' : v);
    }
    for (const k of kids.flat()) {
      if (k === undefined || k === null) continue;
      e.append(k instanceof Node ? k : document.createTextNode(String(k)));
    }
    return e;
  }
  function checks(list) {
    if (!list || !list.length) return null;
    return el('ul', { class: 'checks' }, list.map(c => el('li', { class: 'check ' + c.status, 'data-id': c.id },
      el('span', { class: 'tag' }, c.status.toUpperCase()), ' ',
      el('span', {}, c.rule + ': ' + c.detail),
      c.status !== 'pass' && c.fix ? el('div', { class: 'fix' }, 'fix: ' + c.fix) : null,
      el('div', { class: 'evidence muted' }, c.evidence + ' · ' + c.source))));
  }
  function downloads(files) {
    if (!files || !files.length) return null;
    return el('ul', { class: 'downloads' }, files.map(f => {
      const type = f.name.endsWith('.zip') ? 'application/zip' : 'application/octet-stream';
      const url = URL.createObjectURL(new Blob([fromBase64(f.base64)], { type: type }));
      urls.push(url);
      return el('li', {}, el('a', { href: url, download: f.name.split('/').pop(), class: 'download' }, 'Download ' + f.name),
        f.private ? el('span', { class: 'muted' }, ' (holds the private key: keep it safe)') : null);
    }));
  }
  function kv(rows) {
    return el('dl', {}, rows.filter(r => r[1] !== undefined && r[1] !== null && r[1] !== '')
      .map(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]).flat());
  }
  function pre(text, cls) { return el('pre', { class: cls }, text); }
  function failure(form, e) {
    const box = el('div', { class: 'error', role: 'alert' }, el('strong', {}, 'certkit: '), e.message);
    if (e.field) {
      const field = $('[name="' + e.field + '"]', form);
      if (field) { field.setAttribute('aria-invalid', 'true'); field.focus(); }
    }
    return box;
  }

  // ---- the views ------------------------------------------------------------------------
  // Each identifier a verifier may look the key up by, as `certkit kid` lists them.
  const KID_ROWS = [
    ['kid', 'kid (Salesforce, third parties): RFC 7638 thumbprint'],
    ['google_key_id', ''],
    ['x5t', 'x5t (SHA-1, base64url)'],
    ['x5t#S256', 'x5t#S256 (SHA-256, base64url)'],
    ['sha1_fingerprint', 'SHA-1 fingerprint'],
    ['sha256_fingerprint', 'SHA-256 fingerprint'],
    ['subject_key_id', 'Subject key identifier'],
    ['serial', 'Serial number'],
    ['alias', 'Alias (Unique Name after Import from Keystore)'],
  ];
  // Where the Google key id comes from, in `certkit kid`'s words (src/cli/kid.rs).
  const googleLabel = r => r.google_key_id_source === 'private_key_id' ? 'Google key id (private_key_id; Google\'s kid)'
    : r.google_key_id_source === 'recorded_in_certificate' ? 'Google key id (the JSON key\'s; Google\'s kid)'
      : r.google ? 'Google key id (certificate SHA-1; Google\'s kid)' : 'Google key id (certificate SHA-1, if Google holds it)';

  const views = {
    'p12-to-jks': (r, files) => [
      r.generated_password ? el('p', { class: 'password' }, 'Keystore password (shown once, write it down): ',
        el('code', { id: 'jks-generated' }, r.generated_password)) : null,
      kv([['Alias', r.alias], ['Key', r.key && (r.key.algorithm + ' ' + r.key.bits)],
        ['Certificate', r.certificate && r.certificate.subject], ['Valid until', r.certificate && r.certificate.not_after],
        ['SHA-256', r.certificate && r.certificate.sha256],
        ['Google key id', r.google && r.google.key_id]]),
      el('h3', {}, 'Salesforce rules'), checks(r.salesforce_rules),
      (r.warnings || []).map(w => el('p', { class: 'warning' }, 'Warning: ' + w)),
      (r.notes || []).map(n => el('p', { class: 'note' }, 'Note: ' + n)),
      downloads(files),
      el('p', {}, 'Next: in Salesforce Setup › Certificate and Key Management › Import from Keystore, choose ' + r.output +
        ' and enter the keystore password. Import fails with "Data Not Available" until an Identity Provider is enabled. The certificate\'s Unique Name will be "' + r.alias + '".'),
    ],
    'selfsign': (r, files) => [
      r.generated_password ? el('p', { class: 'password' }, 'JKS password (shown once, write it down): ',
        el('code', { id: 'ss-generated' }, r.generated_password)) : null,
      kv([['Key', r.key_algorithm + ' ' + r.key_bits], ['Subject', r.details && r.details.subject],
        ['Valid until', r.details && r.details.not_after], ['SHA-256', r.details && r.details.sha256]]),
      downloads(files),
      el('p', {}, 'Upload ' + r.certificate + ' to the app ("Use digital signatures"); log in with sf org login jwt --jwt-key-file ' + r.key + ' (keep the key secret).'),
    ],
    'kid': (r, files) => [
      r.inputs.map(i => el('div', { class: 'ids' }, el('h3', {}, i.input),
        kv(KID_ROWS.map(([k, label]) => [k === 'google_key_id' ? googleLabel(i.report) : label, i.report[k]])))),
      el('h3', {}, 'JWK set'), pre(JSON.stringify(r.jwks, null, 2), 'jwks'),
      downloads(files),
    ],
    'verify': r => [
      el('p', { class: r.ok ? 'ok' : 'bad' }, r.ok ? 'Every check passed.' : 'Some checks failed: see below.'),
      el('h3', {}, 'Header'), pre(JSON.stringify(r.header, null, 2)),
      el('h3', {}, 'Claims'), pre(JSON.stringify(r.claims, null, 2)),
      el('h3', {}, 'Checks'), checks(r.checks),
    ],
    'inspect': r => r.files.map(f => [
      kv([['File', f.file], ['Format', f.format], ['Integrity', f.integrity]]),
      (f.warnings || []).map(w => el('p', { class: 'warning' }, 'Warning: ' + w)),
      timeline(f.entries),
      f.entries.map(e => el('div', { class: 'entry' }, el('h3', {}, (e.alias || 'entry') + ' (' + e.type + ')'),
        kv([['Created', e.created], ['Key', e.key && [e.key.state, e.key.algorithm, e.key.bits].filter(Boolean).join(', ')]]),
        e.chain.map((c, i) => c ? kv([['Certificate ' + (i + 1), c.subject], ['Issuer', c.issuer],
          ['Valid from', c.not_before], ['Valid until', c.not_after], ['Key', c.key_algorithm + ' ' + c.key_bits],
          ['Signature', c.signature_algorithm], ['SHA-1', c.sha1], ['SHA-256', c.sha256]])
          : el('p', {}, 'Certificate ' + (i + 1) + ': not readable')))),
    ]),
    'explain': r => [
      r.matches.length ? null : el('p', { class: 'bad' }, 'certkit does not recognise this text.'),
      r.matches.map(m => el('div', { class: 'match' }, el('h3', {}, m.error + (m.description ? ' / ' + m.description : '')),
        kv([['Provider', m.provider], ['Cause', m.cause], ['Fix', m.fix], ['Check', m.check], ['Source', m.source]]))),
    ],
    'metadata': (r, files) => [
      el('p', {}, 'The External Credential ' + r.name + ', signing with the certificate "' + r.certificate + '":'),
      downloads(files),
      el('h3', {}, 'Then, in order'), el('ol', {}, r.steps.map(s => el('li', {}, s))),
      el('p', { class: 'muted' }, 'Not verified here: ' + r.not_verified + '.'),
    ],
    'lint': r => [
      el('p', { class: r.ok ? 'ok' : 'bad' }, r.ok ? 'Ready: nothing failed.' : 'Some checks failed: fix them before this step.'),
      checks(r.checks),
    ],
  };

  // Each certificate's validity on one time line, today marked; expired in red, expiring
  // within 30 days in amber.
  function timeline(entries) {
    const certs = [];
    for (const e of entries) {
      e.chain.forEach((c, i) => {
        if (!c) return;
        const cn = (/CN=([^,]+)/.exec(c.subject) || [])[1] || c.subject;
        certs.push({ label: (e.alias || cn) + (i ? ' #' + (i + 1) : ''), c: c });
      });
    }
    if (!certs.length) return null;
    const now = Date.now();
    const t = s => Date.parse(s);
    let lo = Math.min(now, ...certs.map(x => t(x.c.not_before)));
    let hi = Math.max(now, ...certs.map(x => t(x.c.not_after)));
    if (!isFinite(lo) || !isFinite(hi) || hi <= lo) return null;
    const pad = (hi - lo) * 0.04; lo -= pad; hi += pad;
    const W = 640, row = 26, top = 24, H = top + row * certs.length + 10, left = 150, width = W - left - 10;
    const x = v => left + (v - lo) / (hi - lo) * width;
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('class', 'timeline');
    svg.setAttribute('role', 'img');
    const stateOf = c => { const a = t(c.not_before), b = t(c.not_after); return b < now ? 'expired' : (b - now < 30 * 864e5 ? 'expiring' : (a > now ? 'future' : 'valid')); };
    const words = { expired: 'expired', expiring: 'expires within 30 days', future: 'not yet valid', valid: 'valid' };
    svg.setAttribute('aria-label', 'Validity of each certificate, today marked: ' + certs.map(d => d.label + ', ' + words[stateOf(d.c)] + ', from ' + d.c.not_before.slice(0, 10) + ' to ' + d.c.not_after.slice(0, 10)).join('; '));
    const add = (tag, a, text) => { const n = document.createElementNS(NS, tag); for (const k in a) n.setAttribute(k, a[k]); if (text) n.textContent = text; svg.append(n); return n; };
    certs.forEach((d, i) => {
      const y = top + i * row, a = t(d.c.not_before), b = t(d.c.not_after);
      const state = stateOf(d.c);
      add('text', { x: 4, y: y + 15, class: 'label' }, d.label.length > 22 ? d.label.slice(0, 21) + '…' : d.label);
      add('rect', { x: x(a), y: y + 3, width: Math.max(2, x(b) - x(a)), height: row - 8, class: 'bar ' + state, 'data-state': state });
    });
    add('line', { x1: x(now), x2: x(now), y1: 12, y2: H - 4, class: 'today' });
    add('text', { x: x(now) + 3, y: 12, class: 'label' }, 'today');
    add('text', { x: left, y: H - 0, class: 'axis' }, new Date(lo).toISOString().slice(0, 10));
    add('text', { x: W - 80, y: H - 0, class: 'axis' }, new Date(hi).toISOString().slice(0, 10));
    const key = el('p', { class: 'legend' }, ['valid', 'expiring', 'expired', 'future'].map(k =>
      el('span', { class: 'key ' + k }, words[k])));
    return [svg, key];
  }

  // ---- forms ----------------------------------------------------------------------------
  async function request(form) {
    const req = { files: [] };
    for (const f of $$('input, select, textarea', form)) {
      if (!f.name || f.disabled) continue;
      if (f.type === 'file') {
        const got = await picked(f);
        req.files.push(...got);
        if (f.multiple) req[f.name] = got.map(g => g.name);
        else if (got.length) req[f.name] = got[0].name;
      } else if (f.type === 'checkbox') {
        req[f.name] = f.checked;
      } else if (f.type === 'number' || f.name === 'key_size') {
        if (f.value !== '') req[f.name] = Number(f.value);
      } else if (f.value !== '') {
        req[f.name] = f.value;
      }
    }
    // A typed output password is used rather than a generated one.
    if (req.out_password) req.generate_password = false;
    // The JKS of selfsign always gets a generated password on this page.
    if (form.dataset.command === 'selfsign' && req.jks) req.generate_password = true;
    return req;
  }

  async function submit(form, command) {
    if (stopped) return;
    const out = $('.result', form.closest('section'));
    clear(out);
    $$('[aria-invalid]', form).forEach(f => f.removeAttribute('aria-invalid'));
    out.append(el('p', { role: 'status' }, 'Working…'));
    await new Promise(r => setTimeout(r, 0));
    let answer, req;
    try {
      req = await request(form);
    } catch (e) {
      answer = { ok: false, error: e.certkit || { kind: 'internal', message: String(e) } };
    }
    if (!answer) {
      try {
        answer = call(command, req);
      } catch (e) {
        // Anything thrown out of the module is a crash (a Rust panic aborts there as a
        // RuntimeError; V8 reports a stack overflow as a RangeError): its destructors never
        // ran, so what it held is wiped here, and the page stops until it is reloaded.
        answer = { ok: false, error: { kind: 'internal', message: String(e) } };
        stop(e);
      }
    }
    clear(out);
    if (!answer.ok) { hooks.lastError = answer.error; out.append(failure(form, answer.error)); return; }
    hooks.lastReport = answer.report;
    try {
      out.append(...[views[command](answer.report, answer.files)].flat(3).filter(Boolean));
    } catch (e) {
      // A report the page cannot show is said, never a "Working…" left for ever.
      clear(out);
      out.append(failure(form, { kind: 'internal', message: 'the page could not show the result: ' + e }));
      throw e;
    }
    out.dataset.ms = answer.ms.toFixed(1);
  }

  let stopped = false;
  function stop(e) {
    stopped = true;
    if (memory) new Uint8Array(memory.buffer).fill(0);
    for (const b of $$('form button[type=submit]')) b.disabled = true;
    document.body.dataset.stopped = 'true';
    const note = el('p', { role: 'alert', class: 'error', id: 'stopped' }, 'certkit stopped (' + e.message + '): its memory has been wiped. Reload the page to go on.');
    $('main').prepend(note);
  }

  function clear(out) {
    for (const u of urls) URL.revokeObjectURL(u);
    urls = [];
    hooks.lastReport = null;
    hooks.lastError = null;
    out.replaceChildren();
    delete out.dataset.ms;
  }

  // Leaving a view forgets what it held: the files picked, the passwords and texts typed,
  // the results and their downloads.
  function wipe(section) {
    for (const f of $$('input, textarea, select', section)) {
      if (f.type === 'checkbox') f.checked = f.defaultChecked;
      else if (f.tagName === 'SELECT') f.selectedIndex = Math.max(0, Array.from(f.options).findIndex(o => o.defaultSelected));
      else f.value = f.defaultValue || '';
      f.removeAttribute('aria-invalid');
    }
    const out = $('.result', section);
    if (out) clear(out);
  }

  function show(name) {
    for (const s of $$('main > section')) {
      const on = s.id === 'view-' + name;
      if (!on && !s.hidden) wipe(s);
      s.hidden = !on;
    }
    for (const b of $$('nav button')) {
      if (b.dataset.view === name) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    }
    const h = $('#view-' + name + ' h2');
    if (h) { h.tabIndex = -1; h.focus(); }
  }

  async function start() {
    const exports = await wasm_bindgen({ module_or_path: fromBase64(window.CERTKIT_WASM) });
    delete window.CERTKIT_WASM;
    memory = exports.memory;
    hooks.memory = memory;
    $('#version').textContent = wasm_bindgen.version();
    for (const b of $$('nav button')) b.addEventListener('click', () => show(b.dataset.view));
    for (const form of $$('form[data-command]')) {
      form.addEventListener('submit', ev => {
        ev.preventDefault();
        const by = ev.submitter;
        submit(form, (by && by.dataset.command) || form.dataset.command);
      });
    }
    for (const b of $$('form button[type=submit]')) b.disabled = false;
    $('#loading').remove();
    document.body.dataset.ready = 'true';
  }
  start().catch(e => { $('#loading').textContent = 'certkit could not start: ' + e; });
})();
