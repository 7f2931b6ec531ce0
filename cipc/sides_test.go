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

func TestPipe(t *testing.T)   { sidestest.TestPipe(t, cside.API()) }
func TestFIFO(t *testing.T)   { sidestest.TestFIFO(t, cside.API()) }
func TestMq(t *testing.T)     { sidestest.TestMq(t, cside.API()) }
func TestShm(t *testing.T)    { sidestest.TestShm(t, cside.API()) }
func TestSem(t *testing.T)    { sidestest.TestSem(t, cside.API()) }
func TestSock(t *testing.T)   { sidestest.TestSock(t, cside.API()) }
func TestErrors(t *testing.T) { sidestest.TestErrors(t, cside.API()) }

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
