//go:build linux

package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOtherUserNeedsAProgramItCanRun checks that a step as another user
// refuses a program below a directory closed to others, which would make
// every form fail alike, and takes one that others can run.
func TestOtherUserNeedsAProgramItCanRun(t *testing.T) {
	if !uidMapped(OtherUser) {
		t.Skip("no other user here: asOtherUser refuses every step (its own error)")
	}
	dir := t.TempDir()
	private := filepath.Join(dir, "private")
	if err := os.Mkdir(private, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	prog := filepath.Join(private, "port")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := asOtherUser([]string{prog}); err == nil || !strings.Contains(err.Error(), "directory "+private+" has mode 0700") {
		t.Errorf("a program in a 0700 directory: err %v, want the directory named", err)
	}
	argv, err := asOtherUser([]string{"/bin/sh", "-c", "true"})
	if err != nil || !strings.HasSuffix(argv[0], "setpriv") || argv[len(argv)-3] != "/bin/sh" {
		t.Errorf("/bin/sh: %q, %v", argv, err)
	}
}
