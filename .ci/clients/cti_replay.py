"""Zammad / sipgate.io call events replayed against hotline's CTI endpoint.

Each sequence is sent as such a PBX sends it (form-encoded, multipart as
`curl --form` does, or JSON; `callId` or Zammad's spec spelling `call_id`),
then the calls are read back and checked. Standard library only.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

URL = os.environ["HOTLINE_URL"].rstrip("/")
ADMIN = os.environ["HOTLINE_ADMIN_KEY"]
KEY = os.environ["HOTLINE_INTEGRATION_KEY"]
CTI = f"{URL}/api/v1/cti/{urllib.parse.quote(KEY, safe='')}"
# Call ids unique to this run, so a rerun on the same database checks afresh.
RUN = str(int(time.time() * 1000))
failures = []


def log(msg):
    print(f"[cti_replay] {msg}", flush=True)


def check(what, ok, detail=""):
    log(("ok   " if ok else "FAIL ") + what + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(what)


def send(req):
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        body = e.read()
        try:
            return e.code, json.loads(body)
        except ValueError:
            return e.code, body.decode("utf-8", "replace")


def post_form(fields):
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(CTI, data=data, method="POST")
    req.add_header("Content-Type", "application/x-www-form-urlencoded")
    return send(req)


def post_json(body):
    req = urllib.request.Request(CTI, data=json.dumps(body).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    return send(req)


def post_multipart(fields):
    boundary = "------------------------" + RUN
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    parts.append(f"--{boundary}--\r\n")
    req = urllib.request.Request(CTI, data="".join(parts).encode(), method="POST")
    req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    return send(req)


def api(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{URL}{path}", data=data, method=method)
    req.add_header("Authorization", f"Bearer {ADMIN}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    return send(req)


def cid(name):
    return f"{RUN}-{name}"


def replay(label, events, post=post_form, expect=None):
    """Sends `events` in order; each must be accepted (and the first may
    have to answer `expect`)."""
    for i, fields in enumerate(events):
        status, body = post(fields)
        if status != 200:
            check(f"{label}: event {i + 1} accepted", False, f"{status} {body}")
            return
        if i == 0 and expect is not None:
            check(f"{label}: answered {expect}", body == expect, body)
    log(f"sent   {label} ({len(events)} events)")


# 1. Zammad's request spec, inbound I: call_id, form-encoded, then the
#    spec's late answer as JSON.
z = cid("zammad-in")
spec = [("direction", "in"), ("to", "4930600000000"), ("from", "4912347114711"), ("call_id", z)]
replay("Zammad spec inbound (call_id, form)", [
    [("event", "newCall"), *spec, ("user", "user 1")],
    [("event", "answer"), *spec],
    [("event", "hangup"), *spec, ("cause", "normalClearing")],
])
replay("Zammad spec late answer (JSON)", [dict([("event", "answer"), *spec])], post=post_json)

# 2. Zammad's generic-CTI documentation, outbound, JSON with callId.
zo = cid("zammad-out")
doc = {"from": "493023125741", "to": "492214710334", "direction": "out", "callId": zo}
replay("Zammad docs outbound (callId, JSON)", [
    {"event": "newCall", **doc, "user": ["Christopher Miller"]},
    {"event": "answer", **doc, "user": "Christopher Miller"},
    {"event": "hangup", **doc, "cause": "normalClearing"},
], post=post_json)

# 3. As `curl --form` sends it: multipart, unanswered.
mp = cid("multipart")
form = [("from", "493055571600"), ("to", "19001006"), ("direction", "in"), ("callId", mp)]
replay("multipart/form-data (curl --form)", [
    [("event", "newCall"), *form, ("user[]", "Alice"), ("queue", "helpdesk")],
    [("event", "hangup"), *form, ("cause", "noAnswer")],
], post=post_multipart)

# 4. sipgate.io FAQ: Jennifer calls Doc, Doc transfers her to Marty; the
#    new leg has a new callId and `diversion` = Doc's number.
jennifer, doc_no, marty_no = "492111234567", "4915791234567", "4915791234999"
t1, t2 = cid("sg-doc"), cid("sg-marty")
replay("sipgate transfer with diversion", [
    [("event", "newCall"), ("from", jennifer), ("to", doc_no), ("direction", "in"), ("callId", t1),
     ("user[]", "Doc"), ("userId[]", "w0"), ("fullUserId[]", "1234567w0")],
    [("event", "answer"), ("from", jennifer), ("to", doc_no), ("direction", "in"), ("callId", t1), ("user", "Doc")],
    # sipgate's dtmf event: the digits keyed in a menu; answered {}, changes nothing.
    [("event", "dtmf"), ("from", jennifer), ("to", doc_no), ("direction", "in"), ("callId", t1), ("dtmf", "1"),
     ("originalCallId", t1)],
    [("event", "newCall"), ("from", jennifer), ("to", marty_no), ("direction", "in"), ("callId", t2),
     ("user[]", "Marty"), ("diversion", doc_no)],
    [("event", "answer"), ("from", jennifer), ("to", marty_no), ("direction", "in"), ("callId", t2),
     ("user", "Marty"), ("diversion", doc_no)],
    [("event", "hangup"), ("callId", t1), ("cause", "normalClearing")],
    [("event", "hangup"), ("callId", t2), ("cause", "normalClearing")],
])

# 5. A blocked caller, Zammad spec's number (blocked with +, sent without).
status, body = api("POST", "/api/v1/blocked-numbers", {"number": "+491715000000", "reason": "some note"})
check("block +491715000000 through the API", status in (201, 409), f"{status} {body}")
b = cid("blocked")
replay("blocked caller rejected", [
    [("event", "newCall"), ("direction", "in"), ("from", "491715000000"), ("to", "4930600000000"),
     ("call_id", b), ("user[]", "user 1"), ("user[]", "user 2")],
    [("event", "hangup"), ("direction", "in"), ("call_id", b), ("cause", "busy")],
], expect={"action": "reject", "reason": "busy"})

# 6. Zammad spec inbound II: the voicemail box answers.
vm = cid("voicemail")
vspec = [("direction", "in"), ("to", "4930600000000"), ("from", "4912347114711"), ("call_id", vm)]
replay("voicemail answer", [
    [("event", "newCall"), *vspec, ("user[]", "user 1"), ("user[]", "user 2")],
    [("event", "answer"), *vspec, ("user", "voicemail")],
    [("event", "hangup"), *vspec, ("cause", "normalClearing")],
])

# 7. A hang-up cause hotline does not list.
u = cid("unknown-cause")
replay("unknown hangup cause", [
    [("event", "newCall"), ("from", jennifer), ("to", doc_no), ("direction", "in"), ("callId", u)],
    [("event", "hangup"), ("callId", u), ("cause", "callRejectedByGateway")],
])

# Read the calls back.
status, page = api("GET", "/api/v1/calls?limit=200")
check("GET /api/v1/calls", status == 200, f"{status} {page}")
calls = {c.get("external_id"): c for c in (page.get("items", []) if isinstance(page, dict) else [])}


def logged(call_id, label, **want):
    c = calls.get(call_id)
    if c is None:
        check(f"{label}: logged", False, "not in GET /api/v1/calls")
        return None
    check(f"{label}: ended", c.get("ended_at") is not None, c)
    for k, v in want.items():
        check(f"{label}: {k} = {v!r}", c.get(k) == v, f"got {c.get(k)!r}")
    return c


logged(z, "Zammad spec inbound", outcome="answered", agent="user 1", queue="4930600000000",
       hangup_cause="normalClearing", blocked=False)
logged(zo, "Zammad docs outbound", outcome="answered", direction="outbound")
logged(mp, "multipart", outcome="missed", queue="helpdesk", agent="Alice")
leg1 = logged(t1, "sipgate first leg", agent="Doc", outcome="answered")
leg2 = logged(t2, "sipgate diverted leg", agent="Marty", outcome="answered")
if leg1 and leg2:
    check("sipgate legs share one contact", leg1["contact_id"] == leg2["contact_id"],
          f"{leg1['contact_id']} vs {leg2['contact_id']}")
logged(b, "blocked caller", blocked=True, outcome="busy", caller_number="+491715000000")
logged(vm, "voicemail", outcome="voicemail", answered_at=None, agent="user 1, user 2")
logged(u, "unknown cause", hangup_cause="callRejectedByGateway", outcome="missed")

if failures:
    log(f"{len(failures)} check(s) failed")
    sys.exit(1)
log("all checks passed")
