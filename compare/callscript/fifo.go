//go:build linux

package callscript

import (
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// octal shows a mode as strace does: 0644, 022, 0.
func octal(v int64) string { return fmt.Sprintf("%#o", v) }

// FIFO is the table of the fifo calls.
var FIFO = newTable(func(t *Table) {
	for name, v := range map[string]int64{
		"S_IRWXU": unix.S_IRWXU, "S_IRUSR": unix.S_IRUSR, "S_IWUSR": unix.S_IWUSR, "S_IXUSR": unix.S_IXUSR,
		"S_IRWXG": unix.S_IRWXG, "S_IRGRP": unix.S_IRGRP, "S_IWGRP": unix.S_IWGRP, "S_IXGRP": unix.S_IXGRP,
		"S_IRWXO": unix.S_IRWXO, "S_IROTH": unix.S_IROTH, "S_IWOTH": unix.S_IWOTH, "S_IXOTH": unix.S_IXOTH,
		"S_ISUID": unix.S_ISUID, "S_ISGID": unix.S_ISGID, "S_ISVTX": unix.S_ISVTX,
	} {
		t.symbols[name] = v
	}

	// mkfifo("PATH", MODE)
	sided(t, func(a *sides.API) sides.FIFO { return a.FIFO }, "mkfifo", func(c *Call, api sides.FIFO) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		p, raw, err := rawName(c, 0, false)
		if err != nil {
			return 0, err
		}
		mode, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		if raw {
			return status(c.api.Raw.Mkfifo(p, uint32(mode)))
		}
		path, _ := c.String(0)
		return status(api.Mkfifo(path, uint32(mode)))
	})
	// open("PATH", FLAGS) or open("PATH", FLAGS, MODE): the new descriptor.
	sided(t, func(a *sides.API) sides.FIFO { return a.FIFO }, "open", func(c *Call, api sides.FIFO) (int64, error) {
		path, flags, mode, err := openArgs(c, 0)
		if err != nil {
			return 0, err
		}
		if path.raw {
			return count(c.api.Raw.Open(path.p, flags, mode))
		}
		return count(api.Open(path.s, flags, mode))
	})
	// unlink("PATH")
	t.calls["unlink"] = nameCall(func(a *sides.API, path string) error { return a.FIFO.Unlink(path) }, func(a *sides.API, p unsafe.Pointer) error { return a.Raw.Unlink(p) }, false)
	// umask(MASK): the previous mask, shown in octal.
	sided(t, func(a *sides.API) sides.FIFO { return a.FIFO }, "umask", func(c *Call, api sides.FIFO) (int64, error) {
		if err := c.Arity(1); err != nil {
			return 0, err
		}
		mask, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		old := int64(api.Umask(int(mask)))
		c.Ret = octal(old)
		return old, nil
	})
	// mode("PATH"): not a libc call but an observation that the interpreter
	// makes alike on both sides, with lstat(2). Its value, which an
	// expectation checks, is the permission bits (st_mode & 07777); the
	// transcript shows the file type and the special bits too, as strace
	// does: a script line mode("p$RUN") = 0640 prints
	// mode("p$RUN") = S_IFIFO|0640.
	t.calls["mode"] = func(c *Call) (int64, error) {
		st, err := lstatArg(c)
		if err != nil || st == nil {
			return -1, err
		}
		c.Ret = showMode(st.Mode)
		return int64(st.Mode & 0o7777), nil
	}
})

// openArgs evaluates the arguments of open from argument i on: "PATH"
// (or NULL or BADPTR), FLAGS and MODE, 0 when it is left out.
func openArgs(c *Call, i int) (path pathArg, flags int, mode uint32, err error) {
	if c.NArgs() != i+2 && c.NArgs() != i+3 {
		return pathArg{}, 0, 0, fmt.Errorf("%s takes %d or %d arguments", c.Line.Call, i+2, i+3)
	}
	if path, err = pathOf(c, i); err != nil {
		return pathArg{}, 0, 0, err
	}
	f, err := c.Int(i + 1)
	if err != nil {
		return pathArg{}, 0, 0, err
	}
	var m int64
	if c.NArgs() == i+3 {
		if m, err = c.Int(i + 2); err != nil {
			return pathArg{}, 0, 0, err
		}
	}
	return path, int(f), uint32(m), nil
}

// lstatArg lstats the path, the call's one argument: a nil Stat_t and the
// errno when lstat fails (the call's result), or the script's error.
func lstatArg(c *Call) (*unix.Stat_t, error) {
	if err := c.Arity(1); err != nil {
		return nil, err
	}
	path, err := c.String(0)
	if err != nil {
		return nil, err
	}
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// showMode shows a st_mode as strace does: S_IFIFO|S_ISVTX|0755.
func showMode(mode uint32) string {
	parts := []string{fileType(mode)}
	for _, b := range []struct {
		bit  uint32
		name string
	}{{unix.S_ISUID, "S_ISUID"}, {unix.S_ISGID, "S_ISGID"}, {unix.S_ISVTX, "S_ISVTX"}} {
		if mode&b.bit != 0 {
			parts = append(parts, b.name)
		}
	}
	return strings.Join(append(parts, fmt.Sprintf("%#03o", mode&0o777)), "|")
}

// fileType names the type bits of a st_mode as strace does.
func fileType(mode uint32) string {
	switch mode & unix.S_IFMT {
	case unix.S_IFIFO:
		return "S_IFIFO"
	case unix.S_IFREG:
		return "S_IFREG"
	case unix.S_IFDIR:
		return "S_IFDIR"
	case unix.S_IFLNK:
		return "S_IFLNK"
	case unix.S_IFSOCK:
		return "S_IFSOCK"
	case unix.S_IFCHR:
		return "S_IFCHR"
	case unix.S_IFBLK:
		return "S_IFBLK"
	}
	return fmt.Sprintf("%#o", mode&unix.S_IFMT)
}
