//go:build linux && race

package sandbox

// raceBuild is set in a binary built with the race detector, which cannot
// run under RLIMIT_AS: its processes take their limits from a trampoline.
const raceBuild = true
