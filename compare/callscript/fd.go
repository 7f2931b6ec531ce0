//go:build linux

package callscript

import (
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// The descriptor calls that belong to no one mechanism, as strace writes
// them (glibc's names: signalfd, not signalfd4):
//
//	dup($r) = $d
//	dup2($r, 9) = 9
//	dup3($r, 9, O_CLOEXEC) = 9
//	socketpair(AF_UNIX, SOCK_STREAM, 0, [$a, $b]) = 0
//	eventfd(0, EFD_NONBLOCK) = $e
//	epoll_create1(EPOLL_CLOEXEC) = $ep
//	epoll_ctl($ep, EPOLL_CTL_ADD, $e, {events=EPOLLIN, data=7}) = 0
//	epoll_wait($ep, events, 4, 0) = 1
//	memfd_create("m", MFD_CLOEXEC) = $m
//	timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK) = $t
//	timerfd_settime($t, 0, {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=0, tv_nsec=1}}, NULL) = 0
//	signalfd(-1, [SIGUSR1, SIGUSR2], SFD_NONBLOCK) = $s
//
// epoll_ctl's event is {events=BITS, data=N}, data the 64 bits of
// epoll_data (strace writes data={u32=N, u64=N}), or NULL. epoll_wait
// shows the events it stored in place of its second argument, as strace
// does: [{events=EPOLLIN, data=7}]; its maxevents (0 to 1024) is the size
// of the array passed. timerfd_settime's old value is NULL or a lower-case
// name (old), which shows the interval replaced and, since the time left
// depends on the run, it_value as {tv_sec=0, tv_nsec=0} when the timer was
// disarmed or spent and "armed" when it was not. signalfd's mask is an
// array of signal numbers (the first 64) or NULL.
//
// Read and write (the pipe's) read an eventfd or timerfd counter, 8 bytes
// in host byte order ("\x01\x00\x00\x00\x00\x00\x00\x00" on x86), and
// poll (the socket table's) waits on any descriptor.

// maxEpollEvents bounds epoll_wait's maxevents in scripts.
const maxEpollEvents = 1024

// epollBits names the epoll event bits in the order strace shows them.
var epollBits = []namedBit[uint32]{
	{"EPOLLIN", unix.EPOLLIN}, {"EPOLLPRI", unix.EPOLLPRI}, {"EPOLLOUT", unix.EPOLLOUT},
	{"EPOLLERR", unix.EPOLLERR}, {"EPOLLHUP", unix.EPOLLHUP}, {"EPOLLRDHUP", unix.EPOLLRDHUP},
	{"EPOLLEXCLUSIVE", unix.EPOLLEXCLUSIVE}, {"EPOLLWAKEUP", unix.EPOLLWAKEUP},
	{"EPOLLONESHOT", unix.EPOLLONESHOT}, {"EPOLLET", unix.EPOLLET},
}

// leadingInts evaluates the first n arguments as integers, as Int does.
func leadingInts(c *Call, n int) ([]int, error) {
	a := make([]int, n)
	for i := range a {
		v, err := c.Int(i)
		if err != nil {
			return nil, err
		}
		a[i] = int(v)
	}
	return a, nil
}

// fdOf picks the descriptor calls of a side.
func fdOf(a *sides.API) sides.FD { return a.FD }

// epollEventArg evaluates argument i, {events=BITS, data=N} or NULL.
func epollEventArg(c *Call, i int) (*unix.EpollEvent, error) {
	if p, raw, err := pointerArg(c, i); err != nil || raw {
		return (*unix.EpollEvent)(p), err
	}
	f, err := c.Fields(i, "events", "data")
	if err != nil {
		return nil, err
	}
	data := uint64(f["data"])
	return &unix.EpollEvent{Events: uint32(f["events"]), Fd: int32(uint32(data)), Pad: int32(uint32(data >> 32))}, nil
}

// itimerspecArg evaluates argument i, {it_interval={tv_sec=S, tv_nsec=N},
// it_value={...}}; a missing field is 0.
func itimerspecArg(c *Call, i int) (*unix.ItimerSpec, error) {
	if p, raw, err := pointerArg(c, i); err != nil || raw {
		return (*unix.ItimerSpec)(p), err
	}
	e, err := c.arg(i)
	if err != nil {
		return nil, err
	}
	if e.Kind != ExprStruct {
		return nil, fmt.Errorf("%s: expected {it_interval={tv_sec=S, tv_nsec=N}, it_value={...}}", e.Src)
	}
	var its unix.ItimerSpec
	for _, f := range e.Elems {
		var ts *unix.Timespec
		switch f.Field {
		case "it_interval":
			ts = &its.Interval
		case "it_value":
			ts = &its.Value
		default:
			return nil, fmt.Errorf("%s has no field %s (fields: it_interval, it_value)", e.Src, f.Field)
		}
		if f.Kind != ExprStruct {
			return nil, fmt.Errorf("%s: expected {tv_sec=S, tv_nsec=N}", f.Src)
		}
		for _, g := range f.Elems {
			v, err := c.evalInt(g)
			if err != nil {
				return nil, err
			}
			switch g.Field {
			case "tv_sec":
				ts.Sec = v
			case "tv_nsec":
				ts.Nsec = v
			default:
				return nil, fmt.Errorf("%s has no field %s (fields: tv_sec, tv_nsec)", f.Src, g.Field)
			}
		}
	}
	return &its, nil
}

// sigsetArg evaluates argument i, an array of signal numbers from 1 to 64,
// or NULL.
func sigsetArg(c *Call, i int) (*unix.Sigset_t, error) {
	if p, raw, err := pointerArg(c, i); err != nil || raw {
		return (*unix.Sigset_t)(p), err
	}
	e, _ := c.arg(i)
	return c.sigset(e, 64)
}

// sigset evaluates e, an array of signal numbers from 1 to max.
func (c *Call) sigset(e *Expr, max int64) (*unix.Sigset_t, error) {
	if e.Kind != ExprArray {
		return nil, fmt.Errorf("%s: expected an array of signals [SIGUSR1, ...] or NULL", e.Src)
	}
	var set unix.Sigset_t
	for _, el := range e.Elems {
		v, err := c.evalInt(el)
		if err != nil {
			return nil, err
		}
		if v < 1 || v > max {
			return nil, fmt.Errorf("%s: a signal is from 1 to %d", el.Src, max)
		}
		set.Val[0] |= 1 << (v - 1)
	}
	return &set, nil
}

// FD is the table of the descriptor calls.
var FD = newTable(func(t *Table) {
	for name, v := range map[string]int64{
		"EFD_CLOEXEC": unix.EFD_CLOEXEC, "EFD_NONBLOCK": unix.EFD_NONBLOCK, "EFD_SEMAPHORE": unix.EFD_SEMAPHORE,
		"EPOLL_CLOEXEC": unix.EPOLL_CLOEXEC,
		"EPOLL_CTL_ADD": unix.EPOLL_CTL_ADD, "EPOLL_CTL_MOD": unix.EPOLL_CTL_MOD, "EPOLL_CTL_DEL": unix.EPOLL_CTL_DEL,
		"MFD_CLOEXEC": unix.MFD_CLOEXEC, "MFD_ALLOW_SEALING": unix.MFD_ALLOW_SEALING, "MFD_HUGETLB": unix.MFD_HUGETLB,
		"CLOCK_REALTIME": unix.CLOCK_REALTIME, "CLOCK_MONOTONIC": unix.CLOCK_MONOTONIC,
		"CLOCK_BOOTTIME": unix.CLOCK_BOOTTIME, "CLOCK_PROCESS_CPUTIME_ID": unix.CLOCK_PROCESS_CPUTIME_ID,
		"TFD_CLOEXEC": unix.TFD_CLOEXEC, "TFD_NONBLOCK": unix.TFD_NONBLOCK, "TFD_TIMER_ABSTIME": unix.TFD_TIMER_ABSTIME,
		"SFD_CLOEXEC": unix.SFD_CLOEXEC, "SFD_NONBLOCK": unix.SFD_NONBLOCK,
		"SIGHUP": int64(unix.SIGHUP), "SIGINT": int64(unix.SIGINT), "SIGPIPE": int64(unix.SIGPIPE),
		"SIGALRM": int64(unix.SIGALRM), "SIGTERM": int64(unix.SIGTERM), "SIGCHLD": int64(unix.SIGCHLD),
		"SIGUSR1": int64(unix.SIGUSR1), "SIGUSR2": int64(unix.SIGUSR2), "SIGKILL": int64(unix.SIGKILL),
	} {
		t.symbols[name] = v
	}
	for _, b := range epollBits {
		t.symbols[b.name] = int64(b.bit)
	}

	// dup(FD): the new descriptor.
	sided(t, fdOf, "dup", func(c *Call, api sides.FD) (int64, error) {
		a, err := c.Ints(1)
		if err != nil {
			return 0, err
		}
		return count(api.Dup(a[0]))
	})
	// dup2(OLDFD, NEWFD): NEWFD.
	sided(t, fdOf, "dup2", func(c *Call, api sides.FD) (int64, error) {
		a, err := c.Ints(2)
		if err != nil {
			return 0, err
		}
		return count(api.Dup2(a[0], a[1]))
	})
	// dup3(OLDFD, NEWFD, FLAGS): NEWFD.
	sided(t, fdOf, "dup3", func(c *Call, api sides.FD) (int64, error) {
		a, err := c.Ints(3)
		if err != nil {
			return 0, err
		}
		return count(api.Dup3(a[0], a[1], a[2]))
	})
	// socketpair(DOMAIN, TYPE, PROTOCOL, [$a, $b]): binds the two ends.
	sided(t, fdOf, "socketpair", func(c *Call, api sides.FD) (int64, error) {
		if err := c.Arity(4); err != nil {
			return 0, err
		}
		a, err := leadingInts(c, 3)
		if err != nil {
			return 0, err
		}
		if n, done, err := rawStatus(c, 3, func(p unsafe.Pointer) error { return c.api.Raw.Socketpair(a[0], a[1], a[2], p) }); done {
			return n, err
		}
		names, err := c.OutVars(3, 2)
		if err != nil {
			return 0, err
		}
		sv := make([]int, 2)
		if err := api.Socketpair(a[0], a[1], a[2], sv); err != nil {
			return -1, err
		}
		c.Bind(names[0], int64(sv[0]))
		c.Bind(names[1], int64(sv[1]))
		return 0, nil
	})
	// eventfd(INITVAL, FLAGS): the new descriptor.
	sided(t, fdOf, "eventfd", func(c *Call, api sides.FD) (int64, error) {
		a, err := c.Ints(2)
		if err != nil {
			return 0, err
		}
		if a[0] < 0 {
			return 0, fmt.Errorf("eventfd's initval is an unsigned int, not %d", a[0])
		}
		return count(api.Eventfd(uint(a[0]), a[1]))
	})
	// epoll_create1(FLAGS): the new descriptor.
	sided(t, fdOf, "epoll_create1", func(c *Call, api sides.FD) (int64, error) {
		a, err := c.Ints(1)
		if err != nil {
			return 0, err
		}
		return count(api.EpollCreate1(a[0]))
	})
	// epoll_ctl(EPFD, OP, FD, {events=BITS, data=N} | NULL)
	sided(t, fdOf, "epoll_ctl", func(c *Call, api sides.FD) (int64, error) {
		if err := c.Arity(4); err != nil {
			return 0, err
		}
		a, err := leadingInts(c, 3)
		if err != nil {
			return 0, err
		}
		ev, err := epollEventArg(c, 3)
		if err != nil {
			return 0, err
		}
		return status(api.EpollCtl(a[0], a[1], a[2], ev))
	})
	// epoll_wait(EPFD, events, MAXEVENTS, TIMEOUT): the count of events;
	// events shows them.
	sided(t, fdOf, "epoll_wait", func(c *Call, api sides.FD) (int64, error) {
		if err := c.Arity(4); err != nil {
			return 0, err
		}
		epfd, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		maxevents, err := c.Int(2)
		if err != nil {
			return 0, err
		}
		if maxevents < 0 || maxevents > maxEpollEvents {
			return 0, fmt.Errorf("epoll_wait's maxevents is the size of the array passed: 0 to %d, not %d", maxEpollEvents, maxevents)
		}
		timeout, err := c.Int(3)
		if err != nil {
			return 0, err
		}
		evs := make([]unix.EpollEvent, maxevents)
		p, raw, err := pointerArg(c, 1)
		if err != nil {
			return 0, err
		}
		if raw {
			evs = rawSlice[unix.EpollEvent](p, int(maxevents))
		}
		n, werr := api.EpollWait(int(epfd), evs, int(timeout))
		if werr != nil {
			return -1, werr
		}
		if raw {
			return int64(n), nil // only with no events: else EFAULT
		}
		shown := make([]string, n)
		for k, ev := range evs[:n] {
			data := uint64(uint32(ev.Fd)) | uint64(uint32(ev.Pad))<<32
			shown[k] = fmt.Sprintf("{events=%s, data=%d}", showBits(ev.Events, epollBits), data)
		}
		c.Show(1, "["+strings.Join(shown, ", ")+"]")
		return int64(n), nil
	})
	// memfd_create("NAME", FLAGS): the new descriptor.
	sided(t, fdOf, "memfd_create", func(c *Call, api sides.FD) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		name, err := c.String(0)
		if err != nil {
			return 0, err
		}
		flags, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		return count(api.MemfdCreate(name, int(flags)))
	})
	// timerfd_create(CLOCKID, FLAGS): the new descriptor.
	sided(t, fdOf, "timerfd_create", func(c *Call, api sides.FD) (int64, error) {
		a, err := c.Ints(2)
		if err != nil {
			return 0, err
		}
		return count(api.TimerfdCreate(a[0], a[1]))
	})
	// timerfd_settime(FD, FLAGS, NEW, NULL | old)
	sided(t, fdOf, "timerfd_settime", func(c *Call, api sides.FD) (int64, error) {
		if err := c.Arity(4); err != nil {
			return 0, err
		}
		fd, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		flags, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		its, err := itimerspecArg(c, 2)
		if err != nil {
			return 0, err
		}
		var old *unix.ItimerSpec
		p, raw, err := pointerArg(c, 3)
		if err != nil {
			return 0, err
		}
		if e, _ := c.arg(3); e.Kind == ExprOut {
			old = new(unix.ItimerSpec)
		} else if raw {
			old = (*unix.ItimerSpec)(p)
		} else {
			return 0, fmt.Errorf("%s: expected NULL, BADPTR or a lower-case name (old)", e.Src)
		}
		if err := api.TimerfdSettime(int(fd), int(flags), its, old); err != nil {
			return -1, err
		}
		if old != nil && !raw {
			value := "armed" // the time left depends on the run
			if old.Value == (unix.Timespec{}) {
				value = "{tv_sec=0, tv_nsec=0}"
			}
			c.Show(3, fmt.Sprintf("{it_interval={tv_sec=%d, tv_nsec=%d}, it_value=%s}", old.Interval.Sec, old.Interval.Nsec, value))
		}
		return 0, nil
	})
	// signalfd(FD, [SIGNALS] | NULL, FLAGS): the descriptor.
	sided(t, fdOf, "signalfd", func(c *Call, api sides.FD) (int64, error) {
		if err := c.Arity(3); err != nil {
			return 0, err
		}
		fd, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		mask, err := sigsetArg(c, 1)
		if err != nil {
			return 0, err
		}
		flags, err := c.Int(2)
		if err != nil {
			return 0, err
		}
		return count(api.Signalfd(int(fd), mask, int(flags)))
	})
})
