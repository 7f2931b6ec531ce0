//go:build linux

package callscript

import (
	"fmt"
	"strconv"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// Pointers and memory in call scripts:
//
//	write($w, BADPTR, 8) = -1 EFAULT
//	read($r, NULL, 8) = -1 EFAULT
//	mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $area
//	mmap($area, 4096, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, $fd, 0) = $m
//	poke($m, 0, "hello", 5) = 5
//	peek($m, 0, buf, 5) = 5
//
// BADPTR is an address mapped nowhere the process may read or write: the
// start of 16 MiB of address space the interpreter reserves with
// PROT_NONE, so that a buffer of any size a script may give lies in it.
// BADPTR and NULL stand for the buffer of read, write, send, recv, mq_send,
// mq_timedsend, mq_receive and mq_timedreceive, epoll_wait's events,
// epoll_ctl's event, timerfd_settime's new and old value and signalfd's
// mask: glibc passes each to the kernel as it is, which refuses it with
// EFAULT (NULL means "none" where the call says so: epoll_ctl's event for
// EPOLL_CTL_DEL, timerfd_settime's old value). Both sides pass the address
// on untouched, through a slice or pointer that no Go code reads or
// writes.
//
// Where glibc itself reads the pointer, a bad one kills the process with
// SIGSEGV before any system call, and there is no errno to compare: a
// semaphore given as NULL or BADPTR to sem_post, sem_wait, sem_trywait,
// sem_timedwait, sem_getvalue or sem_init, and a NULL deadline of
// sem_timedwait, are script errors that say so. sem_close(NULL) is not:
// glibc looks the address up among the semaphores sem_open gave and says
// EINVAL. sem_destroy(NULL) is refused too: glibc's does nothing and
// returns 0, but the sides take a semaphore, not an address. Strings
// (names and paths) cannot be BADPTR: the sides take Go strings.
//
// mmap's address is NULL (the kernel chooses) or a mapping the script
// holds or held ($area: its start), as a hint, with MAP_FIXED_NOREPLACE
// or with MAP_FIXED; with MAP_FIXED the new mapping must lie within $area,
// so that a script only ever replaces its own memory. No other address can
// be written: one that means something in one process (cgo's or Go's
// layout) means something else in the other. The transcript shows
// <mapping LENGTH at $area> when the mapping starts at the address asked
// for, else <mapping LENGTH>.
//
// peek and poke are not libc calls but the interpreter's look at memory,
// the same code on both sides: peek(MAPPING, OFFSET, buf, COUNT) reads
// COUNT bytes at OFFSET into the mapping and shows them, poke(MAPPING,
// OFFSET, "data", COUNT) writes them. They copy with process_vm_readv and
// process_vm_writev on the process itself, so memory that is not
// readable or writable there (PROT_NONE, unmapped) gives -1 EFAULT rather
// than a crash. OFFSET and COUNT must lie within the mapping as mmap
// bound it.

// badPtrName is the constant that stands for a bad pointer.
const badPtrName = "BADPTR"

// badRegion reserves the address space BADPTR points into.
var badRegion = sync.OnceValues(func() (unsafe.Pointer, error) {
	b, err := unix.Mmap(-1, 0, maxBuffer, unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	if err != nil {
		return nil, fmt.Errorf("reserving the address space of BADPTR: %v", err)
	}
	return unsafe.Pointer(&b[0]), nil
})

// pointerArg reports whether argument i is NULL or BADPTR, and gives the
// address it stands for.
func pointerArg(c *Call, i int) (p unsafe.Pointer, isPointer bool, err error) {
	e, err := c.arg(i)
	if err != nil {
		return nil, false, err
	}
	switch {
	case e.Kind == ExprNull:
		return nil, true, nil
	case e.Kind == ExprName && e.Name == badPtrName:
		p, err := badRegion()
		return p, true, err
	}
	return nil, false, nil
}

// rawStatus makes call with the pointer that argument i stands for when
// the script gives NULL or BADPTR there (done), and returns its status;
// otherwise done is false and the caller reads the argument's value.
func rawStatus(c *Call, i int, call func(p unsafe.Pointer) error) (n int64, done bool, err error) {
	p, raw, err := pointerArg(c, i)
	if err != nil {
		return 0, true, err
	}
	if !raw {
		return 0, false, nil
	}
	n, err = status(call(p))
	return n, true, err
}

// rawName evaluates argument i, a name or path, where a script may give
// NULL or BADPTR: the address of a NUL-terminated copy of the string, or
// the pointer given (raw). glibcReads says that glibc reads the name
// itself before the system call: a bad one kills a C program with
// SIGSEGV, so the call must be in a forked child, whose status shows it.
func rawName(c *Call, i int, glibcReads bool) (p unsafe.Pointer, raw bool, err error) {
	if p, raw, err = pointerArg(c, i); err != nil || !raw {
		if err == nil {
			var s string
			if s, err = c.String(i); err == nil {
				p = unsafe.Pointer(unsafe.StringData(s + "\x00"))
			}
		}
		return p, false, err
	}
	if glibcReads && !c.st.inherited {
		e, _ := c.arg(i)
		return nil, true, fmt.Errorf("%s: glibc's %s reads the name itself, and a C program dies of SIGSEGV before any system call: make the call in a child (fork() = $c { ... }) and wait for it", e.Src, c.Line.Call)
	}
	return p, true, nil
}

// pathArg is a path argument: the string s, and p, the address of a
// NUL-terminated copy of it or (raw) the NULL or BADPTR the script gave.
type pathArg struct {
	s   string
	p   unsafe.Pointer
	raw bool
}

// pathOf evaluates argument i, a path that may be NULL or BADPTR (which
// the kernel, not glibc, reads).
func pathOf(c *Call, i int) (pathArg, error) {
	p, raw, err := rawName(c, i, false)
	if err != nil || raw {
		return pathArg{p: p, raw: raw}, err
	}
	s, err := c.String(i)
	return pathArg{s: s, p: p}, err
}

// sliceHeader is the layout of a slice: a NULL buffer with a count is a
// slice with no data pointer and a length, which unsafe.Slice refuses to
// make.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// rawSlice is n elements at p as a slice, for a side to pass on as an
// address: nothing may read or write its elements.
func rawSlice[T any](p unsafe.Pointer, n int) []T {
	if p != nil {
		return unsafe.Slice((*T)(p), n)
	}
	var s []T
	*(*sliceHeader)(unsafe.Pointer(&s)) = sliceHeader{nil, n, n}
	return s
}

// countArg evaluates argument i, the size of a buffer, as Buffer does.
func countArg(c *Call, i int) (int, error) {
	n, err := c.Int(i)
	if err != nil {
		return 0, err
	}
	if n < 0 || n > maxBuffer {
		return 0, fmt.Errorf("%s: buffer size %d out of range (0 to %d)", c.Line.Call, n, maxBuffer)
	}
	return int(n), nil
}

// inBuffer evaluates argument i, the buffer a call reads (write's), and
// argument i+1, its count: the bytes of a string as Counted gives them, or
// NULL or BADPTR for COUNT bytes. raw says it is an address.
func inBuffer(c *Call, i int) (buf []byte, raw bool, err error) {
	p, raw, err := pointerArg(c, i)
	if err != nil || !raw {
		if err == nil {
			buf, err = c.Counted(i)
		}
		return buf, false, err
	}
	n, err := countArg(c, i+1)
	return rawSlice[byte](p, n), true, err
}

// outBuffer evaluates argument i, the buffer a call fills (read's), and
// argument j, its size: a fresh buffer, or NULL or BADPTR. raw says it is
// an address, which the transcript shows as written.
func outBuffer(c *Call, i, j int) (buf []byte, raw bool, err error) {
	p, raw, err := pointerArg(c, i)
	if err != nil {
		return nil, false, err
	}
	n, err := countArg(c, j)
	if err != nil {
		return nil, false, err
	}
	if raw {
		return rawSlice[byte](p, n), true, nil
	}
	return make([]byte, n), false, nil
}

// noBadSem refuses NULL and BADPTR as argument i of a semaphore call whose
// glibc reads the sem_t (or the deadline) in user space.
func noBadSem(c *Call, i int, what string) error {
	if _, bad, err := pointerArg(c, i); err != nil || !bad {
		return err
	}
	return fmt.Errorf("%s(%s): glibc reads the %s in user space, and the process dies of SIGSEGV: no errno to compare (see testdata/calls/README.md)",
		c.Line.Call, c.Line.Args[i].Src, what)
}

// mmapAt carries out mmap with an address (argument 0 is not NULL).
func mmapAt(c *Call, api *sides.API, length, prot, flags, fd, offset int64) (int64, error) {
	e, _ := c.arg(0)
	var addr unsafe.Pointer
	fixed := flags&unix.MAP_FIXED != 0
	switch e.Kind {
	case ExprVar:
		m, err := mappingArg(c, 0)
		if err != nil {
			return 0, err
		}
		if fixed && length > int64(len(m)) {
			return 0, fmt.Errorf("mmap with MAP_FIXED at %s: %d bytes do not lie within its %d", e.Src, length, len(m))
		}
		addr = unsafe.Pointer(unsafe.SliceData(m))
	default:
		return 0, fmt.Errorf("%s: mmap's address is NULL or a mapping ($m)", e.Src)
	}
	m, err := api.Mem.MmapAt(addr, int(length), int(prot), int(flags), int(fd), offset)
	if err != nil {
		return -1, err
	}
	c.Ret = "<mapping " + strconv.FormatInt(length, 10) + ">"
	if unsafe.Pointer(unsafe.SliceData(m)) == addr {
		c.Ret = "<mapping " + strconv.FormatInt(length, 10) + " at " + e.Src + ">"
	}
	c.Bound = m
	return 0, nil
}

// memRange evaluates arguments 0 (a mapping) and 1 (an offset into it) and
// the count at argument n, and gives the address and the count; the range
// must lie within the mapping.
func memRange(c *Call, n int) (uintptr, int, error) {
	m, err := mappingArg(c, 0)
	if err != nil {
		return 0, 0, err
	}
	off, err := c.Int(1)
	if err != nil {
		return 0, 0, err
	}
	count, err := countArg(c, n)
	if err != nil {
		return 0, 0, err
	}
	if off < 0 || off+int64(count) > int64(len(m)) {
		return 0, 0, fmt.Errorf("%s: %d bytes at %d do not lie within the mapping's %d", c.Line.Call, count, off, len(m))
	}
	return uintptr(unsafe.Pointer(unsafe.SliceData(m))) + uintptr(off), count, nil
}

// Mem is the table of the memory calls: peek and poke, BADPTR, and the
// constants of mmap with an address.
var Mem = newTable(func(t *Table) {
	for name, v := range map[string]int64{
		"MAP_ANONYMOUS": unix.MAP_ANONYMOUS, "MAP_FIXED": unix.MAP_FIXED,
		"MAP_FIXED_NOREPLACE": unix.MAP_FIXED_NOREPLACE, "MAP_NORESERVE": unix.MAP_NORESERVE,
		"MAP_POPULATE": unix.MAP_POPULATE, "PROT_EXEC": unix.PROT_EXEC,
		// BADPTR stands where a pointer goes; where a number goes it is a
		// script error (evalInt).
		badPtrName: 0,
	} {
		t.symbols[name] = v
	}

	// peek(MAPPING, OFFSET, buf, COUNT): COUNT; buf shows the bytes.
	t.calls["peek"] = func(c *Call) (int64, error) {
		if err := c.Arity(4); err != nil {
			return 0, err
		}
		addr, n, err := memRange(c, 3)
		if err != nil {
			return 0, err
		}
		buf := make([]byte, n)
		got, rerr := unix.ProcessVMReadv(unix.Getpid(), []unix.Iovec{iovec(buf)}, []unix.RemoteIovec{{Base: addr, Len: n}}, 0)
		if rerr != nil {
			return -1, rerr
		}
		c.Show(2, Quote(buf[:got]))
		return int64(got), nil
	}
	// poke(MAPPING, OFFSET, "data", COUNT): COUNT.
	t.calls["poke"] = func(c *Call) (int64, error) {
		if err := c.Arity(4); err != nil {
			return 0, err
		}
		data, err := c.Counted(2)
		if err != nil {
			return 0, err
		}
		addr, n, err := memRange(c, 3)
		if err != nil {
			return 0, err
		}
		got, werr := unix.ProcessVMWritev(unix.Getpid(), []unix.Iovec{iovec(data[:n])}, []unix.RemoteIovec{{Base: addr, Len: n}}, 0)
		if werr != nil {
			return -1, werr
		}
		return int64(got), nil
	}
})

// iovec is b as a struct iovec.
func iovec(b []byte) unix.Iovec {
	v := unix.Iovec{Base: unsafe.SliceData(b)}
	v.SetLen(len(b))
	return v
}
