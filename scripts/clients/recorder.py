"""A loopback recording token endpoint behind a loopback CONNECT proxy.

The proxy (127.0.0.1, a random port) is what the clients get as HTTPS_PROXY. For the host
names in ALLOWED_HOSTS it answers CONNECT itself, terminates TLS with a leaf certificate from a
throwaway CA made for this run, and serves the decrypted requests from this process: token
POSTs are recorded and answered with a plausible success. Every other host, and every plain
http:// request, is refused with 403, so no traffic leaves the machine.
"""

import base64
import http.server
import json
import os
import socketserver
import ssl
import subprocess
import threading
import time
import urllib.parse

SALESFORCE_HOSTS = ("login.salesforce.com", "test.salesforce.com")
# The instance_url the fake Salesforce answers with; the sf CLI calls it after the token. A
# name under .localhost.sfdcdev.salesforce.com, which @salesforce/core takes for a local
# instance and does not look up in DNS (SfdcUrl.isLocalUrl), so not even a DNS query leaves.
INSTANCE_HOST = "certkit-demo.localhost.sfdcdev.salesforce.com"
GOOGLE_HOSTS = ("oauth2.googleapis.com",)
ALLOWED_HOSTS = SALESFORCE_HOSTS + (INSTANCE_HOST,) + GOOGLE_HOSTS

ORG_ID = "00D5g000004certkAAA"
USER_ID = "0055g00000certkAAA"


def make_ca(work):
    """A throwaway CA and one leaf certificate for ALLOWED_HOSTS, with openssl. Returns
    (ca_pem_path, leaf_cert_path, leaf_key_path)."""
    ca_key = os.path.join(work, "ca.key")
    ca_crt = os.path.join(work, "ca.crt")
    leaf_key = os.path.join(work, "leaf.key")
    leaf_csr = os.path.join(work, "leaf.csr")
    leaf_crt = os.path.join(work, "leaf.crt")
    ext = os.path.join(work, "leaf.ext")

    def run(*args):
        subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca_crt,
        "-days", "2", "-subj", "/CN=certkit record-clients throwaway CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", leaf_key, "-out", leaf_csr,
        "-subj", "/CN=" + ALLOWED_HOSTS[0])
    with open(ext, "w") as f:
        f.write("basicConstraints=CA:FALSE\n")
        f.write("keyUsage=critical,digitalSignature,keyEncipherment\n")
        f.write("extendedKeyUsage=serverAuth\n")
        f.write("subjectAltName=" + ",".join("DNS:" + h for h in ALLOWED_HOSTS) + "\n")
    run("x509", "-req", "-in", leaf_csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial",
        "-out", leaf_crt, "-days", "2", "-sha256", "-extfile", ext)
    return ca_crt, leaf_crt, leaf_key


