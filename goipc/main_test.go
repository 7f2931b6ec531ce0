//go:build linux

package goipc_test

import (
	"maps"
	"testing"

	"github.com/ipcparity/ipcparity/internal/sides/goside"
	"github.com/ipcparity/ipcparity/internal/sides/sidestest"
	"github.com/ipcparity/ipcparity/internal/testhelper"
)

// TestMain runs the tests, or, in a child process that a test started, one
// of the helper commands registered here.
func TestMain(m *testing.M) {
	helpers := sidestest.SemHelpers(goside.API())
	maps.Copy(helpers, map[string]testhelper.Helper{"write-broken": writeBrokenHelper})
	maps.Copy(helpers, idleHelpers)
	helpers["setgroups-unprivileged"] = setgroupsUnprivileged
	testhelper.Main(m, helpers)
}
