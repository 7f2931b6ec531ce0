//go:build linux

package paritytest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSkipWithoutToolchain: without make, or without a C compiler, the C
// reference is not built, and the reason to skip says what is missing and
// the way around it.
func TestSkipWithoutToolchain(t *testing.T) {
	var tools []string
	for _, name := range []string{"go", "make"} {
		path, err := exec.LookPath(name)
		if err != nil {
			t.Skipf("no %s here", name)
		}
		tools = append(tools, path)
	}
	for _, c := range []struct {
		tools int // how many of tools are in PATH
		cc    string
		want  string
	}{
		{1, "", "no make in PATH"},
		{2, "", "no C compiler (cc) in PATH"},
		{2, "nosuch-gcc -m64", "no C compiler (nosuch-gcc) in PATH"},
	} {
		dir := t.TempDir()
		for _, tool := range tools[:c.tools] {
			if err := os.Symlink(tool, filepath.Join(dir, filepath.Base(tool))); err != nil {
				t.Fatal(err)
			}
		}
		t.Setenv("PATH", dir)
		t.Setenv("CC", c.cc)
		b := buildNeed(needC)
		if b.err != nil || !strings.Contains(b.skip, c.want) || !strings.Contains(b.skip, EnvBin) {
			t.Errorf("%d tools, CC=%q: %+v, want a skip that says %q and names %s", c.tools, c.cc, b, c.want, EnvBin)
		}
	}
}
