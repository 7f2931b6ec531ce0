//go:build linux

package callscript

import (
	"fmt"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// The shared-memory and semaphore calls of call scripts, as glibc declares
// them:
//
//	shm_open("/s$RUN", O_CREAT|O_EXCL|O_RDWR, 0600) = $fd
//	shm_unlink("/s$RUN") = 0
//	ftruncate($fd, 100) = 0
//	mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, $fd, 0) = $m
//	munmap($m, 4096) = 0
//	sem_open("/s$RUN", O_CREAT|O_EXCL, 0600, 1) = $s
//	sem_open("/s$RUN", 0) = $s
//	sem_close($s) = 0
//	sem_unlink("/s$RUN") = 0
//	sem_post($s) = 0
//	sem_wait($s) = 0
//	sem_trywait($s) = -1 EAGAIN
//	sem_timedwait($s, {tv_sec=+0, tv_nsec=+20000000}) = -1 ETIMEDOUT
//	sem_getvalue($s, sval) = 0
//	sem_init($m, 1, 0) = 0
//	sem_destroy($m) = 0
//
// mmap's first argument is NULL (the kernel chooses the address). Its
// result, bound with = $m, is the mapping; the transcript shows it as
// <mapping LENGTH>, never as an address, which differs from run to run.
// munmap($m, N) unmaps the first N bytes of the mapping (N at most its
// length); a script must not use $m for a semaphore after that.
//
// sem_open's result is the semaphore, shown as <sem N>: N counts the
// distinct semaphores the script has opened, so that a second sem_open of
// the same name, which glibc answers with the same sem_t *, shows the same
// N. sem_open with O_CREAT takes all four arguments; without O_CREAT, two
// (C's variadic sem_open reads no more).
//
// A semaphore argument is a variable bound by sem_open, or a mapping: as in
// C, where sem_init((sem_t *)m, ...) puts a semaphore at the start of the
// mapping m and sem_post((sem_t *)m) uses it, the calls take the
// semaphore at the start of the mapping (SemInit, SemAt).
//
// sem_getvalue's out argument shows the value in brackets ([1]).
// sem_timedwait's deadline is the message-queue calls' notation (see
// compare/calls_mq.go): {tv_sec=S, tv_nsec=N} absolute, {tv_sec=+S,
// tv_nsec=+N} relative to the call.

// shmSemsVar is where a script's variables keep the semaphores sem_open
// gave, in order, for their numbers (<sem N>); no script can name it.
const shmSemsVar = " sems"

// semNumber is the number of s among the semaphores the script has opened,
// counting from 1; a new one gets the next number.
func semNumber(c *Call, s sides.Semaphore) int {
	sems, _ := c.vars[shmSemsVar].([]sides.Semaphore)
	for i, t := range sems {
		if t == s {
			return i + 1
		}
	}
	c.vars[shmSemsVar] = append(sems, s)
	return len(sems) + 1
}

// mappingArg is argument i as a mapping: a variable that mmap bound.
func mappingArg(c *Call, i int) ([]byte, error) {
	v, err := c.Handle(i)
	if err != nil {
		return nil, err
	}
	m, ok := v.([]byte)
	if !ok {
		return nil, fmt.Errorf("%s is not a mapping", c.Line.Args[i].Src)
	}
	return m, nil
}

// semArg is argument i as a semaphore: a variable that sem_open bound, or a
// mapping with a semaphore at its start.
func semArg(c *Call, api *sides.API, i int) (sides.Semaphore, error) {
	if c.Line.Call == "sem_close" && c.IsNull(i) {
		return nil, nil // glibc finds no such semaphore: EINVAL (mem.go)
	}
	if err := noBadSem(c, i, "sem_t"); err != nil {
		return nil, err
	}
	v, err := c.Handle(i)
	if err != nil {
		return nil, err
	}
	switch s := v.(type) {
	case sides.Semaphore:
		return s, nil
	case []byte:
		return api.Sem.At(s)
	}
	return nil, fmt.Errorf("%s is neither a semaphore nor a mapping", c.Line.Args[i].Src)
}

// semValue evaluates argument i as sem_open's and sem_init's unsigned int
// value: a number from 0 to 2^32-1.
func semValue(c *Call, i int) (uint, error) {
	v, err := c.Int(i)
	if err != nil {
		return 0, err
	}
	if v < 0 || v > 0xffffffff {
		return 0, fmt.Errorf("%s: a value is a C unsigned int, 0 to 4294967295", c.Line.Args[i].Src)
	}
	return uint(v), nil
}

// semCall carries out a call whose one argument is a semaphore.
func semCall(op func(s sides.Semaphore) error) callFunc {
	return func(c *Call) (int64, error) {
		api := c.api
		if err := c.Arity(1); err != nil {
			return 0, err
		}
		s, err := semArg(c, api, 0)
		if err != nil {
			return 0, err
		}
		if err := op(s); err != nil {
			return -1, err
		}
		return 0, nil
	}
}

// Shm is the table of the shm calls.
var Shm = newTable(func(t *Table) {
	for name, v := range map[string]int64{
		"PROT_NONE": unix.PROT_NONE, "PROT_READ": unix.PROT_READ, "PROT_WRITE": unix.PROT_WRITE,
		"MAP_SHARED": unix.MAP_SHARED, "MAP_PRIVATE": unix.MAP_PRIVATE,
		"SEM_VALUE_MAX": sides.SEM_VALUE_MAX,
	} {
		t.symbols[name] = v
	}

	// shm_open(NAME, OFLAG, MODE): the descriptor.
	sided(t, whole, "shm_open", func(c *Call, api *sides.API) (int64, error) {
		if err := c.Arity(3); err != nil {
			return 0, err
		}
		p, raw, err := rawName(c, 0, true)
		if err != nil {
			return 0, err
		}
		oflag, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		mode, err := c.Int(2)
		if err != nil {
			return 0, err
		}
		if raw {
			return count(api.Raw.ShmOpen(p, int(oflag), uint32(mode)))
		}
		name, _ := c.String(0)
		return count(api.Shm.Open(name, int(oflag), uint32(mode)))
	})
	// shm_unlink(NAME)
	t.calls["shm_unlink"] = nameCall(func(a *sides.API, name string) error { return a.Shm.Unlink(name) }, func(a *sides.API, p unsafe.Pointer) error { return a.Raw.ShmUnlink(p) }, true)
	// ftruncate(FD, LENGTH)
	sided(t, whole, "ftruncate", func(c *Call, api *sides.API) (int64, error) {
		a, err := c.Ints(2)
		if err != nil {
			return 0, err
		}
		return status(api.Shm.Ftruncate(a[0], int64(a[1])))
	})
	// mmap(NULL, LENGTH, PROT, FLAGS, FD, OFFSET): the mapping, shown as
	// <mapping LENGTH>; with an address instead of NULL, see mem.go.
	sided(t, whole, "mmap", func(c *Call, api *sides.API) (int64, error) {
		if err := c.Arity(6); err != nil {
			return 0, err
		}
		var v [5]int64
		for k := range v {
			var err error
			if v[k], err = c.Int(k + 1); err != nil {
				return 0, err
			}
		}
		length, prot, flags, fd, offset := v[0], v[1], v[2], v[3], v[4]
		if length < 0 || length > 1<<30 {
			return 0, fmt.Errorf("mmap length %d out of range (0 to %d)", length, 1<<30)
		}
		if !c.IsNull(0) {
			return mmapAt(c, api, length, prot, flags, fd, offset) // mem.go
		}
		m, merr := api.Shm.Mmap(int(fd), offset, int(length), int(prot), int(flags))
		if merr != nil {
			return -1, merr
		}
		c.Ret = "<mapping " + strconv.FormatInt(length, 10) + ">"
		c.Bound = m
		return 0, nil
	})
	// munmap($m, LENGTH): the first LENGTH bytes of the mapping $m.
	sided(t, whole, "munmap", func(c *Call, api *sides.API) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		m, err := mappingArg(c, 0)
		if err != nil {
			return 0, err
		}
		n, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		if n < 0 || n > int64(len(m)) {
			return 0, fmt.Errorf("munmap length %d is not within the mapping's %d bytes", n, len(m))
		}
		return status(api.Shm.Munmap(m[:n]))
	})
	// sem_open(NAME, OFLAG) or sem_open(NAME, OFLAG, MODE, VALUE): the
	// semaphore, shown as <sem N>.
	sided(t, whole, "sem_open", func(c *Call, api *sides.API) (int64, error) {
		if c.NArgs() != 2 && c.NArgs() != 4 {
			return 0, fmt.Errorf("sem_open takes 2 or 4 arguments, not %d", c.NArgs())
		}
		p, raw, err := rawName(c, 0, true)
		if err != nil {
			return 0, err
		}
		oflag, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		if oflag&unix.O_CREAT != 0 && c.NArgs() != 4 {
			return 0, fmt.Errorf("sem_open with O_CREAT takes 4 arguments (C's would read a mode and a value that are not there)")
		}
		var mode int64
		var value uint
		if c.NArgs() == 4 {
			if mode, err = c.Int(2); err != nil {
				return 0, err
			}
			if value, err = semValue(c, 3); err != nil {
				return 0, err
			}
		}
		if raw {
			return status(api.Raw.SemOpen(p, int(oflag), uint32(mode), value))
		}
		name, _ := c.String(0)
		s, oerr := api.Sem.Open(name, int(oflag), uint32(mode), value)
		if oerr != nil {
			return -1, oerr
		}
		c.Ret = "<sem " + strconv.Itoa(semNumber(c, s)) + ">"
		c.Bound = s
		return 0, nil
	})
	// sem_close($s)
	sided(t, whole, "sem_close", func(c *Call, api *sides.API) (int64, error) {
		return semCall(api.Sem.Close)(c)
	})
	// sem_unlink(NAME)
	t.calls["sem_unlink"] = nameCall(func(a *sides.API, name string) error { return a.Sem.Unlink(name) }, func(a *sides.API, p unsafe.Pointer) error { return a.Raw.SemUnlink(p) }, true)
	// sem_post($s), sem_wait($s), sem_trywait($s)
	t.calls["sem_post"] = semCall(sides.Semaphore.Post)
	t.calls["sem_wait"] = semCall(sides.Semaphore.Wait)
	t.calls["sem_trywait"] = semCall(sides.Semaphore.Trywait)
	// sem_timedwait($s, DEADLINE)
	sided(t, whole, "sem_timedwait", func(c *Call, api *sides.API) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		s, err := semArg(c, api, 0)
		if err != nil {
			return 0, err
		}
		if err := noBadSem(c, 1, "deadline"); err != nil {
			return 0, err
		}
		ts, err := deadlineArg(c, 1)
		if err != nil {
			return 0, err
		}
		if err := s.Timedwait(ts); err != nil {
			return -1, err
		}
		return 0, nil
	})
	// sem_getvalue($s, sval): the value shows in place of sval.
	sided(t, whole, "sem_getvalue", func(c *Call, api *sides.API) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		s, err := semArg(c, api, 0)
		if err != nil {
			return 0, err
		}
		if null, err := outArg(c, 1); err != nil || null {
			if err == nil {
				err = fmt.Errorf("sem_getvalue's out argument cannot be NULL here (C would crash)")
			}
			return 0, err
		}
		v, gerr := s.Getvalue()
		if gerr != nil {
			return -1, gerr
		}
		c.Show(1, "["+strconv.Itoa(v)+"]")
		return 0, nil
	})
	// sem_init($m, PSHARED, VALUE): a semaphore at the start of mapping $m.
	sided(t, whole, "sem_init", func(c *Call, api *sides.API) (int64, error) {
		if err := c.Arity(3); err != nil {
			return 0, err
		}
		if err := noBadSem(c, 0, "sem_t"); err != nil {
			return 0, err
		}
		m, err := mappingArg(c, 0)
		if err != nil {
			return 0, err
		}
		pshared, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		value, err := semValue(c, 2)
		if err != nil {
			return 0, err
		}
		if _, err := api.Sem.Init(m, pshared != 0, value); err != nil {
			return -1, err
		}
		return 0, nil
	})
	// sem_destroy($m)
	sided(t, whole, "sem_destroy", func(c *Call, api *sides.API) (int64, error) {
		return semCall(api.Sem.Destroy)(c)
	})
})

// whole gives a call all of a side's primitives: the shared-memory calls
// use the semaphore calls, and mmap's descriptor comes from shm_open.
func whole(a *sides.API) *sides.API { return a }
