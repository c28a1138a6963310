#!/usr/bin/env bash
# The README's main command (`npm run demo`): migrate a hybrid Kubernetes/OpenStack Calico
# deployment from etcd to the Kubernetes API datastore, end to end, on this machine.
#   1. provision what is missing (scripts/provision.sh) and start a private test environment
#      (Calico's etcd + a kube-apiserver with the Calico v1 CRDs) in a temporary directory, so a
#      test environment already running (`npm run testenv`) is never touched;
#   2. seed a realistic hybrid deployment into etcd as Calico v3.32.1 stores it, and the Kubernetes
#      cluster's own Nodes, Namespaces, ServiceAccounts and Pods into the apiserver
#      (scripts/seed-demo.ts, data from test/fixtures/hybrid);
#   3. show the plan (--plan-only), migrate, show the report, the locks and a verification;
#   4. tear everything down, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

started=$(date +%s)
bash scripts/provision.sh

CALICO_MIGRATE_TESTENV_DIR=$(mktemp -d "${TMPDIR:-/tmp}/calico-migrate-demo.XXXXXX")
export CALICO_MIGRATE_TESTENV_DIR
work="$CALICO_MIGRATE_TESTENV_DIR/work"
mkdir -p "$work"
teardown() {
  local rc=$?
  echo
  echo "==== tearing down the demo environment"
  (cd "$repo" && npm run -s testenv -- down) || rc=1
  rm -rf "$CALICO_MIGRATE_TESTENV_DIR"
  echo "demo finished in $(($(date +%s) - started)) s (exit $rc)"
  exit "$rc"
}
trap teardown EXIT

section() { printf '\n==== %s\n' "$*"; }
# Runs the CLI from the repository as `calico-migrate`, echoing the command an operator would type.
calico_migrate() {
  local shown=()
  for word in "$@"; do shown+=("${word//$work\//}"); done
  printf '\n$ calico-migrate %s\n' "${shown[*]}"
  node --import "file://$repo/node_modules/tsx/dist/loader.mjs" "$repo/src/cli/main.ts" "$@"
}

section "start a private test environment (etcd + kube-apiserver, Calico v1 CRDs)"
npm run -s testenv -- up --crd-mode v1
# ETCD_ENDPOINTS, ETCD_*_FILE and KUBECONFIG: calico-migrate reads them as calicoctl does.
# shellcheck disable=SC1091
source "$CALICO_MIGRATE_TESTENV_DIR/env-v1.sh"

section "seed a hybrid Calico deployment into etcd, and the Kubernetes cluster's own objects"
npx tsx scripts/seed-demo.ts --crd-mode v1

cd "$work"
section "before: both datastores"
calico_migrate status

section "the plan: what moves to KDD, under which node names, what stays in etcd (changes nothing)"
calico_migrate migrate --from etcd --to kdd --plan-only --plan-out plan.json

section "the migration: lock etcd, export (kept), transform, import into KDD, verify, lock KDD"
calico_migrate migrate --from etcd --to kdd --archive etcd-backup.tar.gz --report report.json

section "after: both datastores are locked, with a record of who locked them"
calico_migrate status

section "verification, run on its own: KDD holds every object of the migration archive"
calico_migrate verify etcd-backup-for-kdd.tar.gz --against kdd

section "what KDD holds now (exported and inspected)"
calico_migrate export --from kdd -o kdd-after.tar.gz
calico_migrate inspect kdd-after.tar.gz

section "files of the run (removed with the environment)"
ls -l "$work"
