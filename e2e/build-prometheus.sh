#!/usr/bin/env bash
# Builds Prometheus and promtool from the Go module proxy, once, into a cache folder outside the
# repository keyed by the release, for the e2e suite's PrometheusE2eTest (a real Prometheus
# scraping the operator through the chart's Service annotations) and promtool check metrics.
# Service discovery is Kubernetes only (the build tags drop the cloud providers' SD, most of the
# build) and the web UI's assets are left out: the tests use the HTTP API.
# Prints the folder holding the binaries.
#
#   e2e/build-prometheus.sh            build what the cache lacks, print the bin folder
#   e2e/build-prometheus.sh --print    print the bin folder, build nothing (exit 1 if incomplete)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mod="$here/prometheus"
version="$(awk '$1=="require" && $2=="github.com/prometheus/prometheus" {print $3; exit}' "$mod/go.mod")"
cache="${DATAPARALLEL_CACHE:-$HOME/.cache/dataparallel}/prometheus-$version"
bin="$cache/bin"
commands=(prometheus promtool)

complete() { for c in "${commands[@]}"; do [[ -x "$bin/$c" ]] || return 1; done; }

if [[ "${1:-}" == "--print" ]]; then complete && echo "$bin" && exit 0; exit 1; fi
if complete; then echo "$bin"; exit 0; fi

export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { echo "e2e/build-prometheus.sh: needs Go (the polyglot machine has it)" >&2; exit 1; }
mkdir -p "$bin"
log="$cache/build.log"
start=$SECONDS
echo "building Prometheus $version (prometheus, promtool) into $bin (cold: about 5-10 minutes on 2 cores; log $log)" >&2
(
  cd "$mod"
  export CGO_ENABLED=0 GOFLAGS=-mod=mod
  ldflags="-s -w -X github.com/prometheus/common/version.Version=$version"
  for c in "${commands[@]}"; do
    [[ -x "$bin/$c" ]] && continue
    go build -trimpath -tags remove_all_sd,enable_kubernetes_sd -ldflags "$ldflags" -o "$bin/$c.tmp" \
      "github.com/prometheus/prometheus/cmd/$c" && mv "$bin/$c.tmp" "$bin/$c"
    echo "  built $c ($((SECONDS - start)) s)" >&2
  done
) >"$log" 2>&1 || { echo "e2e/build-prometheus.sh: build failed; last lines of $log:" >&2; tail -30 "$log" >&2; exit 1; }
echo "built in $((SECONDS - start)) s" >&2
echo "$bin"
