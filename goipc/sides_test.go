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

func TestPipe(t *testing.T)   { sidestest.TestPipe(t, goside.API()) }
func TestFIFO(t *testing.T)   { sidestest.TestFIFO(t, goside.API()) }
func TestMq(t *testing.T)     { sidestest.TestMq(t, goside.API()) }
func TestShm(t *testing.T)    { sidestest.TestShm(t, goside.API()) }
func TestSem(t *testing.T)    { sidestest.TestSem(t, goside.API()) }
func TestSock(t *testing.T)   { sidestest.TestSock(t, goside.API()) }
func TestErrors(t *testing.T) { sidestest.TestErrors(t, goside.API()) }

func TestSemAcrossProcesses(t *testing.T) {
	sidestest.TestSemAcrossProcesses(t, goside.API())
}
