#!/usr/bin/env bash
# Replays call events as PBXs built for Zammad's generic CTI or sipgate.io
# send them (bodies written from Zammad's CTI request specs and generic-CTI
# documentation, and sipgate.io's push API reference and FAQ) against
# $HOTLINE_URL/api/v1/cti/$HOTLINE_INTEGRATION_KEY, then reads the calls back
# through GET /api/v1/calls and checks each was logged as expected.
#
# Environment: HOTLINE_URL, HOTLINE_ADMIN_KEY, HOTLINE_INTEGRATION_KEY (see
# .ci/clients.sh). Needs only python3 (standard library).
set -euo pipefail
for v in HOTLINE_URL HOTLINE_ADMIN_KEY HOTLINE_INTEGRATION_KEY; do
    if [[ -z "${!v:-}" ]]; then
        echo "[cti_replay.sh] $v is not set" >&2
        exit 2
    fi
done
exec python3 "$(dirname "${BASH_SOURCE[0]}")/cti_replay.py"
