//go:build cgo && linux

package cipc_test

import (
	"testing"

	"github.com/ipcparity/ipcparity/internal/sides/cside"
	"github.com/ipcparity/ipcparity/internal/sides/goside"
	"github.com/ipcparity/ipcparity/internal/sides/sidestest"
	"github.com/ipcparity/ipcparity/internal/testhelper"
)

// TestMain runs the tests, or, in a child process that a test started, one
// of the helper commands registered here: they run either side.
func TestMain(m *testing.M) {
	testhelper.Main(m, sidestest.SemHelpers(cside.API(), goside.API()))
}
