#!/usr/bin/env bash
# Runs every test of the project: the Maven build with all unit and integration tests, then the
# WebRTC end-to-end tests (real Chromium and a real WebRTC agent through the server) inside a
# network namespace where loopback is the only interface. Needs chromium, chromium-driver,
# unshare and ip; .ci/run installs them on a fresh Debian machine.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B verify "$@"
scripts/e2e.sh
