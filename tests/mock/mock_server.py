"""What the tracker mocks share: a threaded local HTTP server, a log of the requests it saw,
and faults a test can queue (an answer given instead of the real one, once each).

A mock is started in-process by a test:

    srv = GitHubMock(token="t0ken")   # or JiraMock(...)
    srv.start()                        # listens on 127.0.0.1, a free port: srv.url
    ...
    srv.stop()

or on its own for manual runs: `python3 tests/mock/github_mock.py --port 8080 --token t0ken`.
"""

import http.server
import json
import threading
import urllib.parse


class Fault:
    """An answer to give instead of the real one: status, headers, JSON body."""

    def __init__(self, status, headers=None, body=None, match=None):
        self.status, self.headers, self.body = status, headers or {}, body or {}
        self.match = match  # a function(method, path) -> bool; None = any request


class MockServer:
    """Subclasses implement handle(method, path, query, headers, body) -> (status, headers,
    body_bytes_or_json)."""

    def __init__(self):
        self.requests = []  # (method, path with query, headers dict) in arrival order
        self.faults = []
        self.lock = threading.Lock()
        self.httpd = None
        self.thread = None

    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def queue_fault(self, fault):
        with self.lock:
            self.faults.append(fault)

    def start(self, port=0):
        mock = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
                headers = {k.lower(): v for k, v in self.headers.items()}
                with mock.lock:
                    mock.requests.append((method, self.path, headers))
                    fault = next((f for f in mock.faults
                                  if f.match is None or f.match(method, parts.path)), None)
                    if fault is not None:
                        mock.faults.remove(fault)
                if fault is not None:
                    status, out_headers, out = fault.status, fault.headers, fault.body
                else:
                    with mock.lock:
                        status, out_headers, out = mock.handle(method, parts.path, query,
                                                               headers, body)
                data = out if isinstance(out, bytes) else json.dumps(out).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in out_headers.items():
                    self.send_header(k, str(v))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def do_PATCH(self):
                self._serve("PATCH")

            def do_PUT(self):
                self._serve("PUT")

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()

    def count(self, method, path_prefix):
        with self.lock:
            return sum(1 for m, p, _ in self.requests if m == method and p.startswith(path_prefix))


def parse_json(body):
    try:
        return json.loads(body.decode("utf-8")), None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return None, str(e)
