#!/usr/bin/env python3
"""Loopback git smart-HTTP server with Azure DevOps-style Basic auth, for end-to-end tests.

Serves bare repositories ROOT/{org}/{project}/_git/{repo} through `git http-backend`.
A request for /{org}/... must carry Basic auth whose password is a token listed for
that organization in --tokens (lines "ORG TOKEN", re-read on every request so a test
can revoke a token by rewriting the file); any username is accepted, as Azure DevOps
does for PATs. Otherwise: 401 with `WWW-Authenticate: Basic realm=...`.

Each decision is appended to --log as
    AUTH result=ok|fail|none path-org=ORG token-org=ORG|unknown|- method=GET path=...
naming which organization a presented token belongs to, never the token itself, so a
test can prove one organization's token was never sent to another.

Binds 127.0.0.1 only; --port 0 picks a free port, written atomically to --port-file.
Stops on SIGTERM. Python 3 standard library only.
"""
import argparse
import base64
import os
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--root", required=True)
parser.add_argument("--tokens", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--port-file", required=True)
args = parser.parse_args()
root = os.path.abspath(args.root)
log_lock = threading.Lock()


def tokens():
    """{token: org} from the tokens file."""
    table = {}
    with open(args.tokens) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                table[parts[1]] = parts[0].lower()
    return table


def log(line):
    with log_lock, open(args.log, "a") as f:
        f.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def authorize(self, path_org):
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            log(f"AUTH result=none path-org={path_org} token-org=- method={self.command} path={self.path}")
            return False
        try:
            _, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except Exception:
            password = None
        token_org = tokens().get(password, "unknown")
        ok = token_org == path_org
        log(f"AUTH result={'ok' if ok else 'fail'} path-org={path_org} token-org={token_org} "
            f"method={self.command} path={self.path}")
        return ok

    def handle_any(self):
        body = self.body()
        path, _, query = self.path.partition("?")
        path_org = path.lstrip("/").split("/", 1)[0].lower()
        if not self.authorize(path_org):
            message = b"Unauthorized\n"
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="azdo-test"')
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(message)))
            self.end_headers()
            self.wfile.write(message)
            return
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_USER": "azdo-test",
            "REMOTE_ADDR": self.client_address[0],
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        for name in ("Content-Encoding", "Git-Protocol"):
            if self.headers.get(name):
                env["HTTP_" + name.upper().replace("-", "_")] = self.headers[name]
        result = subprocess.run(["git", "http-backend"], input=body, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        head, separator, payload = result.stdout.partition(b"\r\n\r\n")
        if not separator:
            head, _, payload = result.stdout.partition(b"\n\n")
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = handle_any


server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
server.daemon_threads = True
with open(args.port_file + ".tmp", "w") as f:
    f.write(f"{server.server_address[1]}\n")
os.replace(args.port_file + ".tmp", args.port_file)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
server.serve_forever()
server.server_close()
