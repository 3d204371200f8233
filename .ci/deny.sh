#!/usr/bin/env bash
# cargo deny with deny.toml: licences, banned and duplicate crates, and where
# crates come from. Installs cargo-deny (pinned) when it is missing; the
# advisories check needs the RustSec database from GitHub and is left to a
# machine that reaches it (see deny.toml).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VERSION=0.20.2
if ! cargo deny --version 2>/dev/null | grep -q " $VERSION"; then
    echo "installing cargo-deny $VERSION"
    cargo install --locked --version "$VERSION" cargo-deny
fi
cargo deny --version
cargo deny check licenses bans sources
