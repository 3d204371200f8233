#!/usr/bin/env bash
# Span export read by the OTLP protocol's own message definitions (PyPI
# `opentelemetry-proto`): every body a collector receives from hotline must
# parse, with no unknown field, as an ExportTraceServiceRequest. Trace and
# span ids are hex, as OTLP/JSON defines them (not protobuf's base64). A
# call logged under a caller's traceparent gives a server span of that
# trace, and its webhook delivery a client span under it and a
# `traceparent` of the same trace.
#
# Run by .ci/clients.sh (HOTLINE_CLIENTS_WORK); it starts a server of its
# own, since export is configured at start-up.
set -euo pipefail

: "${HOTLINE_CLIENTS_WORK:?}"
VENV="${TMPDIR:-/tmp}/hotline-clients-otlp"
if ! "$VENV/bin/python" -c 'import opentelemetry.proto' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check 'opentelemetry-proto>=1.20,<2' >&2
fi
"$VENV/bin/pip" show opentelemetry-proto 2>/dev/null | grep -E '^(Name|Version)' >&2

export HOTLINE_BIN="$PWD/target/debug/hotline"
exec "$VENV/bin/python" - <<'PY'
import base64
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

WORK = os.environ["HOTLINE_CLIENTS_WORK"]
CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"
exports, hooks = [], []
lock = threading.Condition()


class Collector(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        with lock:
            if self.path == "/v1/traces":
                exports.append((self.headers.get("content-type"), body))
            else:
                hooks.append(({k.lower(): v for k, v in self.headers.items()}, body))
            lock.notify_all()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


collector = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Collector)
threading.Thread(target=collector.serve_forever, daemon=True).start()
COLLECTOR = f"http://127.0.0.1:{collector.server_address[1]}"
port = free_port()
URL = f"http://127.0.0.1:{port}"
env = dict(os.environ,
           HOTLINE_DATABASE_URL=f"sqlite:{WORK}/otlp.db", HOTLINE_LISTEN=f"127.0.0.1:{port}",
           HOTLINE_ADMIN_PASSWORD="otlp client admin password", HOTLINE_LOG="warn",
           HOTLINE_WEBHOOKS_ALLOW_HTTP="true", OTEL_EXPORTER_OTLP_ENDPOINT=COLLECTOR,
           OTEL_SERVICE_NAME="hotline-ci")
server = subprocess.Popen([os.environ["HOTLINE_BIN"]], env=env, stdout=subprocess.DEVNULL,
                          stderr=open(f"{WORK}/otlp-server.log", "w"))


def fail(msg):
    print(f"otlp: FAIL: {msg}", file=sys.stderr)
    server.terminate()
    sys.exit(1)


def call(method, path, body=None, token=None, headers=None):
    req = urllib.request.Request(URL + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


for _ in range(150):
    try:
        if call("GET", "/readyz")[0] == 200:
            break
    except OSError:
        pass
    time.sleep(0.2)
else:
    fail("the server did not start")

status, _, body = call("POST", "/api/v1/auth/token", {"username": "admin", "password": "otlp client admin password"})
token = json.loads(body)["access_token"]
status, _, body = call("POST", "/api/v1/webhooks", {"url": COLLECTOR + "/hook", "events": ["call.created"]}, token)
if status != 201:
    fail(f"webhook subscription: {status} {body!r}")
caller = f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"
status, headers, body = call("POST", "/api/v1/calls", {
    "direction": "inbound", "caller_number": "0912 345 678", "callee_number": "1900 1006",
    "started_at": "2026-11-20T08:00:00+07:00", "answered_at": "2026-11-20T08:00:25+07:00",
    "ended_at": "2026-11-20T08:04:05+07:00", "agent": "lan", "caller_name": "Nguyễn Văn Á",
}, token, {"traceparent": caller})
if status != 201:
    fail(f"call: {status} {body!r}")
served = {k.lower(): v for k, v in headers.items()}["traceparent"].split("-")[2]


def spans():
    out = []
    for ctype, raw in exports:
        if ctype != "application/json":
            fail(f"content-type {ctype}")
        doc = json.loads(raw)
        # OTLP/JSON writes ids as hex where protobuf's JSON mapping has
        # base64: check the hex, then hand protobuf its own form.
        for rs in doc["resourceSpans"]:
            for ss in rs["scopeSpans"]:
                for s in ss["spans"]:
                    for key, width in (("traceId", 32), ("spanId", 16), ("parentSpanId", 16)):
                        if key in s:
                            if not re.fullmatch(f"[0-9a-f]{{{width}}}", s[key]):
                                fail(f"{key} {s[key]!r} is not {width} hex digits")
                            s[key] = base64.b64encode(bytes.fromhex(s[key])).decode()
        msg = json_format.Parse(json.dumps(doc), ExportTraceServiceRequest(), ignore_unknown_fields=False)
        for rs in msg.resource_spans:
            names = {a.key: a.value.string_value for a in rs.resource.attributes}
            if names.get("service.name") != "hotline-ci":
                fail(f"service.name {names}")
            for ss in rs.scope_spans:
                out.extend(ss.spans)
    return out


deadline = time.time() + 20
server_span = client_span = None
while time.time() < deadline and not (server_span and client_span and hooks):
    with lock:
        lock.wait(0.5)
    for s in spans():
        if s.trace_id.hex() != CALLER_TRACE:
            continue
        if s.kind == s.SPAN_KIND_SERVER and s.span_id.hex() == served:
            server_span = s
        if s.kind == s.SPAN_KIND_CLIENT:
            client_span = s
server.terminate()
server.wait(timeout=10)
if not server_span:
    fail(f"no server span of the caller's trace among {len(spans())}")
if server_span.parent_span_id.hex() != CALLER_SPAN or server_span.name != "POST /api/v1/calls":
    fail(f"server span: {server_span}")
if not client_span or client_span.parent_span_id.hex() != served:
    fail(f"client span of the webhook: {client_span}")
hook_trace = hooks[0][0].get("traceparent", "").split("-")
if len(hook_trace) != 4 or hook_trace[1] != CALLER_TRACE:
    fail(f"webhook traceparent {hooks[0][0].get('traceparent')!r}")
for s in spans():
    if "0912345678" in str(s) or "Nguy" in str(s):
        fail("personal data in a span")
print(f"otlp: {len(exports)} exports, {len(spans())} spans parsed as ExportTraceServiceRequest; "
      f"server and webhook client spans continue the caller's trace", file=sys.stderr)
PY
