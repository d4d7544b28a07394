#!/usr/bin/env bash
# Builds Kueue's manager (cmd/kueue) from the Go module proxy, once, into a cache folder outside
# the repository keyed by the release, for the e2e suite's KueueE2eTest (a real Kueue admitting,
# preempting and partially admitting the operator's worker Jobs). Beside the binary it copies the
# module's own config/ (CRDs, webhook configuration, RBAC), which the harness applies as they are.
# Prints the folder holding the binary; its parent holds config/.
#
#   e2e/build-kueue.sh            build what the cache lacks, print the bin folder
#   e2e/build-kueue.sh --print    print the bin folder, build nothing (exit 1 if incomplete)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mod="$here/kueue"
version="$(awk '$1=="require" && $2=="sigs.k8s.io/kueue" {print $3; exit}' "$mod/go.mod")"
cache="${DATAPARALLEL_CACHE:-$HOME/.cache/dataparallel}/kueue-$version"
bin="$cache/bin"

complete() { [[ -x "$bin/kueue" && -d "$cache/config/components/crd/bases" ]]; }

if [[ "${1:-}" == "--print" ]]; then complete && echo "$bin" && exit 0; exit 1; fi
if complete; then echo "$bin"; exit 0; fi

export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { echo "e2e/build-kueue.sh: needs Go (the polyglot machine has it)" >&2; exit 1; }
mkdir -p "$bin"
log="$cache/build.log"
start=$SECONDS
echo "building Kueue $version into $bin (cold: about 5-10 minutes on 2 cores; log $log)" >&2
(
  cd "$mod"
  export CGO_ENABLED=0 GOFLAGS=-mod=mod
  if [[ ! -x "$bin/kueue" ]]; then
    # the version stamp is what Kueue logs at start and reports in its metrics, as a release build does
    go build -trimpath -ldflags "-s -w -X sigs.k8s.io/kueue/pkg/version.GitVersion=$version" \
      -o "$bin/kueue.tmp" sigs.k8s.io/kueue/cmd/kueue && mv "$bin/kueue.tmp" "$bin/kueue"
    echo "  built kueue ($((SECONDS - start)) s)" >&2
  fi
  # the module cache is read-only and may be cleaned: a copy of the release's manifests stays with its binary
  src="$(go list -m -f '{{.Dir}}' sigs.k8s.io/kueue)"
  rm -rf "$cache/config.tmp" && cp -r "$src/config" "$cache/config.tmp" && chmod -R u+w "$cache/config.tmp"
  rm -rf "$cache/config" && mv "$cache/config.tmp" "$cache/config"
) >"$log" 2>&1 || { echo "e2e/build-kueue.sh: build failed; last lines of $log:" >&2; tail -30 "$log" >&2; exit 1; }
echo "built in $((SECONDS - start)) s" >&2
echo "$bin"
