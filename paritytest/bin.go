//go:build linux

package paritytest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/compare"
)

// A need is what a test needs built: the C reference for Verify, the
// call-script interpreters for Calls.
type need int

const (
	needC need = iota
	needCalls
)

// files are the binaries a need is, below a bin directory.
func (n need) files() []string {
	if n == needCalls {
		return []string{"cgo/ipccalls", "go/ipccalls"}
	}
	var out []string
	for _, p := range compare.Programs() {
		out = append(out, "c/"+p)
	}
	return out
}

// modulePath is the path of this module, as the test is built with it.
var modulePath = strings.TrimSuffix(reflect.TypeFor[Options]().PkgPath(), "/paritytest")

// bin returns the directory of the binaries that n needs: Options.Bin or
// $IPCPARITY_BIN, which must hold them, or the cache they are built into.
// It skips the test where they cannot be built for want of a tool.
func (o Options) bin(t *testing.T, n need) string {
	t.Helper()
	dir, from := o.Bin, "Options.Bin"
	if dir == "" {
		dir, from = os.Getenv(EnvBin), "$"+EnvBin
	}
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatalf("paritytest: %s: %v", from, err)
		}
		for _, f := range n.files() {
			if _, err := os.Stat(filepath.Join(abs, f)); err != nil {
				t.Fatalf("paritytest: %s is %s, which has no %s (make build lays bin/ out so): %v", from, abs, f, err)
			}
		}
		return abs
	}
	b := built(n)
	if b.skip != "" {
		t.Skip(b.skip)
	}
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.dir
}

// A build is the result of building a need: the bin directory, or why the
// test skips, or the failure.
type build struct {
	dir, skip string
	err       error
}

var (
	buildMu sync.Mutex
	builds  = map[need]build{}
)

// built builds n once per process.
func built(n need) build {
	buildMu.Lock()
	defer buildMu.Unlock()
	b, ok := builds[n]
	if !ok {
		b = buildNeed(n)
		builds[n] = b
	}
	return b
}

// orBin ends every reason to skip or fail a build: the way around it.
const orBin = "; or set " + EnvBin + " to the bin/ of a make build of ipcparity"

// buildNeed builds what n needs into the cache, under a lock that other
// test processes respect: the C with the module's Makefile (incremental),
// the interpreters with go build from the test's working directory, so
// with the test's own module graph.
func buildNeed(n need) build {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return build{skip: "paritytest: no go command in PATH to find the source of " + modulePath + orBin}
	}
	switch n {
	case needC:
		if _, err := exec.LookPath("make"); err != nil {
			return build{skip: "paritytest: no make in PATH: the C reference cannot be built" + orBin}
		}
		cc := "cc" // make's own default
		if f := strings.Fields(os.Getenv("CC")); len(f) > 0 {
			cc = f[0]
		}
		if _, err := exec.LookPath(cc); err != nil {
			return build{skip: fmt.Sprintf("paritytest: no C compiler (%s) in PATH: the C reference cannot be built%s", cc, orBin)}
		}
	case needCalls:
		out, err := exec.Command(goCmd, "env", "CGO_ENABLED").Output()
		if err != nil || strings.TrimSpace(string(out)) != "1" {
			return build{skip: "paritytest: cgo is disabled (go env CGO_ENABLED is not 1, or there is no C compiler): the cipc side of call scripts cannot be built" + orBin}
		}
	}
	var stderr strings.Builder
	list := exec.Command(goCmd, "list", "-m", "-f", "{{.Dir}}", modulePath)
	list.Stderr = &stderr
	out, err := list.Output()
	if err != nil {
		return build{err: fmt.Errorf("paritytest: finding the source of %s: go list -m: %v\n%s%s", modulePath, err, stderr.String(), orBin)}
	}
	src := strings.TrimSpace(string(out))
	if src == "" {
		return build{err: fmt.Errorf("paritytest: %s has no source directory (go list -m; a vendored build?)%s", modulePath, orBin)}
	}
	dir, unlock, err := cacheDir(src)
	if err != nil {
		return build{err: fmt.Errorf("paritytest: %v%s", err, orBin)}
	}
	defer unlock()
	var cmds []*exec.Cmd
	switch n {
	case needC:
		cmds = append(cmds, exec.Command("make", "-s", "-C", src, "BIN="+dir, "c"))
	case needCalls:
		for _, side := range []struct{ form, pkg, cgo string }{{"cgo", "cipc", "1"}, {"go", "goipc", "0"}} {
			cmd := exec.Command(goCmd, "build", "-o", filepath.Join(dir, side.form, "ipccalls"), modulePath+"/"+side.pkg+"/cmd/ipccalls")
			cmd.Env = append(os.Environ(), "CGO_ENABLED="+side.cgo)
			cmds = append(cmds, cmd)
		}
	}
	for _, cmd := range cmds {
		if out, err := cmd.CombinedOutput(); err != nil {
			return build{err: fmt.Errorf("paritytest: building what the test needs: %s: %v\n%s%s", strings.Join(cmd.Args, " "), err, out, orBin)}
		}
	}
	return build{dir: dir}
}

// cacheDir returns the bin directory in the cache for the module's source
// directory src, locked against other processes until unlock.
func cacheDir(src string) (dir string, unlock func(), err error) {
	root, err := os.UserCacheDir()
	if err != nil {
		root = os.TempDir()
	}
	sum := sha256.Sum256([]byte(src))
	dir = filepath.Join(root, "ipcparity", "bin-"+hex.EncodeToString(sum[:6]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, err
	}
	lock, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", nil, err
	}
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		lock.Close()
		return "", nil, fmt.Errorf("locking %s: %w", lock.Name(), err)
	}
	return dir, func() { lock.Close() }, nil
}
