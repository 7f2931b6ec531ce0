//go:build linux && !race

package sandbox

// raceBuild is set in a binary built with the race detector; see race.go.
const raceBuild = false
