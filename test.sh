#!/usr/bin/env bash
# Runs every test of the project: first scripts/install-deps.sh (as root it installs whatever the tests
# need and is missing; as anyone else it prints the apt-get command for it and stops here), then the Maven
# build with all unit and integration tests, then the WebRTC end-to-end tests (real Chromium and a real
# WebRTC agent through the server) inside a network namespace of their own.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
mvn -B verify "$@"
scripts/e2e.sh
