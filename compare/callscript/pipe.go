//go:build linux

package callscript

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// Pipe is the table of the pipe calls.
var Pipe = newTable(func(t *Table) {
	for name, v := range map[string]int64{
		"O_RDONLY": unix.O_RDONLY, "O_WRONLY": unix.O_WRONLY, "O_RDWR": unix.O_RDWR,
		"O_CREAT": unix.O_CREAT, "O_EXCL": unix.O_EXCL, "O_TRUNC": unix.O_TRUNC,
		"O_NONBLOCK": unix.O_NONBLOCK, "O_CLOEXEC": unix.O_CLOEXEC, "O_DIRECT": unix.O_DIRECT,
		"O_APPEND": unix.O_APPEND, "O_NOFOLLOW": unix.O_NOFOLLOW,
		"F_GETFL": unix.F_GETFL, "F_SETFL": unix.F_SETFL, "F_GETFD": unix.F_GETFD, "F_SETFD": unix.F_SETFD,
		"FD_CLOEXEC":   unix.FD_CLOEXEC,
		"F_GETPIPE_SZ": unix.F_GETPIPE_SZ, "F_SETPIPE_SZ": unix.F_SETPIPE_SZ,
	} {
		t.symbols[name] = v
	}

	// pipe([$r, $w]): binds the two ends.
	sided(t, func(a *sides.API) sides.Pipe { return a.Pipe }, "pipe", func(c *Call, api sides.Pipe) (int64, error) {
		if err := c.Arity(1); err != nil {
			return 0, err
		}
		if n, done, err := rawStatus(c, 0, func(p unsafe.Pointer) error { return c.api.Raw.Pipe(p) }); done {
			return n, err
		}
		names, err := c.OutVars(0, 2)
		if err != nil {
			return 0, err
		}
		p := make([]int, 2)
		if err := api.Pipe(p); err != nil {
			return -1, err
		}
		c.Bind(names[0], int64(p[0]))
		c.Bind(names[1], int64(p[1]))
		return 0, nil
	})
	// pipe2([$r, $w], FLAGS)
	sided(t, func(a *sides.API) sides.Pipe { return a.Pipe }, "pipe2", func(c *Call, api sides.Pipe) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		flags, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		if n, done, err := rawStatus(c, 0, func(p unsafe.Pointer) error { return c.api.Raw.Pipe2(p, int(flags)) }); done {
			return n, err
		}
		names, err := c.OutVars(0, 2)
		if err != nil {
			return 0, err
		}
		p := make([]int, 2)
		if err := api.Pipe2(p, int(flags)); err != nil {
			return -1, err
		}
		c.Bind(names[0], int64(p[0]))
		c.Bind(names[1], int64(p[1]))
		return 0, nil
	})
	// read(FD, buf, COUNT): the transcript shows what was read in place of
	// buf.
	sided(t, func(a *sides.API) sides.Pipe { return a.Pipe }, "read", func(c *Call, api sides.Pipe) (int64, error) {
		if err := c.Arity(3); err != nil {
			return 0, err
		}
		fd, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		buf, raw, err := outBuffer(c, 1, 2) // raw: NULL or BADPTR (mem.go)
		if err != nil {
			return 0, err
		}
		got, rerr := api.Read(int(fd), buf)
		if rerr != nil {
			return int64(got), rerr // as the side returned it (raw)
		}
		if !raw {
			c.Show(1, Quote(buf[:got]))
		}
		return int64(got), nil
	})
	// write(FD, "data", COUNT): COUNT bytes of the data (at most its length).
	sided(t, func(a *sides.API) sides.Pipe { return a.Pipe }, "write", func(c *Call, api sides.Pipe) (int64, error) {
		if err := c.Arity(3); err != nil {
			return 0, err
		}
		fd, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		data, _, err := inBuffer(c, 1) // or NULL or BADPTR (mem.go)
		if err != nil {
			return 0, err
		}
		return count(api.Write(int(fd), data))
	})
	// close(FD)
	sided(t, func(a *sides.API) sides.Pipe { return a.Pipe }, "close", func(c *Call, api sides.Pipe) (int64, error) {
		a, err := c.Ints(1)
		if err != nil {
			return 0, err
		}
		return status(api.Close(a[0]))
	})
	// fcntl(FD, CMD) or fcntl(FD, CMD, ARG) for integer arguments.
	sided(t, func(a *sides.API) sides.Pipe { return a.Pipe }, "fcntl", func(c *Call, api sides.Pipe) (int64, error) {
		if c.NArgs() != 2 && c.NArgs() != 3 {
			return 0, fmt.Errorf("fcntl takes 2 or 3 arguments")
		}
		fd, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		cmd, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		var arg int64
		if c.NArgs() == 3 {
			if arg, err = c.Int(2); err != nil {
				return 0, err
			}
		}
		return count(api.FcntlInt(int(fd), int(cmd), int(arg)))
	})
})
