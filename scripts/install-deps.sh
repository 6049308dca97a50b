#!/usr/bin/env bash
# Installs what the project's tests need on a Debian machine, and only what is missing. This script owns
# the package list; ./test.sh runs it first.
#
#   tool            Debian package            needed by
#   javac (>= 17)   openjdk-17-jdk-headless   the build
#   mvn             maven                     the build
#   chromium        chromium                  the WebRTC end-to-end tests (scripts/e2e.sh)
#   chromedriver    chromium-driver           the WebRTC end-to-end tests
#   unshare         util-linux                the end-to-end tests' private network namespace
#   ip              iproute2                  the end-to-end tests' private network namespace
#   curl            curl                      scripts that probe the running server
#   redis-server    redis-server              the cluster tests
#   turnserver      coturn                    the TURN tests
#   tmux            tmux                      the agent end-to-end tests (one terminal per agent)
#
# Run as root, it installs the missing packages with apt-get. Run as anyone else, it prints the exact
# command that installs them and exits with status 1, so nothing is built on a machine that cannot run the
# tests. With nothing missing it prints nothing and exits 0.
#
# Options:
#   --check     report what is missing and exit 1 if anything is, never install (any user)
#   --dry-run   print the apt-get commands root would run instead of running them
set -euo pipefail

mode=install
for arg in "$@"; do
  case "$arg" in
    --check) mode=check ;;
    --dry-run) mode=dry-run ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "install-deps: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

# ip lives in /sbin on some systems, which a user's PATH may lack.
PATH="$PATH:/usr/sbin:/sbin"

# The Java compiler must be 17 or newer: an older javac counts as missing.
java_ok() {
  command -v javac >/dev/null 2>&1 || return 1
  local version major
  version=$(javac -version 2>&1 | awk '{print $2}')
  major=${version%%.*}
  [ "$major" = 1 ] && major=$(echo "$version" | cut -d. -f2)
  [ "${major:-0}" -ge 17 ] 2>/dev/null
}

missing=()
java_ok || missing+=(openjdk-17-jdk-headless)
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need mvn maven
need chromium chromium
need chromedriver chromium-driver
need unshare util-linux
need ip iproute2
need curl curl
need redis-server redis-server
need turnserver coturn
need tmux tmux
# The WebRTC stack of the examples' agent (webrtc-java's native library) links PulseAudio's client library.
ldconfig -p 2>/dev/null | grep -q 'libpulse\.so\.0' || missing+=(libpulse0)

[ ${#missing[@]} -eq 0 ] && exit 0

install_cmd="apt-get install -y --no-install-recommends ${missing[*]}"

if [ "$mode" = check ]; then
  echo "install-deps: missing: ${missing[*]}" >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  cat >&2 <<EOF
install-deps: the tests need packages that are not installed: ${missing[*]}
Install them (as root), then run this again:

  sudo apt-get update && sudo $install_cmd

EOF
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: missing ${missing[*]}, and there is no apt-get to install them: install them by hand" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
if [ "$mode" = dry-run ]; then
  echo "apt-get update"
  echo "$install_cmd"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086 # the package names are words
apt-get install -y -q --no-install-recommends ${missing[*]}

# What the packages were meant to provide must be there now.
still=()
java_ok || still+=(javac)
for tool in mvn chromium chromedriver unshare ip curl redis-server turnserver tmux; do
  command -v "$tool" >/dev/null 2>&1 || still+=("$tool")
done
if [ ${#still[@]} -gt 0 ]; then
  echo "install-deps: still not found after installing: ${still[*]}" >&2
  exit 1
fi
