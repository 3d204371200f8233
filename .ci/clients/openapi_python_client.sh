#!/usr/bin/env bash
# A Python client generated from openapi/openapi.json by openapi-python-client
# (PyPI): the generator must print no warning (a skipped operation or an
# unsupported body is one); every generated module must import; then the
# generated client logs a call, lists calls and corrects the call.
#
# Run by .ci/clients.sh (HOTLINE_URL, HOTLINE_INTEGRATION_KEY, HOTLINE_CLIENTS_WORK).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

: "${HOTLINE_URL:?}" "${HOTLINE_INTEGRATION_KEY:?}" "${HOTLINE_CLIENTS_WORK:?}"
VENV="${TMPDIR:-/tmp}/hotline-clients-openapi_python_client"
if [[ ! -x "$VENV/bin/openapi-python-client" ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check 'openapi-python-client>=0.29,<0.30' >&2
fi
"$VENV/bin/openapi-python-client" --version >&2

OUT="$HOTLINE_CLIENTS_WORK/generated"
rm -rf "$OUT"
# No formatter run after generating (ruff is not installed): not a warning
# about the document.
printf 'post_hooks: []\n' >"$HOTLINE_CLIENTS_WORK/config.yaml"
"$VENV/bin/openapi-python-client" generate --path openapi/openapi.json \
    --config "$HOTLINE_CLIENTS_WORK/config.yaml" --output-path "$OUT" \
    >"$HOTLINE_CLIENTS_WORK/generate.log" 2>&1 || {
    cat "$HOTLINE_CLIENTS_WORK/generate.log"
    echo "FAIL: the generator failed" >&2
    exit 1
}
cat "$HOTLINE_CLIENTS_WORK/generate.log"
if grep -qiE 'warning|will not be generated|unsupported|error' "$HOTLINE_CLIENTS_WORK/generate.log"; then
    echo "FAIL: the generator warned (see above)" >&2
    exit 1
fi
echo "ok: generated with no warning"

"$VENV/bin/pip" install -q --disable-pip-version-check "$OUT" >&2

exec "$VENV/bin/python" - <<'PY'
import importlib
import os
import pkgutil
import sys

import hotline_client
from hotline_client import AuthenticatedClient
from hotline_client.api.calls import create_call, list_calls, update_call
from hotline_client.models import CallView, NewCallBody, CallPatchBody

modules = 0
for m in pkgutil.walk_packages(hotline_client.__path__, "hotline_client."):
    importlib.import_module(m.name)
    modules += 1
print(f"ok: all {modules} generated modules import")
operations = [m.name for m in pkgutil.walk_packages(hotline_client.__path__, "hotline_client.")
              if m.name.startswith("hotline_client.api.") and not m.ispkg]
for needed in ("customers.import_customers", "organisation.import_units", "organisation.import_areas",
               "tag3cx.journal_call", "calls.create_call"):
    if f"hotline_client.api.{needed}" not in operations:
        print(f"FAIL: {needed} was not generated", file=sys.stderr)
        sys.exit(1)
print(f"ok: {len(operations)} operations generated, the CSV imports and the 3CX journal among them")

client = AuthenticatedClient(base_url=os.environ["HOTLINE_URL"], token=os.environ["HOTLINE_INTEGRATION_KEY"],
                             raise_on_unexpected_status=True)
with client as c:
    body = NewCallBody.from_dict({
        "direction": "inbound",
        "caller_number": "0912 345 678",
        "started_at": "2026-11-20T08:00:00+07:00",
        "answered_at": "2026-11-20T08:00:25+07:00",
        "ended_at": "2026-11-20T08:04:05+07:00",
        "agent": "lan",
        "category": "outage",
        "notes": "logged by the generated client",
    })
    res = create_call.sync_detailed(client=c, body=body, idempotency_key="openapi-python-client-1")
    assert res.status_code == 201, (res.status_code, res.content)
    call = res.parsed
    assert isinstance(call, CallView), res.content
    print(f"ok: logged call {call.id} (caller {call.caller_number})")

    again = create_call.sync_detailed(client=c, body=body, idempotency_key="openapi-python-client-1")
    assert again.status_code == 201 and isinstance(again.parsed, CallView) and again.parsed.id == call.id, again.content
    assert again.headers.get("idempotent-replayed") == "true"
    print("ok: a retry with the same key answers the same call (201, Idempotent-Replayed)")

    page = list_calls.sync(client=c, limit=50)
    assert any(item.id == call.id for item in page.items), "the new call is listed"
    print(f"ok: listed {len(page.items)} calls, the new one among them")

    patch = CallPatchBody.from_dict({"notes": "corrected by the generated client"})
    res = update_call.sync_detailed(id=call.id, client=c, body=patch, if_match=f'"{call.version}"')
    assert res.status_code == 200, (res.status_code, res.content)
    assert res.parsed.notes == "corrected by the generated client" and res.parsed.version == call.version + 1
    print(f"ok: patched the call to version {res.parsed.version}")

    # The key's record keeps where the call is: a retry now answers the call as patched.
    later = create_call.sync_detailed(client=c, body=body, idempotency_key="openapi-python-client-1")
    assert later.status_code == 201 and isinstance(later.parsed, CallView), later.content
    assert later.headers.get("idempotent-replayed") == "true"
    assert later.parsed.id == call.id and later.parsed.version == call.version + 1, later.content
    assert later.parsed.notes == "corrected by the generated client", later.content
    assert later.headers.get("etag") == f'"{call.version + 1}"', later.headers
    print("ok: a retry after the patch answers the call as it is now, with its ETag")
print("openapi-python-client: all checks passed")
PY
