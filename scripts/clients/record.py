"""Runs each client against the loopback recorder and writes one JSON file per recording.

Called by scripts/record-clients.sh with the venv's python (it imports cryptography from it):

    record.py --out testdata/clients --npm-dir CACHE/npm --node NODE [--certkit PATH]

Every recording is checked before anything is written: exactly one token POST per run, an
RS256 signature that verifies with testdata/clients/client-cert.pem, and the token URL the
client was given. The files are written to a staging folder first and moved in only when
every client succeeded, so a failed run leaves the old recordings as they were.
"""

import argparse
import base64
import datetime
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import recorder  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CONSUMER_KEY = "3MVG9certkitRecorderConsumerKeyForTests"
USERNAME = "integration.user@example.com"
SCOPE = "https://www.googleapis.com/auth/bigquery"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
KEY = "client-key.pem"
CERT = "client-cert.pem"
GOOGLE_JSON = "google-client.json"


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def node_pkg_version(node, npm_dir, pkg, from_pkg=None):
    """The version of `pkg` that `from_pkg` (or the top level) really loads: Node's lookup,
    node_modules folders from the requiring package's folder upwards (some packages do not
    export ./package.json, so require.resolve cannot be asked)."""
    d = os.path.join(npm_dir, "node_modules", from_pkg) if from_pkg else npm_dir
    while True:
        cand = os.path.join(d, "node_modules", pkg, "package.json")
        if os.path.exists(cand):
            with open(cand) as f:
                return json.load(f)["version"]
        if os.path.samefile(d, npm_dir):
            raise SystemExit("record-clients: %s is not installed in %s" % (pkg, npm_dir))
        d = os.path.dirname(d)


def verify_rs256(assertion, cert_pem):
    head, body, sig = assertion.split(".")
    cert = x509.load_pem_x509_certificate(cert_pem)
    cert.public_key().verify(b64d(sig), (head + "." + body).encode(), padding.PKCS1v15(), hashes.SHA256())


def refuses_others(proxy):
    """The proxy must answer CONNECT for other hosts with 403 (nothing may leave the machine)."""
    import http.client

    host, port = proxy.rsplit(":", 1)
    c = http.client.HTTPConnection(host.split("//")[1], int(port), timeout=10)
    c.request("CONNECT", "example.com:443")
    status = c.getresponse().status
    c.close()
    if status != 403:
        sys.exit("record-clients: the proxy answered %d to CONNECT example.com:443, not 403" % status)


