//go:build linux && !race

package testhelper

// raceEnabled tells that the binary runs under the race detector.
const raceEnabled = false
