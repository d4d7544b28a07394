//go:build tools

// Package tools names the commands e2e/build-prometheus.sh builds, so that 'go mod tidy'
// keeps every module they need in go.sum. The build tag keeps it out of any build.
package tools

import (
	_ "github.com/prometheus/prometheus/cmd/prometheus"
	_ "github.com/prometheus/prometheus/cmd/promtool"
)
