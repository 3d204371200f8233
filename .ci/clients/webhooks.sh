#!/usr/bin/env bash
# Webhook deliveries verified by the official Standard Webhooks library
# (PyPI `standardwebhooks`), including across secret rotations: during the
# overlap a receiver with the old secret and one with the new both verify;
# a rotation without overlap stops the old secret at once.
#
# Run by .ci/clients.sh (HOTLINE_URL, HOTLINE_ADMIN_KEY, HOTLINE_CLIENTS_WORK).
set -euo pipefail

: "${HOTLINE_URL:?}" "${HOTLINE_ADMIN_KEY:?}" "${HOTLINE_CLIENTS_WORK:?}"
VENV="${TMPDIR:-/tmp}/hotline-clients-webhooks"
if ! "$VENV/bin/python" -c 'import standardwebhooks' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check 'standardwebhooks>=1.1,<2' >&2
fi
"$VENV/bin/pip" show standardwebhooks 2>/dev/null | grep -E '^(Name|Version)' >&2

exec "$VENV/bin/python" - <<'PY'
import base64
import http.server
import json
import os
import socket
import sys
import threading
import time
import urllib.request

from standardwebhooks import Webhook, WebhookVerificationError

URL = os.environ["HOTLINE_URL"]
KEY = os.environ["HOTLINE_ADMIN_KEY"]
received = []
lock = threading.Condition()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        with lock:
            received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            lock.notify_all()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
sock.close()
server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()


def api(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(URL + path, data=data, method=method)
    req.add_header("authorization", f"Bearer {KEY}")
    if data is not None:
        req.add_header("content-type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as res:
        text = res.read()
        return json.loads(text) if text else None


checks = 0


def check(ok, what):
    global checks
    if not ok:
        print(f"FAIL: {what}", file=sys.stderr)
        sys.exit(1)
    checks += 1
    print(f"ok: {what}")


def verifies(secret, delivery):
    headers, body = delivery
    try:
        Webhook(secret).verify(body, headers)
        return True
    except WebhookVerificationError:
        return False


def deliver_one():
    """Logs a call and waits for its delivery."""
    with lock:
        before = len(received)
    api("POST", "/api/v1/calls", {
        "direction": "inbound",
        "caller_number": "0912 345 678",
        "started_at": "2026-11-20T08:00:00+07:00",
        "answered_at": "2026-11-20T08:00:25+07:00",
        "ended_at": "2026-11-20T08:04:05+07:00",
        "agent": "lan",
        "category": "outage",
    })
    deadline = time.monotonic() + 60
    with lock:
        while len(received) == before:
            left = deadline - time.monotonic()
            if left <= 0:
                print("FAIL: no delivery within 60 s", file=sys.stderr)
                sys.exit(1)
            lock.wait(left)
        return received[before]


sub = api("POST", "/api/v1/webhooks", {
    "url": f"http://127.0.0.1:{port}/hooks/hotline",
    "events": ["call.created"],
    "description": "standardwebhooks client check",
})
first = sub["secret"]
try:
    d = deliver_one()
    payload = Webhook(first).verify(d[1], d[0])
    check(payload["type"] == "call.created", "a delivery verifies with the subscription's secret")
    other = "whsec_" + base64.b64encode(os.urandom(32)).decode()
    check(not verifies(other, d), "another secret does not verify it")

    rotated = api("POST", f"/api/v1/webhooks/{sub['id']}/rotate-secret")
    second = rotated["secret"]
    check(rotated["previous_secret_expires_at"] is not None, "a rotation keeps the old secret for an overlap")
    d = deliver_one()
    check(len(d[0]["webhook-signature"].split(" ")) == 2, "during the overlap two signatures are sent")
    check(verifies(second, d), "during the overlap the new secret verifies")
    check(verifies(first, d), "during the overlap the old secret still verifies")

    third = api("POST", f"/api/v1/webhooks/{sub['id']}/rotate-secret?overlap_hours=0")["secret"]
    d = deliver_one()
    check(verifies(third, d), "after a rotation without overlap the new secret verifies")
    check(not verifies(second, d), "after a rotation without overlap the old secret no longer verifies")
    check(not verifies(first, d), "a secret replaced two rotations ago no longer verifies")
finally:
    api("DELETE", f"/api/v1/webhooks/{sub['id']}")
    server.shutdown()
print(f"webhooks: {checks} checks passed")
PY
