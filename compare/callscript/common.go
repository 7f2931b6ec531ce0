//go:build linux

package callscript

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// Common is the table of the calls that belong to no one mechanism and
// that the interpreter makes alike on both sides: the texts of errnos,
// which every transcript's failed calls show. NewLang adds it to every
// language. seteuid, for the permission cases, is each side's own
// (files.go).
var Common = newTable(func(t *Table) {
	// strerror(ERRNO): the side's text for an errno; the transcript shows
	// it quoted after =, whole, so that the parity run compares the texts
	// of errnos that no call of a script fails with.
	t.calls["strerror"] = func(c *Call) (int64, error) {
		if err := c.Arity(1); err != nil {
			return 0, err
		}
		e, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		c.Ret = strconv.Quote(c.api.Errors.Strerror(unix.Errno(e)))
		return 0, nil
	}
})
