//go:build linux

package callscript

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
	"github.com/ipcparity/ipcparity/internal/sides/goside"
)

// transcript runs the script file on api and returns its transcript and
// the mismatches with what the script expects.
func transcript(t *testing.T, file string, api sides.API) (string, []string) {
	t.Helper()
	s, err := lang.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	o, err := lang.Exec(s, api, testToken, &out)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return out.String(), o.Mismatches
}

// readReturnsZero twists api's read to return (0, err) on error, not
// (-1, err).
func readReturnsZero(api *sides.API) {
	read := api.Pipe.Read
	api.Pipe.Read = func(fd int, p []byte) (int, error) {
		n, err := read(fd, p)
		if err != nil {
			return 0, err
		}
		return n, nil
	}
}

// TestWrongSidesShow holds the interpreter to showing what each side
// returned: a side twisted in one way against goipc as it is, on the
// project's own script that must catch the twist, as the parity run
// compares cipc's transcript with goipc's. Each twist shows in the diff,
// and goipc untwisted gives the script's expectations.
func TestWrongSidesShow(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		twist        func(api *sides.API)
		want         string // in the twisted transcript, not in goipc's
	}{
		{
			name: "read returns (0, err) instead of (-1, err)", script: "pipe_ebadf.calls",
			twist: readReturnsZero,
			want:  "= 0 EBADF (Bad file descriptor)",
		},
		{
			name: "a typo in ENOSPC's text", script: "pipe_strerror.calls",
			twist: func(api *sides.API) {
				strerror := api.Errors.Strerror
				api.Errors.Strerror = func(e unix.Errno) string {
					if e == unix.ENOSPC {
						return "No space left on devcie"
					}
					return strerror(e)
				}
			},
			want: `strerror(28) = "No space left on devcie"`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := "../../testdata/calls/" + tc.script
			want, mism := transcript(t, file, goside.API())
			if len(mism) > 0 {
				t.Fatalf("goipc as it is: %q", mism)
			}
			twisted := goside.API()
			tc.twist(&twisted)
			got, _ := transcript(t, file, twisted)
			diff := cmp.Diff(strings.Split(want, "\n"), strings.Split(got, "\n"))
			if diff == "" {
				t.Fatalf("%s: the twisted side's transcript is goipc's: the script does not catch it", tc.script)
			}
			if !strings.Contains(got, tc.want) || strings.Contains(want, tc.want) {
				t.Errorf("%s: differs, but not by %q:\n%s", tc.script, tc.want, diff)
			}
		})
	}
}

// TestExpectedErrnoNeedsMinusOne checks that "= -1 ENAME" holds a side to
// -1 as well as to the errno: a side that fails with the errno but returns
// 0 misses the expectation even where no transcript is compared (verify).
func TestExpectedErrnoNeedsMinusOne(t *testing.T) {
	api := goside.API()
	readReturnsZero(&api)
	_, mism := transcript(t, "../../testdata/calls/pipe_ebadf.calls", api)
	if len(mism) != 1 || !strings.Contains(mism[0], "expected -1 EBADF, got 0 EBADF") {
		t.Errorf("mismatches %q, want the read of the write end", mism)
	}
}
