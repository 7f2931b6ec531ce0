//go:build linux

// Package userport is a port's own module as paritytest's test and example
// run it: the three lines of a test file that verifies a port of pipe, the
// port's path in PORT. TestWrongPort verifies a port that is wrong on
// purpose: it drops the "!" of C's message.
package userport

import (
	"os"
	"testing"

	"github.com/ipcparity/ipcparity/paritytest"
)

func TestMain(m *testing.M) { paritytest.Main(m) }

func TestPort(t *testing.T) { paritytest.Verify(t, "pipe", os.Getenv("PORT")) }

func TestWrongPort(t *testing.T) {
	paritytest.Verify(t, "pipe", "sh", "-c", `printf 'Hello World\n'`)
}
