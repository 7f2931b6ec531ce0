//go:build linux

package callscript

import (
	"fmt"
	"math"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// The resource limits of call scripts, as strace writes them:
//
//	getrlimit(RLIMIT_NOFILE, rlim) = 0       # rlim shows {rlim_cur=16, rlim_max=16}
//	setrlimit(RLIMIT_NOFILE, {rlim_cur=16, rlim_max=16}) = 0
//	setrlimit(RLIMIT_MSGQUEUE, {rlim_cur=RLIM_INFINITY, rlim_max=RLIM_INFINITY}) = 0
//
// Both interpreters are Go programs, whose runtime raised the soft
// RLIMIT_NOFILE to the hard one at start: a script that counts on a soft
// limit sets it first.

// Limits is the table of the resource-limit calls.
var Limits = newTable(func(t *Table) {
	for name, v := range map[string]int64{
		"RLIMIT_NOFILE": unix.RLIMIT_NOFILE, "RLIMIT_MSGQUEUE": unix.RLIMIT_MSGQUEUE,
		"RLIMIT_NPROC": unix.RLIMIT_NPROC, "RLIMIT_FSIZE": unix.RLIMIT_FSIZE,
		"RLIMIT_MEMLOCK": unix.RLIMIT_MEMLOCK, "RLIMIT_SIGPENDING": unix.RLIMIT_SIGPENDING,
		"RLIMIT_AS": unix.RLIMIT_AS, "RLIMIT_DATA": unix.RLIMIT_DATA, "RLIMIT_STACK": unix.RLIMIT_STACK,
		"RLIMIT_CORE": unix.RLIMIT_CORE, "RLIMIT_CPU": unix.RLIMIT_CPU,
		"RLIM_INFINITY": -1, // unix.RLIM_INFINITY, as an int64
	} {
		t.symbols[name] = v
	}

	// getrlimit(RESOURCE, rlim): rlim shows the limits.
	sided(t, procAPI, "getrlimit", func(c *Call, api sides.Proc) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		res, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		if n, done, err := rawStatus(c, 1, func(p unsafe.Pointer) error { return c.api.Raw.Getrlimit(int(res), p) }); done {
			return n, err
		}
		if e, _ := c.arg(1); e.Kind != ExprOut {
			return 0, fmt.Errorf("%s: expected a name where getrlimit writes (rlim), NULL or BADPTR", e.Src)
		}
		var lim unix.Rlimit
		if err := api.Getrlimit(int(res), &lim); err != nil {
			return -1, err
		}
		c.Show(1, fmt.Sprintf("{rlim_cur=%s, rlim_max=%s}", rlimit(lim.Cur), rlimit(lim.Max)))
		return 0, nil
	})
	// setrlimit(RESOURCE, {rlim_cur=N, rlim_max=N}): both fields.
	sided(t, procAPI, "setrlimit", func(c *Call, api sides.Proc) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		res, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		if n, done, err := rawStatus(c, 1, func(p unsafe.Pointer) error { return c.api.Raw.Setrlimit(int(res), p) }); done {
			return n, err
		}
		f, err := c.Fields(1, "rlim_cur", "rlim_max")
		if err != nil {
			return 0, err
		}
		cur, ok1 := f["rlim_cur"]
		max, ok2 := f["rlim_max"]
		if !ok1 || !ok2 {
			return 0, fmt.Errorf("setrlimit takes both rlim_cur and rlim_max")
		}
		return status(api.Setrlimit(int(res), &unix.Rlimit{Cur: uint64(cur), Max: uint64(max)}))
	})
})

// rlimit shows a limit as strace does: a number or RLIM_INFINITY.
func rlimit(v uint64) string {
	if v == math.MaxUint64 {
		return "RLIM_INFINITY"
	}
	return strconv.FormatUint(v, 10)
}
