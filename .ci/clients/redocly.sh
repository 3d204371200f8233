#!/usr/bin/env bash
# Lints openapi/openapi.json with Redocly CLI (npm `@redocly/cli`) and its
# recommended rules: any error fails; warnings are printed.
#
# Run by .ci/clients.sh; needs only node and npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

VERSION="${HOTLINE_REDOCLY_VERSION:-2.77.0}"
PREFIX="${TMPDIR:-/tmp}/hotline-clients-redocly"
BIN="$PREFIX/node_modules/.bin/redocly"
if [[ ! -x "$BIN" ]] || [[ "$("$BIN" --version 2>/dev/null | tail -1)" != "$VERSION" ]]; then
    mkdir -p "$PREFIX"
    npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "@redocly/cli@$VERSION" >&2
fi
echo "redocly $("$BIN" --version 2>/dev/null | tail -1)"

# Redocly exits non-zero on errors only; warnings stay in the output.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
    "$BIN" lint openapi/openapi.json --extends recommended --format stylish
echo "ok: redocly lint (recommended) reports no error"
