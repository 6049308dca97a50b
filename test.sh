#!/usr/bin/env bash
# Runs every test of the project: the whole Maven build with its unit and integration tests.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B verify "$@"
