#!/usr/bin/env bash
# Runs the WebRTC end-to-end tests (e2e-tests) offline, inside a fresh network namespace in which
# loopback is the only interface, so no ICE packet can leave the machine. Outside such a namespace
# the tests skip themselves.
#
# Needs: the Debian packages chromium and chromium-driver, unshare (util-linux) and ip (iproute2),
# and a local Maven repository that already holds every dependency: run a normal build first
# (./test.sh or mvn verify). Extra arguments go to Maven, e.g. -Dtest=BrowserToAgentChatTest.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in "${CHROMIUM_BIN:-chromium}" "${CHROMEDRIVER_BIN:-chromedriver}" unshare ip mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "e2e: '$tool' not found (apt-get install chromium chromium-driver iproute2 util-linux maven)" >&2
    exit 1
  fi
done

# Root may create a network namespace directly; anyone else needs a user namespace as well.
userns=()
if [ "$(id -u)" -ne 0 ]; then
  userns=(--map-root-user)
fi

# -am builds the modules e2e-tests uses from this checkout; the test filter runs only the e2e tests
# (the other modules' tests ran in the normal build).
exec unshare "${userns[@]}" --net sh -c 'ip link set lo up && exec mvn -o -B verify -pl e2e-tests -am \
  -Dtest="dev.mvp.signaling.e2e.**" -Dsurefire.failIfNoSpecifiedTests=false "$@"' e2e "$@"
