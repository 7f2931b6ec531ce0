//go:build linux

package compare

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestImportRules holds ARCHITECTURE.md's "what may import what" against
// the code: the two sides never meet, goipc's interpreter links no cgo, and
// the judge's packages use neither side.
func TestImportRules(t *testing.T) {
	t.Parallel()
	const mod = "github.com/ipcparity/ipcparity/"
	for _, r := range []struct {
		pkg   string
		never []string
	}{
		{"cipc", []string{"goipc", "compare", "internal/sides"}},
		{"goipc", []string{"cipc", "compare", "internal/sides", "runtime/cgo"}},
		{"goipc/cmd/ipccalls", []string{"cipc", "runtime/cgo"}},
		{"goidiom", []string{"cipc", "compare", "runtime/cgo"}},
		{"internal/sides", []string{"cipc", "goipc"}},
		{"internal/sides/sidestest", []string{"cipc", "goipc"}},
		{"compare/callscript", []string{"cipc", "goipc"}},
		{"compare/runner", []string{"cipc", "goipc"}},
		{"compare/judge", []string{"cipc", "goipc"}},
		{"compare/htmlreport", []string{"cipc", "goipc", "compare"}},
		{"compare/trace", []string{"cipc", "goipc", "compare/runner", "internal/sandbox"}},
		{"paritytest", []string{"cipc"}},
	} {
		cmd := exec.Command("go", "list", "-deps", mod+r.pkg)
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+map[bool]string{true: "0", false: "1"}[strings.HasPrefix(r.pkg, "goipc") || strings.HasPrefix(r.pkg, "goidiom")])
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", r.pkg, err)
		}
		deps := strings.Fields(string(out))
		for _, n := range r.never {
			if slices.Contains(deps, n) || slices.Contains(deps, mod+n) {
				t.Errorf("%s imports %s (directly or not): ARCHITECTURE.md says never", r.pkg, n)
			}
		}
	}
}