def compare(a, b):
    """Lines saying how recording b differs from recording a (same key, scope and token URL)."""
    lines = []
    for part in ("header", "claims", "form"):
        ka, kb = set(a[part]), set(b[part])
        if ka != kb:
            lines.append("%s: only %s: %s; only %s: %s" % (part, a["client"], sorted(ka - kb) or "-",
                                                           b["client"], sorted(kb - ka) or "-"))
        for k in sorted(ka & kb):
            if k in ("iat", "exp", "nbf"):
                continue
            if a[part][k] != b[part][k]:
                lines.append("%s.%s: %r vs %r" % (part, k, a[part][k], b[part][k]))
    la = a["claims"]["exp"] - a["claims"]["iat"]
    lb = b["claims"]["exp"] - b["claims"]["iat"]
    if la != lb:
        lines.append("lifetime exp-iat: %s vs %s" % (la, lb))
    if a["content_type"] != b["content_type"]:
        lines.append("content type: %r vs %r" % (a["content_type"], b["content_type"]))
    return lines or ["the same header fields, claims, form fields and lifetime"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--npm-dir", required=True)
    ap.add_argument("--node", required=True)
    ap.add_argument("--certkit", help="a certkit binary: also record what `certkit exchange` sends")
    a = ap.parse_args()

    out = os.path.abspath(a.out)
    npm_dir = os.path.abspath(a.npm_dir)
    node = os.path.abspath(a.node)
    modules = os.path.join(npm_dir, "node_modules")
    with open(os.path.join(out, CERT), "rb") as f:
        cert_pem = f.read()

    work = tempfile.mkdtemp(prefix="certkit-record-")
    try:
        rec, proxy, ca, server = recorder.start(work)
        home = os.path.join(work, "home")
        refuses_others(proxy)
        # A clean environment: nothing of the caller's (SF_AUDIENCE_URL, GOOGLE_*, proxies)
        # reaches the clients.
        env = {
            "PATH": os.path.dirname(node) + os.pathsep + os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin",
            "HOME": home,
            "TMPDIR": work,
            "LANG": "C.UTF-8",
            "TZ": "UTC",
            "XDG_CONFIG_HOME": os.path.join(home, ".config"),
            "XDG_DATA_HOME": os.path.join(home, ".local/share"),
            "XDG_CACHE_HOME": os.path.join(home, ".cache"),
            "HTTPS_PROXY": proxy,
            "https_proxy": proxy,
            "HTTP_PROXY": proxy,
            "http_proxy": proxy,
            "ALL_PROXY": proxy,
            "NODE_USE_ENV_PROXY": "1",
            "NODE_EXTRA_CA_CERTS": ca,
            "REQUESTS_CA_BUNDLE": ca,
            "SSL_CERT_FILE": ca,
            "NODE_PATH": modules,
            "SF_DISABLE_TELEMETRY": "true",
            "SFDX_DISABLE_TELEMETRY": "true",
            "SF_AUTOUPDATE_DISABLE": "true",
            "SFDX_AUTOUPDATE_DISABLE": "true",
            "SF_SKIP_NEW_VERSION_CHECK": "true",
            "SF_HIDE_RELEASE_NOTES": "true",
            "SF_HIDE_RELEASE_NOTES_FOOTER": "true",
            "SF_DISABLE_AUTOUPDATE": "true",
            "SF_USE_GENERIC_UNIX_KEYCHAIN": "true",
            "SF_DOMAIN_RETRY": "0",
            "SFDX_DOMAIN_RETRY": "0",
            "SF_DNS_TIMEOUT": "1",
            "SF_LOG_LEVEL": "fatal",
            "SF_NPM_REGISTRY": "https://registry.invalid/",
            "NODE_NO_WARNINGS": "1",
            "GCE_METADATA_HOST": "127.0.0.1:9",
            "NO_GCE_CHECK": "True",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        key = os.path.join(out, KEY)
        gjson = os.path.join(out, GOOGLE_JSON)
        py = sys.executable
        pyc = os.path.join(HERE, "py_client.py")
        nodec = os.path.join(HERE, "node_client.cjs")
        sf_run = os.path.join(modules, "@salesforce", "cli", "bin", "run.js")

        node_v = subprocess.run([node, "--version"], check=True, capture_output=True, text=True).stdout.strip().lstrip("v")
        py_v = platform.python_version()
        sf_v = node_pkg_version(node, npm_dir, "@salesforce/cli")
        sf_core = node_pkg_version(node, npm_dir, "@salesforce/core", "@salesforce/cli")
        sf_jwt = node_pkg_version(node, npm_dir, "jsonwebtoken", "@salesforce/core")
        core_v = node_pkg_version(node, npm_dir, "@salesforce/core")
        gal_v = node_pkg_version(node, npm_dir, "google-auth-library")
        gal_libs = {x: node_pkg_version(node, npm_dir, x, "google-auth-library") for x in ("gaxios", "jws")}
        ssf_v = importlib.metadata.version("simple-salesforce")
        pyjwt_v = importlib.metadata.version("pyjwt")
        ga_v = importlib.metadata.version("google-auth")
        req_v = importlib.metadata.version("requests")

        sf_args = lambda url: [  # noqa: E731
            "org", "login", "jwt", "--username", USERNAME, "--client-id", CONSUMER_KEY,
            "--jwt-key-file", KEY, "--instance-url", url, "--json",
        ]
        specs = []
        for variant, url in (("login", "https://login.salesforce.com"), ("test", "https://test.salesforce.com")):
            specs.append({
                "file": "sf-org-login-jwt-%s.json" % variant,
                "client": "sf org login jwt",
                "package": "@salesforce/cli",
                "version": sf_v,
                "runtime": {"node": node_v},
                "libraries": {"@salesforce/core": sf_core, "jsonwebtoken": sf_jwt},
                "profile": "salesforce",
                "token_url": url + "/services/oauth2/token",
                "argv": [node, sf_run] + [(key if x == KEY else x) for x in sf_args(url)],
                "command": "sf " + " ".join(sf_args(url)),
                "args": {"iss": CONSUMER_KEY, "sub": USERNAME, "instance_url": url},
                "key": KEY,
            })
        for variant in ("login", "test"):
            specs.append({
                "file": "simple-salesforce-%s.json" % variant,
                "client": "simple-salesforce",
                "package": "simple-salesforce",
                "version": ssf_v,
                "runtime": {"python": py_v},
                "libraries": {"pyjwt": pyjwt_v, "requests": req_v},
                "profile": "salesforce",
                "token_url": "https://%s.salesforce.com/services/oauth2/token" % variant,
                "argv": [py, pyc, "simple-salesforce", variant, key, CONSUMER_KEY, USERNAME],
                "command": "Salesforce(username=%r, consumer_key=%r, privatekey_file=%r, domain=%r)"
                % (USERNAME, CONSUMER_KEY, KEY, variant),
                "args": {"iss": CONSUMER_KEY, "sub": USERNAME, "domain": variant},
                "key": KEY,
            })
        specs.append({
            "file": "salesforce-core-login.json",
            "client": "@salesforce/core AuthInfo (JWT)",
            "package": "@salesforce/core",
            "version": core_v,
            "runtime": {"node": node_v},
            "libraries": {"jsonwebtoken": node_pkg_version(node, npm_dir, "jsonwebtoken", "@salesforce/core")},
            "profile": "salesforce",
            "token_url": "https://login.salesforce.com/services/oauth2/token",
            "argv": [node, nodec, "salesforce-core", "https://login.salesforce.com", key, CONSUMER_KEY, USERNAME],
            "command": "AuthInfo.create({username: %r, oauth2Options: {clientId: %r, loginUrl: "
            "'https://login.salesforce.com', privateKeyFile: %r}})" % (USERNAME, CONSUMER_KEY, KEY),
            "args": {"iss": CONSUMER_KEY, "sub": USERNAME, "login_url": "https://login.salesforce.com"},
            "key": KEY,
        })
        specs.append({
            "file": "google-auth-service-account.json",
            "client": "google-auth service_account.Credentials",
            "package": "google-auth",
            "version": ga_v,
            "runtime": {"python": py_v},
            "libraries": {"requests": req_v},
            "profile": "google",
            "token_url": GOOGLE_TOKEN_URL,
            "argv": [py, pyc, "google-auth", gjson, SCOPE],
            "command": "service_account.Credentials.from_service_account_info(json.load(open(%r)), "
            "scopes=[%r]).refresh(google.auth.transport.requests.Request())" % (GOOGLE_JSON, SCOPE),
            "args": {"json_key": GOOGLE_JSON, "scope": SCOPE, "token_uri": GOOGLE_TOKEN_URL},
            "key": GOOGLE_JSON,
        })
        for variant, how in (
            ("jwt", "new JWT({email, key, keyId, scopes: [%r]}).authorize()" % SCOPE),
            ("googleauth", "new GoogleAuth({credentials, scopes: [%r]}).getClient() then getAccessToken()" % SCOPE),
        ):
            specs.append({
                "file": "google-auth-library-%s.json" % variant,
                "client": "google-auth-library " + ("JWT" if variant == "jwt" else "GoogleAuth"),
                "package": "google-auth-library",
                "version": gal_v,
                "runtime": {"node": node_v},
                "libraries": gal_libs,
                "profile": "google",
                "token_url": GOOGLE_TOKEN_URL,
                "argv": [node, nodec, "google-auth-library-" + variant, gjson, SCOPE],
                "command": how + " with the fields of " + GOOGLE_JSON,
                "args": {"json_key": GOOGLE_JSON, "scope": SCOPE, "token_uri": GOOGLE_TOKEN_URL},
                "key": GOOGLE_JSON,
            })
        if a.certkit:
            ck_v = subprocess.run([a.certkit, "--version"], check=True, capture_output=True, text=True).stdout.split()[-1]
            ck_args = ["exchange", GOOGLE_JSON, "--profile", "google", "--scope", SCOPE, "--json"]
            specs.append({
                "file": "certkit-exchange-google.json",
                "client": "certkit exchange",
                "package": "certkit",
                "version": ck_v,
                "runtime": {},
                "libraries": {},
                "profile": "google",
                "token_url": GOOGLE_TOKEN_URL,
                "argv": [os.path.abspath(a.certkit)] + [(gjson if x == GOOGLE_JSON else x) for x in ck_args],
                "command": "certkit " + " ".join(ck_args),
                "args": {"json_key": GOOGLE_JSON, "scope": SCOPE, "token_uri": GOOGLE_TOKEN_URL},
                "key": GOOGLE_JSON,
                "certkit": True,
            })

        stage = os.path.join(work, "stage")
        os.makedirs(stage)
        written = []
        for s in specs:
            rec.label = s["file"]
            print("record-clients: %s ..." % s["command"], file=sys.stderr, flush=True)
            t0 = time.time()
            # A fresh HOME for each run: no client sees what another one saved.
            h = os.path.join(work, "home-" + s["file"][: -len(".json")])
            os.makedirs(h)
            run_env = dict(env, HOME=h, XDG_CONFIG_HOME=os.path.join(h, ".config"),
                           XDG_DATA_HOME=os.path.join(h, ".local/share"), XDG_CACHE_HOME=os.path.join(h, ".cache"))
            p = subprocess.run(s["argv"], env=run_env, cwd=out, capture_output=True, text=True, timeout=300)
            posts = rec.token_posts(s["file"])
            if p.returncode != 0 and not posts:
                sys.exit("record-clients: %s failed (exit %d) and sent no assertion:\n%s\n%s"
                         % (s["client"], p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
            if len(posts) != 1:
                sys.exit("record-clients: %s sent %d token requests, expected 1" % (s["client"], len(posts)))
            r = posts[0]
            if r["url"] != s["token_url"]:
                sys.exit("record-clients: %s posted to %s, expected %s" % (s["client"], r["url"], s["token_url"]))
            form = dict(r["form"])
            assertion = form.pop("assertion")
            head, body, _ = assertion.split(".")
            header = json.loads(b64d(head))
            claims = json.loads(b64d(body))
            try:
                verify_rs256(assertion, cert_pem)
            except Exception as e:  # noqa: BLE001
                sys.exit("record-clients: %s: the signature does not verify with %s: %r" % (s["client"], CERT, e))
            at = int(r["time"])
            doc = {
                "client": s["client"],
                "package": s["package"],
                "version": s["version"],
                **s["runtime"],
                "libraries": s["libraries"],
                "recorded_at": at,
                "recorded_at_rfc3339": datetime.datetime.fromtimestamp(at, datetime.timezone.utc)
                .strftime("%Y-%m-%dT%H:%M:%SZ"),
                "profile": s["profile"],
                "token_url": r["url"],
                "content_type": r["content_type"],
                "user_agent": r["user_agent"],
                "form": form,
                "assertion": assertion,
                "header": header,
                "claims": claims,
                "signature_verified_with": CERT,
                "cert": CERT,
                "key": s["key"],
                "command": s["command"],
                "args": s["args"],
                "client_exit_code": p.returncode,
                "other_requests": [
                    "%s %s%s -> answered by the recorder" % (x["method"], x["host"], x["path"])
                    for x in rec.requests if x["label"] == s["file"] and x is not r
                ],
            }
            with open(os.path.join(stage, s["file"]), "w") as f:
                json.dump(doc, f, indent=2)
                f.write("\n")
            written.append(s)
            print("record-clients:   %s: %s aud=%s header=%s claims=%s (%.1fs, exit %d)" % (
                s["file"], r["url"], claims.get("aud"), sorted(header), sorted(claims), time.time() - t0,
                p.returncode), file=sys.stderr, flush=True)

        for s in written:
            if s.get("certkit"):
                with open(os.path.join(stage, "google-auth-service-account.json")) as f:
                    ga = json.load(f)
                with open(os.path.join(stage, s["file"])) as f:
                    ck = json.load(f)
                print("record-clients: %s compared with %s (same key, scope, token URL):" % (s["file"], ga["client"]),
                      file=sys.stderr)
                for line in compare(ga, ck):
                    print("record-clients:   " + line, file=sys.stderr)
        refused = [r for r in rec.refused if r["label"]]  # the first one is refuses_others' own
        if refused:
            print("record-clients: the proxy refused (no traffic left the machine): %s"
                  % json.dumps(refused), file=sys.stderr)
        index = {
            "about": "Recordings made by scripts/record-clients.sh; see README.md",
            "recordings": [{"file": s["file"], "client": s["client"], "profile": s["profile"]}
                           for s in written if not s.get("certkit")],
            "certkit": [{"file": s["file"], "compare_with": "google-auth-service-account.json"}
                        for s in written if s.get("certkit")],
        }
        with open(os.path.join(stage, "index.json"), "w") as f:
            json.dump(index, f, indent=2)
            f.write("\n")

        # Move in: drop the recordings the previous index listed, then replace atomically.
        old_index = os.path.join(out, "index.json")
        if os.path.exists(old_index):
            with open(old_index) as f:
                old = json.load(f)
            for e in old.get("recordings", []) + old.get("certkit", []):
                name = os.path.basename(e["file"])
                if name.endswith(".json") and name not in (GOOGLE_JSON,):
                    try:
                        os.remove(os.path.join(out, name))
                    except FileNotFoundError:
                        pass
        for name in sorted(os.listdir(stage)):
            tmp = os.path.join(out, "." + name + ".tmp")
            shutil.copyfile(os.path.join(stage, name), tmp)
            os.replace(tmp, os.path.join(out, name))
        server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
