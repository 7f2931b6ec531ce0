//go:build linux

package goipc_test

import (
	"testing"

	"github.com/ipcparity/ipcparity/internal/sides/goside"
	"github.com/ipcparity/ipcparity/internal/sides/sidestest"
	"github.com/ipcparity/ipcparity/internal/testhelper"
)

// TestMain runs the tests, or, in a child process that a test started, one
// of the helper commands registered here.
func TestMain(m *testing.M) {
	helpers := sidestest.SemHelpers(goside.API())
	for _, more := range []map[string]testhelper.Helper{
		{"write-broken": writeBrokenHelper, "setgroups-unprivileged": setgroupsUnprivileged},
		idleHelpers,
	} {
		for name, h := range more {
			if _, dup := helpers[name]; dup {
				panic("goipc tests: two helpers are named " + name) // one would hide the other
			}
			helpers[name] = h
		}
	}
	testhelper.Main(m, helpers)
}
