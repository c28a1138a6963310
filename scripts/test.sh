#!/usr/bin/env bash
# The project's single test command (`npm test`): provisions what is missing, runs the static
# checks and unit tests, starts the real test environment (Calico's etcd + kube-apiservers in v1
# and v3 CRD mode + a throttled one; see scripts/testenv.ts), runs the integration tests against
# it, and always stops the environment again. Any failure fails the run; nothing is skipped.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

section_start=0
section() {
  local now
  now=$(date +%s)
  [ "$section_start" -ne 0 ] && echo "---- done in $((now - section_start)) s"
  section_start=$now
  printf '\n==== %s ====\n' "$*"
}

section "provision (scripts/provision.sh)"
bash scripts/provision.sh

section "lint (eslint)"
npm run -s lint

section "typecheck (tsc)"
npm run -s typecheck

section "format check (prettier)"
npm run -s format:check

section "unit tests"
npm run -s test:unit

stop_testenv() {
  local rc=$?
  section "test environment: down"
  npm run -s testenv -- down || rc=1
  exit "$rc"
}
trap stop_testenv EXIT

section "test environment: up --crd-mode both --throttled"
npm run -s testenv -- up --crd-mode both --throttled

section "integration tests"
npm run -s test:integration
