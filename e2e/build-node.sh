#!/usr/bin/env bash
# Builds the e2e node's container runtime from the Go module proxy, once, into a cache folder
# outside the repository keyed by the release: containerd 2.x with its runc shim and ctr, the
# pods' pause (e2e/node/pause) with its image (pause.oci.tar, made with buildah from the binary alone),
# and the cluster's DNS, CoreDNS (e2e/dns) with its image (coredns.oci.tar).
# runc, buildah and the CNI plugins come from Debian's packages (installed here with apt-get when
# missing). Prints the folder holding the binaries.
#
#   e2e/build-node.sh            build what the cache lacks, print the bin folder
#   e2e/build-node.sh --print    print the bin folder, build nothing (exit 1 if incomplete)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mod="$here/node"
containerd_version="$(awk '$1=="require" && $2=="github.com/containerd/containerd/v2" {print $3; exit}' "$mod/go.mod")"
dns="$here/dns"
coredns_version="$(awk '$1=="require" && $2=="github.com/coredns/coredns" {print $3; exit}' "$dns/go.mod")"
inputs="$(cat "$mod/pause/main.go" "$dns/main.go" "$dns/go.sum" | sha256sum | cut -c1-8)"
cache="${DATAPARALLEL_CACHE:-$HOME/.cache/dataparallel}/node-containerd-$containerd_version-coredns-$coredns_version-$inputs"
bin="$cache/bin"
commands=(containerd containerd-shim-runc-v2 ctr pause coredns)

complete() { for c in "${commands[@]}"; do [[ -x "$bin/$c" ]] || return 1; done; [[ -s "$bin/pause.oci.tar" && -s "$bin/coredns.oci.tar" ]]; }
packages() { command -v runc >/dev/null && command -v buildah >/dev/null && command -v iptables >/dev/null \
  && [[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/loopback ]]; }

if [[ "${1:-}" == "--print" ]]; then complete && packages && echo "$bin" && exit 0; exit 1; fi
if ! packages; then
  echo "installing runc, buildah, iptables and containernetworking-plugins with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  debs=(runc buildah iptables containernetworking-plugins)
  apt-get install -y -qq "${debs[@]}" >&2 || { apt-get update -qq >&2 && apt-get install -y -qq "${debs[@]}" >&2; }
fi
if complete; then echo "$bin"; exit 0; fi

export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { echo "e2e/build-node.sh: needs Go (the polyglot machine has it)" >&2; exit 1; }
mkdir -p "$bin"
log="$cache/build.log"
start=$SECONDS
echo "building containerd $containerd_version, pause and CoreDNS $coredns_version into $bin (cold: a few minutes on 2 cores; log $log)" >&2
(
  cd "$mod"
  # static, no cgo: the btrfs and devmapper snapshotters (cgo) are left out, overlayfs is what the node uses
  export CGO_ENABLED=0 GOFLAGS=-mod=mod
  tags="no_btrfs no_devmapper no_zfs"
  ldflags="-s -w -X github.com/containerd/containerd/v2/version.Version=$containerd_version"
  for c in containerd containerd-shim-runc-v2 ctr; do
    [[ -x "$bin/$c" ]] && continue
    go build -trimpath -tags "$tags" -ldflags "$ldflags" -o "$bin/$c.tmp" "github.com/containerd/containerd/v2/cmd/$c" \
      && mv "$bin/$c.tmp" "$bin/$c"
    echo "  built $c ($((SECONDS - start)) s)" >&2
  done
  if [[ ! -x "$bin/pause" ]]; then
    go build -trimpath -ldflags "-s -w" -o "$bin/pause.tmp" ./pause && mv "$bin/pause.tmp" "$bin/pause"
  fi
  if [[ ! -s "$bin/pause.oci.tar" ]]; then
    # the sandbox image: the static binary and nothing else
    c=$(buildah from scratch)
    buildah copy "$c" "$bin/pause" /pause
    buildah config --entrypoint '["/pause"]' "$c"
    buildah commit -q "$c" localhost/dataparallel/pause:e2e
    buildah rm "$c"
    buildah push -q localhost/dataparallel/pause:e2e "oci-archive:$bin/pause.oci.tar.tmp:localhost/dataparallel/pause:e2e"
    mv "$bin/pause.oci.tar.tmp" "$bin/pause.oci.tar"
  fi
  if [[ ! -x "$bin/coredns" ]]; then
    (cd "$dns" && go build -trimpath -ldflags "-s -w" -o "$bin/coredns.tmp" . && mv "$bin/coredns.tmp" "$bin/coredns")
    echo "  built coredns ($((SECONDS - start)) s)" >&2
  fi
  if [[ ! -s "$bin/coredns.oci.tar" ]]; then
    # CoreDNS alone, as user 65532 (its upstream image's nonroot user)
    c=$(buildah from scratch)
    buildah copy "$c" "$bin/coredns" /coredns
    buildah config --entrypoint '["/coredns"]' --user 65532:65532 "$c"
    buildah commit -q "$c" localhost/dataparallel/coredns:e2e
    buildah rm "$c"
    buildah push -q localhost/dataparallel/coredns:e2e "oci-archive:$bin/coredns.oci.tar.tmp:localhost/dataparallel/coredns:e2e"
    mv "$bin/coredns.oci.tar.tmp" "$bin/coredns.oci.tar"
  fi
) >"$log" 2>&1 || { echo "e2e/build-node.sh: build failed; last lines of $log:" >&2; tail -30 "$log" >&2; exit 1; }
echo "built in $((SECONDS - start)) s" >&2
echo "$bin"