class Recorder:
    """What the endpoint saw. `label` names the client being run; each request is tagged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.label = None
        self.requests = []  # every request the fake hosts got
        self.refused = []  # hosts the proxy refused

    def add(self, entry):
        with self.lock:
            entry["label"] = self.label
            self.requests.append(entry)

    def refuse(self, what):
        with self.lock:
            self.refused.append({"label": self.label, "target": what})

    def token_posts(self, label):
        with self.lock:
            return [
                r for r in self.requests
                if r["label"] == label and r["method"] == "POST" and "assertion" in r["form"]
            ]


def _salesforce_token(host):
    now_ms = str(int(time.time() * 1000))
    return {
        "access_token": ORG_ID + "!AQ0AQrecordedByCertkitNotARealToken",
        "scope": "api",
        "instance_url": "https://" + INSTANCE_HOST,
        "id": "https://%s/id/%s/%s" % (host, ORG_ID, USER_ID),
        "token_type": "Bearer",
        "issued_at": now_ms,
        "signature": base64.b64encode(b"certkit recorder: not a real signature").decode(),
    }


def _userinfo(host):
    return {
        "sub": "https://%s/id/%s/%s" % (host, ORG_ID, USER_ID),
        "user_id": USER_ID,
        "organization_id": ORG_ID,
        "preferred_username": "integration.user@example.com",
        "username": "integration.user@example.com",
        "name": "Integration User",
        "email": "integration.user@example.com",
        "user_type": "STANDARD",
        "language": "en_US",
        "locale": "en_US",
        "utcOffset": 0,
        "urls": {
            "rest": "https://%s/services/data/v{version}/" % INSTANCE_HOST,
            "sobjects": "https://%s/services/data/v{version}/sobjects/" % INSTANCE_HOST,
            "query": "https://%s/services/data/v{version}/query/" % INSTANCE_HOST,
        },
        "display_name": "Integration User",
        "organization_name": "certkit demo",
        "is_app_installed": True,
    }


def make_handler(recorder):
    class Fake(http.server.BaseHTTPRequestHandler):
        """Serves the decrypted requests of one CONNECT tunnel."""

        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet
            pass

        def _body(self):
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                data = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        self.rfile.readline()
                        return data
                    data += self.rfile.read(size)
                    self.rfile.readline()
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def _answer(self, status, obj):
            body = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self):
            host = self.server_host
            body = self._body()
            ctype = self.headers.get("Content-Type", "")
            form = {}
            if "application/x-www-form-urlencoded" in ctype:
                form = dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            path = urllib.parse.urlsplit(self.path).path
            recorder.add({
                "time": time.time(),
                "method": self.command,
                "host": host,
                "path": self.path,
                "url": "https://" + host + path,
                "content_type": ctype,
                "user_agent": self.headers.get("User-Agent"),
                "form": form,
                "body_if_not_form": None if form else body.decode("utf-8", "replace")[:2000],
            })
            if self.command == "POST" and path == "/services/oauth2/token" and host in SALESFORCE_HOSTS:
                return self._answer(200, _salesforce_token(host))
            if self.command == "POST" and path == "/token" and host in GOOGLE_HOSTS:
                return self._answer(200, {
                    "access_token": "ya29.recordedByCertkitNotARealToken",
                    "expires_in": 3599,
                    "token_type": "Bearer",
                })
            if path.endswith("/services/oauth2/userinfo") or path.startswith("/id/"):
                return self._answer(200, _userinfo(host))
            if path.rstrip("/") == "/services/data":
                return self._answer(200, [{"label": "Winter '27", "url": "/services/data/v65.0", "version": "65.0"}])
            if "/query" in path:
                return self._answer(200, {"totalSize": 0, "done": True, "records": []})
            # Anything else the clients ask after the token: a plain 404 is enough, only the
            # assertion matters.
            return self._answer(404, [{"errorCode": "NOT_FOUND", "message": "certkit recorder: not served"}])

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _handle

    class Proxy(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def do_CONNECT(self):
            host, _, port = self.path.rpartition(":")
            if host not in ALLOWED_HOSTS or port != "443":
                recorder.refuse(self.path)
                self.send_response(403, "certkit recorder refuses this host")
                self.send_header("Content-Length", "0")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                return
            self.send_response(200, "Connection Established")
            self.end_headers()
            self.wfile.flush()
            try:
                tls = self.server.tls.wrap_socket(self.connection, server_side=True)
            except (ssl.SSLError, OSError) as e:
                recorder.refuse("%s (TLS handshake failed: %s)" % (self.path, e))
                self.close_connection = True
                return
            handler = type("FakeFor", (Fake,), {"server_host": host})
            try:
                handler(tls, self.client_address, self.server)
            except (ssl.SSLError, OSError):
                pass
            self.close_connection = True

        def _refuse(self):
            recorder.refuse("%s %s" % (self.command, self.path))
            self.send_response(403, "certkit recorder refuses plain http")
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _refuse

    return Proxy


class ProxyServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def start(work):
    """Starts the proxy on 127.0.0.1; returns (recorder, proxy_url, ca_path, server)."""
    ca, leaf, leaf_key = make_ca(work)
    recorder = Recorder()
    server = ProxyServer(("127.0.0.1", 0), make_handler(recorder))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(leaf, leaf_key)
    server.tls = ctx
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return recorder, "http://127.0.0.1:%d" % server.server_address[1], ca, server
