#!/usr/bin/env bash
# Runs the WebRTC end-to-end tests (e2e-tests) offline, inside a fresh network namespace from which no
# packet can leave the machine: loopback, plus a veth pair whose BOTH ends stay in the namespace, one
# end holding 198.51.100.1/24 (TEST-NET-2, RFC 5737) with a default route via the unused
# 198.51.100.254. webrtc-java ignores loopback, so the agent-to-agent test needs that link to gather a
# candidate; nothing links the namespace to the host's. Outside such a namespace the tests skip
# themselves, saying why.
#
# Needs: the Debian packages chromium, chromium-driver, tmux, iproute2 (ip) and util-linux (unshare),
# and a local Maven repository that already holds every dependency: run a normal build first
# (./test.sh or mvn verify). Extra arguments go to Maven, e.g. -Dtest=BrowserToAgentChatTest.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in "${CHROMIUM_BIN:-chromium}" "${CHROMEDRIVER_BIN:-chromedriver}" tmux unshare ip mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "e2e: '$tool' not found (apt-get install chromium chromium-driver tmux iproute2 util-linux maven)" >&2
    exit 1
  fi
done

# Root may create a network namespace directly; anyone else needs a user namespace as well.
userns=()
if [ "$(id -u)" -ne 0 ]; then
  userns=(--map-root-user)
fi

# Inside the namespace: both veth ends get no IPv6 link-local address (addrgenmode none), so the only
# addresses are 127.0.0.1/::1 and 198.51.100.1. -am builds the modules e2e-tests uses from this
# checkout; the test filter runs only the e2e tests (the other modules' tests ran in the normal build).
exec unshare "${userns[@]}" --net sh -euc '
  ip link set lo up
  ip link add e2e0 type veth peer name e2e1
  ip link set e2e0 addrgenmode none
  ip link set e2e1 addrgenmode none
  ip addr add 198.51.100.1/24 dev e2e0
  ip link set e2e0 up
  ip link set e2e1 up
  ip route add default via 198.51.100.254 dev e2e0
  exec mvn -o -B verify -pl e2e-tests -am \
    -Dtest="dev.mvp.signaling.e2e.**" -Dsurefire.failIfNoSpecifiedTests=false "$@"' e2e "$@"
