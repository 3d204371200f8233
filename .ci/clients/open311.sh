#!/usr/bin/env bash
# Open311 GeoReport v2 through a real client library from PyPI, as a city
# app would use it: discovery and services, a request filed with an
# integration key, read back by token and by id and listed with a comma
# list of service codes without any key, in JSON and XML.
#
# The library is `georeport` (0.3.1): it reads services and requests in
# JSON and XML and sends no key when reading. It has no call to file a
# request, look up a token or read the discovery document, so those go
# through `requests` (the HTTP library georeport itself uses) exactly as
# the spec writes them (form-encoded POST with api_key). The two other
# Open311 clients on PyPI do not run on Python 3: `open311` 1.1 imports
# its own modules Python 2 style (`from api import API`) and posts a str
# body to urlopen; `three` 0.8.0 imports `itertools.ifilter`.
#
# Environment (from .ci/clients.sh): HOTLINE_URL, HOTLINE_INTEGRATION_KEY,
# HOTLINE_CLIENTS_WORK. Exits non-zero on the first failed check.
set -euo pipefail

: "${HOTLINE_URL:?HOTLINE_URL is required}"
: "${HOTLINE_INTEGRATION_KEY:?HOTLINE_INTEGRATION_KEY is required}"

venv="${TMPDIR:-/tmp}/hotline-clients-open311"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check 'georeport==0.3.1'

"$venv/bin/python" - <<'PY'
import os
import sys
import uuid

import requests
from georeport import GeoReport

base = os.environ["HOTLINE_URL"].rstrip("/")
root = base + "/open311/v2"
key = os.environ["HOTLINE_INTEGRATION_KEY"]


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if detail and not ok else ""))
    if not ok:
        sys.exit(1)


# Discovery points at the endpoint, in both formats.
d = requests.get(base + "/open311/discovery.json", timeout=30)
check("discovery.json answers 200", d.status_code == 200, d.text)
ends = d.json()["endpoints"]
check(
    "discovery names GeoReport v2 at /open311/v2",
    any(e["specification"] == "http://wiki.open311.org/GeoReport_v2" and e["url"].endswith("/open311/v2") for e in ends),
    str(ends),
)
x = requests.get(base + "/open311/discovery.xml", timeout=30)
check("discovery.xml answers XML", x.status_code == 200 and "<discovery>" in x.text, x.text)

as_json = GeoReport(root)  # no api_key: reads are public
as_xml = GeoReport(root, output_format="xml")

services = as_json.get_service_list()
codes = {s["service_code"] for s in services}
check("services.json lists outage and metering", {"outage", "metering"} <= codes, str(codes))
xml_services = as_xml.get_service_list()
check("services.xml lists the same services", {s["service_code"] for s in xml_services} == codes)
definition = as_json.get_service_definition("outage")
check(
    "services/outage.json has the customer_code attribute",
    any(a["code"] == "customer_code" for a in definition["attributes"]),
    str(definition),
)

# Filing needs the key; the body is form-encoded as the spec has it.
run = uuid.uuid4().hex[:8]
filed = {}
for code in ("outage", "metering", "billing"):
    r = requests.post(
        root + "/requests.json",
        data={
            "api_key": key,
            "service_code": code,
            "address_string": f"Ấp 3, xã Tân Thành, Cà Mau ({run})",
            "description": f"client check {run}: {code}",
            "first_name": "Bé",
            "phone": "0912 345 678",
        },
        headers={"Idempotency-Key": f"open311-check-{run}-{code}"},
        timeout=30,
    )
    check(f"POST requests.json ({code}) answers 201", r.status_code == 201, r.text)
    filed[code] = r.json()[0]

outage = filed["outage"]
# A retry with the same Idempotency-Key files nothing new.
retry = requests.post(
    root + "/requests.json",
    data={
        "api_key": key,
        "service_code": "outage",
        "address_string": f"Ấp 3, xã Tân Thành, Cà Mau ({run})",
        "description": f"client check {run}: outage",
        "first_name": "Bé",
        "phone": "0912 345 678",
    },
    headers={"Idempotency-Key": f"open311-check-{run}-outage"},
    timeout=30,
)
check(
    "a retried POST answers the first request",
    retry.status_code == 201 and retry.json()[0]["service_request_id"] == outage["service_request_id"]
    and retry.headers.get("Idempotent-Replayed") == "true",
    retry.text,
)
nokey = requests.post(root + "/requests.json", data={"service_code": "outage", "address_id": "CM01"}, timeout=30)
check(
    "POST without a key is a 401 in Open311's error list",
    nokey.status_code == 401 and nokey.json()[0]["code"] == 401,
    nokey.text,
)

sid = outage["service_request_id"]
token = outage["token"]
t = requests.get(f"{root}/tokens/{token}.json", timeout=30)
check("tokens/{token}.json gives the id, without a key", t.status_code == 200 and t.json()[0]["service_request_id"] == sid, t.text)
tx = requests.get(f"{root}/tokens/{token}.xml", timeout=30)
check("tokens/{token}.xml gives the id", f"<service_request_id>{sid}</service_request_id>" in tx.text, tx.text)

one = as_json.get_service_request(sid)
check("requests/{id}.json reads it back without a key", one["service_request_id"] == sid and one["service_code"] == "outage", str(one))
check("the reader sees no reporter's name or number", "0912" not in str(one) and "Bé" not in str(one), str(one))
one_xml = as_xml.get_service_request(sid)
check("requests/{id}.xml reads it back", one_xml["service_request_id"] == sid, str(one_xml))

listed = as_json.get_service_requests(service_code="outage,metering")
ids = {r["service_request_id"] for r in listed}
check(
    "requests.json?service_code=outage,metering lists both and not billing",
    {filed["outage"]["service_request_id"], filed["metering"]["service_request_id"]} <= ids
    and filed["billing"]["service_request_id"] not in ids,
    str(ids),
)
listed_xml = as_xml.get_service_requests(service_code="outage,metering")
if isinstance(listed_xml, dict):  # xmltodict gives one request as a dict
    listed_xml = [listed_xml]
check(
    "requests.xml?service_code=outage,metering lists them too",
    {r["service_request_id"] for r in listed_xml} == ids,
    str(listed_xml),
)
by_ids = as_json.get_service_requests(service_request_id=f"{sid},{filed['billing']['service_request_id']}")
check("requests.json?service_request_id=a,b lists both", len(by_ids) == 2, str(by_ids))

bad = requests.get(root + "/requests.json", params={"service_code": "outage,nope"}, timeout=30)
check(
    "an unknown service code is a 400 Open311 error",
    bad.status_code == 400 and bad.json()[0]["description"].startswith("service_code:"),
    bad.text,
)
missing = requests.get(root + "/requests/XX-26-999999.xml", timeout=30)
check(
    "an unknown request in XML is a 404 <errors> list",
    missing.status_code == 404 and "<errors><error><code>404</code>" in missing.text,
    missing.text,
)
print("open311: all checks passed")
PY
