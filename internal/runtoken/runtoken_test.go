//go:build linux

package runtoken

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSweepUsesTheNotesOfDeadProcesses(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	// A pid that has ended: a child that has been reaped.
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := "rttest" + strconv.Itoa(cmd.Process.Pid) + "_1"
	if err := os.WriteFile(notePath(dead), []byte("/q1\n/q2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(os.TempDir(), dead+"-dir"), 0o700); err != nil {
		t.Fatal(err)
	}
	live := New("rttest")
	if err := Remember(live, "/mine"); err != nil {
		t.Fatal(err)
	}

	var unlinked []string
	Sweep("rttest", func(name string) { unlinked = append(unlinked, name) })

	if diff := cmp.Diff([]string{"/q1", "/q2"}, unlinked); diff != "" {
		t.Errorf("unlinked: mismatch (-want +got):\n%s", diff)
	}
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), "rttest*"))
	if diff := cmp.Diff([]string{notePath(live)}, left); diff != "" {
		t.Errorf("left in TMPDIR: mismatch (-want +got):\n%s", diff)
	}
	Forget(live)
	if _, err := os.Stat(notePath(live)); !os.IsNotExist(err) {
		t.Errorf("Forget left %s: %v", notePath(live), err)
	}
	if Last() != live {
		t.Errorf("Last() = %q, want %q", Last(), live)
	}
}
