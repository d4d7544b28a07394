//go:build tools

// Package tools names the command e2e/build-kueue.sh builds, so that 'go mod tidy' keeps every
// module it needs in go.sum. The build tag keeps it out of any build.
package tools

import (
	_ "sigs.k8s.io/kueue/cmd/kueue"
)
