//go:build linux

package creference_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// An edit of the C is what the cgo form runs at the next build, with no
// step of the user's in between: the C is compiled where it lives, so Go's
// build cache sees the edit. The test edits a copy of the module, builds it
// as a user would, and runs the native and the cgo form of pipe.
func TestEditedCReachesEveryForm(t *testing.T) {
	if testing.Short() {
		t.Skip("copies and builds the module")
	}
	t.Parallel()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tree := t.TempDir()
	copyModule(t, root, tree)

	for _, msg := range []string{"Hello World!", "Hello, edited C!"} {
		src := filepath.Join(tree, "c_reference", "pipe.c")
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		cur := "Hello World!"
		if !bytes.Contains(b, []byte(`"`+cur+`"`)) {
			cur = "Hello, edited C!"
		}
		if err := os.WriteFile(src, bytes.Replace(b, []byte(`"`+cur+`"`), []byte(`"`+msg+`"`), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		run(t, tree, "make", "-s", "bin/c/pipe")
		// -trimpath as the Makefile builds: the copy then shares the build
		// cache with the checkout for every package the edit does not touch.
		run(t, tree, "go", "build", "-trimpath", "-o", "bin/cgo/", "./cipc/cmd/pipe")
		for _, form := range []string{"c", "cgo"} {
			out := run(t, tree, filepath.Join(tree, "bin", form, "pipe"))
			if want := msg + "\n"; out != want {
				t.Errorf("after editing pipe.c to print %q, the %s form printed %q", msg, form, out)
			}
		}
	}
}

// copyModule copies the module's sources (no bin/, no .git) from root to dst.
func copyModule(t *testing.T, root, dst string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() && (rel == "bin" || rel == ".git" || strings.HasPrefix(d.Name(), ".") && rel != ".") {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, dir string, argv ...string) string {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, stderr.String())
	}
	return string(out)
}
