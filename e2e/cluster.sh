#!/usr/bin/env bash
# A real Kubernetes control plane on this machine, with no Docker and no cluster:
# upstream etcd, kube-apiserver, kube-controller-manager and kube-scheduler (built from the Go
# module proxy by e2e/build-k8s.sh), two nodes played by a process kubelet, an S3 endpoint over a
# folder, and the chart installed with helm (its operator runs as the chart's Deployment). Run as root
# where podman can be had, it adds a real node (kubelet on containerd, the images built from the
# Dockerfiles) and jobs run there; the operator stays on the process kubelet's node.
#
#   e2e/cluster.sh up [--store DIR] [--namespace NS]   start it; writes e2e/.cluster/env
#   e2e/cluster.sh down                                stop everything, remove e2e/.cluster
#   e2e/cluster.sh status                              say whether it runs
#
# After up:  source e2e/.cluster/env; kubectl apply -f my-job.yaml; kubectl get ij
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
state="$here/.cluster"
pidfile="$state/cluster.pid"

running() { [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

up() {
  local store="$state/store" namespace=default
  while [[ $# -gt 0 ]]; do
    case $1 in
      --store) store="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
      --namespace) namespace=$2; shift 2 ;;
      *) echo "cluster.sh up: unknown option $1 (use --store DIR, --namespace NS)" >&2; exit 2 ;;
    esac
  done
  if running && [[ -f $state/ready ]]; then
    echo "already up; source $state/env"
    return 0
  fi
  running && down
  # the harness and the "images" (operator and worker jars with their lib/ folders)
  if [[ ! -f $here/target/classpath.txt || ! -d $repo/operator/target/lib || ! -d $repo/worker-image/target/lib ]]; then
    echo "building the operator, the worker and the harness (mvn -DskipTests install)..."
    (cd "$repo" && mvn -B -q -DskipTests install -pl e2e -am)
  fi
  bash "$here/build-k8s.sh" >/dev/null
  mkdir -p "$state"
  rm -f "$state/ready" "$state/env"
  local java=java
  [[ -n ${JAVA_HOME:-} ]] && java="$JAVA_HOME/bin/java"
  setsid "$java" -Dlogback.configurationFile="$here/src/main/resources/e2e-logback.xml" \
    -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
    io.dataparallel.e2e.Cluster "$repo" "$state" "$store" "$namespace" >"$state/cluster.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local start=$SECONDS
  until [[ -f $state/ready ]]; do
    if ! running; then
      echo "cluster.sh up: the harness exited; the end of $state/cluster.log:" >&2
      tail -40 "$state/cluster.log" >&2
      exit 1
    fi
    # the first time also builds containerd and the images for the real node
    if (( SECONDS - start > 1800 )); then
      echo "cluster.sh up: not ready after 1800 s; see $state/cluster.log and $state/logs/" >&2
      exit 1
    fi
    sleep 1
  done
  echo "up in $((SECONDS - start)) s. Now:"
  echo "  source $state/env      # KUBECONFIG, S3_ENDPOINT, NAMESPACE, helm and kubectl on PATH"
  echo "  kubectl get nodes; kubectl apply -f my-job.yaml; kubectl get ij"
  echo "logs: $state/cluster.log, $state/logs/ (control plane), $state/real-node/logs/ (kubelet, containerd), $state/real-node/pod-logs/ (containers; kubectl logs reads them), $state/pods/ (process kubelet pods)"
}

down() {
  if [[ -f $pidfile ]]; then
    local pid
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  # whatever outlived the harness (a killed JVM leaves its children): every process started
  # for this cluster names the state folder on its command line
  if [[ -d $state ]]; then
    pkill -KILL -f -- "$state/" 2>/dev/null || true
    # the real node's pod and image mounts
    awk -v r="$state/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r | xargs -r umount -l 2>/dev/null || true
  fi
  rm -rf "$state"
  echo "down"
}

case ${1:-} in
  up) shift; up "$@" ;;
  down) down ;;
  status) if running && [[ -f $state/ready ]]; then echo "up; source $state/env"; else echo "down"; exit 1; fi ;;
  *) echo "usage: e2e/cluster.sh up [--store DIR] [--namespace NS] | down | status" >&2; exit 2 ;;
esac
