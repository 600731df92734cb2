#!/usr/bin/env python3
"""Loopback servers for certkit's exchange tests. Each prints "PORT <n>" on its first line of
standard output once it listens on 127.0.0.1, appends one JSON line per request it sees to
--log, and runs until killed.

  rfc7523  an RFC 7523 token endpoint built on authlib's JWTBearerGrant (an independent
           verifier: it knows only the certificate's public key, the client and the user)
  replay   answers POST /<path> with the status and body --answers gives for that path
           (documented Google and Salesforce answers, replayed verbatim)
  silent   accepts connections and never answers (timeouts)
  proxy    an HTTP CONNECT proxy that logs each CONNECT target and tunnels it
"""
import argparse
import json
import select
import socket
import sys
import threading


def log(path, record):
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")


def announce(port):
    print(f"PORT {port}", flush=True)


def request_record(req, secrets=False):
    form = {k: v for k, v in req.form.items()}
    if "assertion" in form and not secrets:
        form["assertion"] = "<%d characters>" % len(form["assertion"])
    return {
        "method": req.method,
        "path": req.path,
        "content_type": req.headers.get("Content-Type", ""),
        "user_agent": req.headers.get("User-Agent", ""),
        "form": form,
    }


def rfc7523(args):
    from flask import Flask, request
    from werkzeug.serving import make_server
    from authlib.integrations.flask_oauth2 import AuthorizationServer
    from authlib.oauth2.rfc7523 import JWTBearerGrant as Base
    from joserfc.jwk import RSAKey

    public = RSAKey.import_key(open(args.cert, encoding="utf-8").read())
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    token_url = f"http://127.0.0.1:{port}/token"

    class Client:
        client_id = args.iss

        def check_grant_type(self, grant_type):
            return grant_type == Base.GRANT_TYPE

        def get_allowed_scope(self, scope):
            return scope or ""

    class User:
        def get_user_id(self):
            return "u1"

    class Grant(Base):
        def get_audiences(self):
            return [token_url]

        def resolve_issuer_client(self, iss):
            return Client() if iss == args.iss else None

        def resolve_client_public_key(self, client):
            return public

        def authenticate_user(self, sub):
            return User() if sub == args.sub else None

        def has_granted_permission(self, client, user):
            return True

    app = Flask(__name__)
    def save_token(token, req):
        if args.log_secrets:
            log(args.log, {"issued": token.get("access_token")})

    server = AuthorizationServer(app, query_client=lambda cid: None, save_token=save_token)
    server.register_grant(Grant)

    @app.route("/token", methods=["POST"])
    def token():
        log(args.log, request_record(request, args.log_secrets))
        return server.create_token_response()

    http = make_server("127.0.0.1", port, app, threaded=True)
    announce(port)
    http.serve_forever()


def replay(args):
    from flask import Flask, Response, request
    from werkzeug.serving import make_server

    answers = {a["path"]: a for a in json.load(open(args.answers, encoding="utf-8"))}
    app = Flask(__name__)

    @app.route("/<path:path>", methods=["POST"])
    def answer(path):
        log(args.log, request_record(request))
        a = answers.get(path)
        if a is None:
            return Response("no such answer", status=404)
        return Response(a["body"], status=a["status"], content_type="application/json")

    http = make_server("127.0.0.1", 0, app, threaded=True)
    announce(http.server_port)
    http.serve_forever()


def silent(args):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    announce(sock.getsockname()[1])
    held = []
    while True:
        conn, _ = sock.accept()
        log(args.log, {"accepted": True})
        held.append(conn)  # never read, never answered, never closed


def proxy(args):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    announce(sock.getsockname()[1])

    def handle(conn):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                conn.close()
                return
            data += chunk
        head, rest = data.split(b"\r\n\r\n", 1)
        line = head.split(b"\r\n")[0].decode("latin-1")
        method, target, _ = line.split(" ", 2)
        log(args.log, {"proxy": method, "target": target})
        if method != "CONNECT":
            conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            conn.close()
            return
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if rest:
            upstream.sendall(rest)
        pair = [conn, upstream]
        while True:
            ready, _, _ = select.select(pair, [], [], 30)
            if not ready:
                break
            for s in ready:
                chunk = s.recv(65536)
                if not chunk:
                    conn.close()
                    upstream.close()
                    return
                (upstream if s is conn else conn).sendall(chunk)

    while True:
        conn, _ = sock.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["rfc7523", "replay", "silent", "proxy"])
    p.add_argument("--cert")
    p.add_argument("--iss")
    p.add_argument("--sub")
    p.add_argument("--answers")
    p.add_argument("--log-secrets", action="store_true")
    p.add_argument("--log")
    args = p.parse_args()
    {"rfc7523": rfc7523, "replay": replay, "silent": silent, "proxy": proxy}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
