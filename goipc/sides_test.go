//go:build linux

package goipc_test

// The cases that cipc and goipc share live once, in
// internal/sides/sidestest; these run them on goipc. cipc's tests run
// them on cipc, and the cases that need both sides.

import (
	"testing"

	"github.com/ipcparity/ipcparity/internal/sides/goside"
	"github.com/ipcparity/ipcparity/internal/sides/sidestest"
)

func TestSides(t *testing.T) { sidestest.TestAll(t, goside.API()) }

func TestSemAcrossProcesses(t *testing.T) {
	sidestest.TestSemAcrossProcesses(t, goside.API())
}
