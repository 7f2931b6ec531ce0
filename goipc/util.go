//go:build linux

package goipc

// exitFailure is C's EXIT_FAILURE.
const exitFailure = 1
