//go:build linux

package compare

import (
	"os"
	"testing"
)

// TestFilesCallScripts runs the scripts of the common table files
// (directories, links, mknod, *at calls, credentials, EACCES as another
// user on every object with a mode, a read-only bind mount) on both
// sides. compare/callscript's TestFilesWrongSides holds them to wrong
// sides they catch.
func TestFilesCallScripts(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		// Unprivileged, the sandbox's user namespace maps uid and gid 0
		// alone: seteuid(65534) is EINVAL there, and files_creds and
		// files_eacces cannot run as written.
		t.Skip("the files scripts change credentials, which needs root (see testdata/calls/README.md)")
	}
	checkScripts(t, "files", 4)
}
