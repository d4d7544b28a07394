#!/usr/bin/env bash
# Builds the upstream control plane the e2e suite runs against (kube-apiserver,
# kube-controller-manager, kube-scheduler, etcd) and the real node's kubelet and kube-proxy
# from the Go module proxy, once, into a
# cache folder outside the repository keyed by the release, and reuses it afterwards.
# Prints the folder holding the binaries.
#
#   e2e/build-k8s.sh            build what the cache lacks, print the bin folder
#   e2e/build-k8s.sh --print    print the bin folder, build nothing (exit 1 if incomplete)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mod="$here/k8s"
k8s_version="$(awk '$1=="k8s.io/kubernetes" && $2 ~ /^v/ {print $2; exit}' "$mod/go.mod")"
etcd_version="$(awk '$1=="go.etcd.io/etcd/server/v3" {print $2; exit}' "$mod/go.mod")"
cache="${DATAPARALLEL_CACHE:-$HOME/.cache/dataparallel}/k8s-$k8s_version-etcd-$etcd_version"
bin="$cache/bin"
commands=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy etcd)

complete() { for c in "${commands[@]}"; do [[ -x "$bin/$c" ]] || return 1; done; }

if [[ "${1:-}" == "--print" ]]; then complete && echo "$bin" && exit 0; exit 1; fi
if complete; then echo "$bin"; exit 0; fi

export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { echo "e2e/build-k8s.sh: needs Go (the polyglot machine has it)" >&2; exit 1; }
mkdir -p "$bin"
log="$cache/build.log"
start=$SECONDS
echo "building Kubernetes $k8s_version and etcd $etcd_version into $bin (cold: about 15-25 minutes on 2 cores; log $log)" >&2
(
  cd "$mod"
  export CGO_ENABLED=0 GOFLAGS=-mod=mod
  # -trimpath and no debug info: smaller binaries; the version stamp lets the API
  # server report the release (kubectl version, discovery) as a real build does.
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$k8s_version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(echo "$k8s_version" | cut -d. -f2)"
  for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    [[ -x "$bin/$c" ]] && continue
    go build -trimpath -ldflags "$ldflags" -o "$bin/$c.tmp" "k8s.io/kubernetes/cmd/$c" && mv "$bin/$c.tmp" "$bin/$c"
    echo "  built $c ($((SECONDS - start)) s)" >&2
  done
  if [[ ! -x "$bin/etcd" ]]; then
    go build -trimpath -ldflags "-s -w" -o "$bin/etcd.tmp" go.etcd.io/etcd/server/v3 && mv "$bin/etcd.tmp" "$bin/etcd"
    echo "  built etcd ($((SECONDS - start)) s)" >&2
  fi
) >"$log" 2>&1 || { echo "e2e/build-k8s.sh: build failed; last lines of $log:" >&2; tail -30 "$log" >&2; exit 1; }
echo "built in $((SECONDS - start)) s" >&2
echo "$bin"
