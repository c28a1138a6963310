#!/usr/bin/env bash
# Builds the test environment's Go binaries from the wrapper modules under tools/ (committed go.mod +
# go.sum, see docs in ../shared/reference/test-environment.md §1.2 and §2.7):
#   kube-apiserver  from tools/kube-apiserver (k8s.io/kubernetes/cmd/kube-apiserver)
#   etcd 3.6        from tools/etcd           (go.etcd.io/etcd/server/v3), the apiservers' own store
# into ${CALICO_MIGRATE_CACHE:-$HOME/.cache/calico-migrate}/bin/<name>-<version>. The versions are
# read from the wrapper go.mod files, so bumping a version there is all a bump needs.
#
# A binary that exists and answers --version is kept (no rebuild). A build writes <out>.tmp.<pid>,
# checks --version, then renames, so an interrupted build never leaves a half-written binary.
# KUBE_APISERVER_BIN / KUBE_ETCD_BIN: use that binary instead; nothing is built for it.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${CALICO_MIGRATE_CACHE:-$HOME/.cache/calico-migrate}
BIN_DIR=$CACHE_DIR/bin
export GOTOOLCHAIN=local # fail loudly instead of downloading another Go toolchain

die() {
  echo "build-test-binaries: error: $*" >&2
  exit 1
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# module_version <go.mod> <module path>: the version the wrapper requires.
module_version() {
  local version
  version=$(awk -v m="$2" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$1")
  [ -n "$version" ] || die "cannot find the version of $2 in $1"
  echo "$version"
}

# require_go: stop with a clear message when the Go toolchain is missing.
require_go() {
  command -v go >/dev/null 2>&1 && return 0
  die "'go' is not on PATH, and $1 must be built from $2.
  Install Go >= 1.26 (https://go.dev/dl/), or point $3 at an existing binary."
}

# build <name> <wrapper dir> <package> <output> <ldflags>
build() {
  local name=$1 dir=$2 pkg=$3 out=$4 ldflags=$5
  local tmp="$out.tmp.$$" start
  start=$(now)
  echo "build-test-binaries: building $name from ${dir#"$REPO_ROOT"/} ($pkg) ..."
  mkdir -p "$BIN_DIR"
  trap 'rm -f "$tmp"' EXIT
  if ! (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp" "$pkg"); then
    die "building $name failed (module ${dir#"$REPO_ROOT"/}, package $pkg); see the go output above.
  The Go module proxy must serve every module in ${dir#"$REPO_ROOT"/}/go.sum (GOPROXY=$(go env GOPROXY))."
  fi
  "$tmp" --version >/dev/null 2>&1 || die "the freshly built $name does not answer --version ($tmp)"
  mv -f "$tmp" "$out"
  trap - EXIT
  echo "build-test-binaries: built $out in $(elapsed "$start") s"
}

# ensure <name> <override var> <output> <wrapper dir> <package> <ldflags>
ensure() {
  local name=$1 override_var=$2 out=$3 dir=$4 pkg=$5 ldflags=$6
  local override=${!override_var:-}
  if [ -n "$override" ]; then
    [ -x "$override" ] || die "$override_var=$override is not an executable file"
    echo "build-test-binaries: $name: using $override_var=$override (not building)"
    return 0
  fi
  if [ -x "$out" ] && "$out" --version >/dev/null 2>&1; then
    echo "build-test-binaries: $name: cached $out"
    return 0
  fi
  [ -e "$out" ] && echo "build-test-binaries: $name: $out does not answer --version; rebuilding"
  require_go "$name" "${dir#"$REPO_ROOT"/}" "$override_var"
  build "$name" "$dir" "$pkg" "$out" "$ldflags"
}

total_start=$(now)

k8s_dir=$REPO_ROOT/tools/kube-apiserver
k8s_version=$(module_version "$k8s_dir/go.mod" k8s.io/kubernetes)
k8s_minor=${k8s_version#v1.}
k8s_minor=${k8s_minor%%.*}
# The same version stamps as Kubernetes' own build (hack/lib/version.sh).
k8s_ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$k8s_version"
k8s_ldflags+=" -X k8s.io/component-base/version.gitMajor=1"
k8s_ldflags+=" -X k8s.io/component-base/version.gitMinor=$k8s_minor"
k8s_ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
ensure kube-apiserver KUBE_APISERVER_BIN "$BIN_DIR/kube-apiserver-$k8s_version" \
  "$k8s_dir" k8s.io/kubernetes/cmd/kube-apiserver "$k8s_ldflags"

etcd_dir=$REPO_ROOT/tools/etcd
etcd_version=$(module_version "$etcd_dir/go.mod" go.etcd.io/etcd/server/v3)
ensure "etcd $etcd_version" KUBE_ETCD_BIN "$BIN_DIR/etcd-$etcd_version" \
  "$etcd_dir" go.etcd.io/etcd/server/v3 "-s -w"

echo "build-test-binaries: done in $(elapsed "$total_start") s"
