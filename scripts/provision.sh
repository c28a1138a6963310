#!/usr/bin/env bash
# Installs what the test suite needs on a Debian machine, doing only what is missing:
#   1. Debian etcd-server/etcd-client (Calico's etcd in the test environment) and openssl (its
#      certificates), with apt-get, when /usr/bin/etcd or openssl is missing. ETCD_BIN set: that
#      etcd is used instead and etcd-server is not installed.
#   2. npm ci, when node_modules is missing or older than package-lock.json.
#   3. kube-apiserver and etcd 3.6 from the Go wrapper modules (scripts/build-test-binaries.sh,
#      which honours KUBE_APISERVER_BIN / KUBE_ETCD_BIN).
# Safe to run again: a provisioned machine takes a second or two.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

die() {
  echo "provision: error: $*" >&2
  exit 1
}

# as_root <command...>: runs the command as root, through sudo when not root already.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run '$*' and sudo is not installed; run it as root, or set ETCD_BIN"
  fi
}

# 1. Debian packages.
packages=()
if [ -n "${ETCD_BIN:-}" ]; then
  [ -x "$ETCD_BIN" ] || die "ETCD_BIN=$ETCD_BIN is not an executable file"
  echo "provision: Calico etcd: using ETCD_BIN=$ETCD_BIN"
elif [ -x /usr/bin/etcd ]; then
  echo "provision: Calico etcd: /usr/bin/etcd present ($(/usr/bin/etcd --version 2>/dev/null | head -n 1))"
else
  packages+=(etcd-server etcd-client)
fi
command -v openssl >/dev/null 2>&1 || packages+=(openssl)
if [ ${#packages[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 ||
    die "missing ${packages[*]} and apt-get is not available; install them, or set ETCD_BIN"
  echo "provision: installing ${packages[*]} with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
fi

# 2. npm dependencies. npm ci writes node_modules/.package-lock.json, so its age tells whether the
# install predates the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "provision: npm ci"
  npm ci
else
  echo "provision: node_modules up to date"
fi

# 3. Go-built binaries.
bash "$REPO_ROOT/scripts/build-test-binaries.sh"
echo "provision: done"
