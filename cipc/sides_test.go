//go:build cgo && linux

package cipc_test

// The cases that cipc and goipc share live once, in
// internal/sides/sidestest; these run them on cipc (goipc's tests run
// them on goipc), and the ones that take both sides on both.

import (
	"testing"

	"github.com/ipcparity/ipcparity/internal/sides/cside"
	"github.com/ipcparity/ipcparity/internal/sides/goside"
	"github.com/ipcparity/ipcparity/internal/sides/sidestest"
)

func TestSides(t *testing.T) { sidestest.TestAll(t, cside.API()) }

// TestMqTranscripts runs the queue table on both sides and compares what
// each case saw.
func TestMqTranscripts(t *testing.T) {
	sidestest.CompareMq(t, cside.API(), goside.API())
}

// TestSemAcrossProcesses runs C and Go against each other (and each
// against itself) across processes.
func TestSemAcrossProcesses(t *testing.T) {
	sidestest.TestSemAcrossProcesses(t, cside.API(), goside.API())
}
