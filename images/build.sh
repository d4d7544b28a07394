#!/usr/bin/env bash
# Builds the images a user deploys from the project's own Dockerfiles, as a user's `docker build` would, on
# a base made here from Debian's packages (no image registry is reachable from CI machines).
#
#   images/build.sh [worker|operator|all]     after `mvn -B -DskipTests package` (the jars in */target)
#
# - tools: podman, buildah, runc, mmdebstrap from apt, installed once (skipped when present)
# - base:  mmdebstrap of images/base.packages, cached as ~/.cache/dataparallel/images/base-<hash>.tar by the
#          hash of the package list and suite, imported as localhost/dataparallel/base:<hash>
# - image: podman build --pull=never --build-arg BASE=<base>, saved as <name>-<hash>.oci.tar in the same cache;
#          <hash> covers the Dockerfile, the jars it copies and the base, so an unchanged input is not rebuilt
#          (an archive in the cache is loaded instead when podman's storage lacks the image)
# Prints one line per image on stdout: `<name> <image ref> <OCI archive>`; progress goes to stderr.
#
# The runtime flags are this machine kind's (see e2e/README.md): runc with cgroupfs (crun refuses the hybrid
# cgroup layout) and rlimits at or below the hard limits (no CAP_SYS_RESOURCE to raise them).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
root=$PWD
CACHE="${DATAPARALLEL_CACHE:-$HOME/.cache/dataparallel}/images"
SUITE=bookworm
PODMAN=(podman --cgroup-manager=cgroupfs --runtime runc)
ULIMITS=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
log() { echo "images: $*" >&2; }

case "${1:-all}" in
  worker) names=(worker) ;;
  operator) names=(operator) ;;
  all) names=(worker operator) ;;
  *) echo "usage: images/build.sh [worker|operator|all]" >&2; exit 2 ;;
esac

mkdir -p "$CACHE"
# one build at a time per machine: two would race on the cache and on podman's tags
exec 9>"$CACHE/.lock"
flock 9
rm -rf "$CACHE"/context-*   # left by a build that was stopped

install_tools() {
  local missing=()
  for tool in podman buildah runc mmdebstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${missing[@]}" >&2 || { apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >&2; }
}

# The base: Debian's Java runtime and useradd, the two things both Dockerfiles need of eclipse-temurin.
make_base() {
  local packages hash tar ref
  packages=$(grep -v '^#' images/base.packages | tr -s ' \n' '\n' | grep . | sort -u | paste -sd, -)
  hash=$(printf '%s %s\n' "$SUITE" "$packages" | sha256sum | cut -c1-16)
  tar="$CACHE/base-$hash.tar"
  ref="localhost/dataparallel/base:$hash"
  if [ ! -s "$tar" ]; then
    log "making the base from Debian $SUITE: $packages"
    # mmdebstrap takes the format from the name's ending: the partial file must end in .tar too
    mmdebstrap --quiet --variant=apt --include="$packages" "$SUITE" "$CACHE/partial-base-$hash.tar" >&2
    mv "$CACHE/partial-base-$hash.tar" "$tar"
    find "$CACHE" -maxdepth 1 -name 'base-*.tar' ! -name "base-$hash.tar" -delete
  fi
  if ! "${PODMAN[@]}" image exists "$ref"; then
    "${PODMAN[@]}" import --quiet "$tar" "$ref" >/dev/null
  fi
  echo "$ref"
}

# Copies what the Dockerfile may COPY (its module's target jars and lib) into a context of its own: the
# repository's other files (.git, caches, other targets) would otherwise be sent to every build.
stage_context() {
  local module=$1 ctx=$2
  [ -d "$module/target/lib" ] && ls "$module"/target/dataparallel-*.jar >/dev/null 2>&1 || {
    echo "images: $module/target has no jars: run 'mvn -B -DskipTests package' first" >&2; exit 1; }
  mkdir -p "$ctx/$module/target"
  # the module's own jar, not its -tests or -sources jars (the Dockerfiles' COPY leaves those out too)
  find "$module/target" -maxdepth 1 -name 'dataparallel-*.jar' ! -name '*-tests.jar' ! -name '*-sources.jar' \
    -exec cp {} "$ctx/$module/target/" \;
  cp -r "$module/target/lib" "$ctx/$module/target/lib"
  cp "$module/Dockerfile" "$ctx/$module/Dockerfile"
}

build_image() {
  local name=$1 base=$2 module dockerfile ctx hash ref archive
  case "$name" in worker) module=worker-image ;; operator) module=operator ;; esac
  ctx=$(mktemp -d "$CACHE/context-$name.XXXXXX")
  trap 'rm -rf "$ctx"' RETURN
  stage_context "$module" "$ctx"
  hash=$( (cd "$ctx" && find . -type f | LC_ALL=C sort | xargs sha256sum; echo "$base") | sha256sum | cut -c1-16)
  ref="localhost/dataparallel/$name:$hash"
  archive="$CACHE/$name-$hash.oci.tar"
  if "${PODMAN[@]}" image exists "$ref"; then
    log "$name: unchanged ($ref)"
  elif [ -s "$archive" ]; then
    log "$name: loading $archive"
    # the archive names its image (podman save writes the ref); a load that does not give it is rebuilt below
    "${PODMAN[@]}" load --quiet -i "$archive" >/dev/null || true
  fi
  if ! "${PODMAN[@]}" image exists "$ref"; then
    log "$name: building $module/Dockerfile on $base"
    "${PODMAN[@]}" build --quiet --pull=never --network none "${ULIMITS[@]}" --build-arg "BASE=$base" \
      -f "$ctx/$module/Dockerfile" -t "$ref" "$ctx" >&2
    "${PODMAN[@]}" save --quiet --format oci-archive -o "$archive.part" "$ref"
    mv "$archive.part" "$archive"
    # one archive and one tag per image: earlier builds' would fill the disk
    find "$CACHE" -maxdepth 1 -name "$name-*.oci.tar" ! -name "$name-$hash.oci.tar" -delete
    "${PODMAN[@]}" images --format '{{.Repository}}:{{.Tag}}' "localhost/dataparallel/$name" | grep -vx "$ref" \
      | xargs -r "${PODMAN[@]}" rmi --force >/dev/null 2>&1 || true
  fi
  echo "$name $ref $archive"
}

install_tools
base=$(make_base)
for name in "${names[@]}"; do build_image "$name" "$base"; done
