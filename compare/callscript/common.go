//go:build linux

package callscript

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// Common is the table of the calls that belong to no one mechanism: the
// texts of errnos, which every transcript's failed calls show, and the
// effective user, for the permission cases. NewLang adds it to every
// language.
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
	// seteuid(UID): the calls that follow act as the user UID (and back
	// with seteuid(0): the real and saved user stay root). It is not a
	// call under test: both sides make it the same way, through Go's
	// syscall package, which changes every thread of the process (with
	// glibc's setresuid in cipc's cgo binary). A sandbox has a user other
	// than root only when the runner is root (otherwise its user namespace
	// maps root alone, and seteuid fails with EINVAL).
	t.calls["seteuid"] = func(c *Call) (int64, error) {
		if err := c.Arity(1); err != nil {
			return 0, err
		}
		uid, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		return status(unix.Setresuid(-1, int(uid), -1))
	}
})
