//go:build linux

package goipc_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/goipc/internal/genunsupported"
)

// TestUnsupportedUpToDate regenerates unsupported.go, the API that goipc
// declares on systems other than Linux, from the Linux files and fails
// when the committed file differs: a change to the exported API needs
// go generate ./goipc.
func TestUnsupportedUpToDate(t *testing.T) {
	want, err := genunsupported.Generate(".")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(genunsupported.Output)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gotLines, wantLines := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gotLines) || i < len(wantLines); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Fatalf("%s is stale (run go generate ./goipc): first difference at line %d:\n  committed: %q\n  generated: %q",
				genunsupported.Output, i+1, g, w)
		}
	}
}
