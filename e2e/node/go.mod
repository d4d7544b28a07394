// The e2e node's container runtime, built from the Go module proxy by e2e/build-node.sh:
// containerd 2.x (Kubernetes 1.36+ needs it), its runc shim and ctr; and the pods' pause.
module dataparallel.io/e2e/node

go 1.26.6

require github.com/containerd/containerd/v2 v2.4.2
