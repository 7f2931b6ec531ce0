//go:build linux

package goipc_test

// The table of cases below, from side to notifySignal, is the same code as
// in cipc/mq_test.go, which runs it against both cipc and goipc and
// compares them; keep the two in step.

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/ipcparity/ipcparity/goipc"
	"golang.org/x/sys/unix"
)

// mqPrefix starts the names of this package's test queues.
const mqPrefix = "goipc-test"

// TestMq runs every case of the table against goipc and checks the errno
// each returns.
func TestMq(t *testing.T) {
	for _, tc := range mqCases() {
		t.Run(tc.name, func(t *testing.T) {
			e := &env{t: t, s: goSide}
			checkErr(t, "go", tc.run(e), tc.want)
		})
	}
}

// TestMqUnlinkNotOwner checks glibc's EPERM to EACCES rule: the system
// call says EPERM, MqUnlink EACCES.
func TestMqUnlinkNotOwner(t *testing.T) {
	raw, unlink, open := unlinkNotOwner(t, goSide)
	checkErr(t, "raw mq_unlink", raw, unix.EPERM)
	checkErr(t, "MqUnlink", unlink, unix.EACCES)
	checkErr(t, "MqOpen O_RDWR", open, unix.EACCES)
}

// TestMqNotifySignal checks that SIGEV_SIGNAL delivers its signal.
func TestMqNotifySignal(t *testing.T) {
	notifySignal(t, goSide)
}

// side is one implementation of the queue calls, with goipc's types.
type side struct {
	name         string
	open         func(name string, oflag int, mode uint32, attr *goipc.MqAttr) (int, error)
	close        func(mqd int) error
	unlink       func(name string) error
	send         func(mqd int, msg []byte, prio uint) error
	timedsend    func(mqd int, msg []byte, prio uint, abstime *unix.Timespec) error
	receive      func(mqd int, buf []byte, prio *uint) (int, error)
	timedreceive func(mqd int, buf []byte, prio *uint, abstime *unix.Timespec) (int, error)
	getattr      func(mqd int, attr *goipc.MqAttr) error
	setattr      func(mqd int, newattr, oldattr *goipc.MqAttr) error
	notify       func(mqd int, sev *goipc.Sigevent) error
}

var goSide = side{
	name:         "go",
	open:         goipc.MqOpen,
	close:        goipc.MqClose,
	unlink:       goipc.MqUnlink,
	send:         goipc.MqSend,
	timedsend:    goipc.MqTimedsend,
	receive:      goipc.MqReceive,
	timedreceive: goipc.MqTimedreceive,
	getattr:      goipc.MqGetattr,
	setattr:      goipc.MqSetattr,
	notify:       goipc.MqNotify,
}

// mqSeq numbers the queues of this run; with the pid it makes names unique.
var mqSeq atomic.Int64

// env is what a case runs with: one side, its test, and a transcript of
// what it saw besides its result, which is compared between sides.
type env struct {
	t   *testing.T
	s   side
	log []string
}

func (e *env) logf(format string, args ...any) {
	e.log = append(e.log, fmt.Sprintf(format, args...))
}

// name returns a queue name unique to this run, unlinked when the test
// ends whether or not it was created.
func (e *env) name() string {
	n := fmt.Sprintf("/%s-%d-%d", mqPrefix, os.Getpid(), mqSeq.Add(1))
	e.t.Cleanup(func() { e.s.unlink(n) })
	return n
}

// padName returns a unique name of exactly n bytes after its '/',
// unlinked when the test ends.
func (e *env) padName(n int) string {
	base := e.name()
	name := base + strings.Repeat("x", n+1-len(base))
	e.t.Cleanup(func() { e.s.unlink(name) })
	return name
}

// open calls mq_open and closes the descriptor when the test ends.
func (e *env) open(name string, oflag int, mode uint32, attr *goipc.MqAttr) (int, error) {
	mqd, err := e.s.open(name, oflag, mode, attr)
	if err == nil {
		e.t.Cleanup(func() { e.s.close(mqd) })
	}
	return mqd, err
}

// create makes a new queue with the given limits and opens it with
// O_RDWR|extra; any failure ends the test.
func (e *env) create(maxmsg, msgsize int64, extra int) (string, int) {
	e.t.Helper()
	name := e.name()
	mqd, err := e.open(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR|extra, 0600,
		&goipc.MqAttr{Maxmsg: maxmsg, Msgsize: msgsize})
	if err != nil {
		e.t.Fatalf("%s: mq_open(%q) = %v", e.s.name, name, err)
	}
	return name, mqd
}

// must ends the test if err is not nil.
func (e *env) must(what string, err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %s: %v (%s)", e.s.name, what, err, errName(err))
	}
}

// attr returns mq_getattr of mqd; a failure ends the test.
func (e *env) attr(mqd int) goipc.MqAttr {
	e.t.Helper()
	var a goipc.MqAttr
	e.must("mq_getattr", e.s.getattr(mqd, &a))
	return a
}

// fill sends n one-byte messages of priority 0.
func (e *env) fill(mqd, n int) {
	e.t.Helper()
	for i := 0; i < n; i++ {
		e.must("mq_send", e.s.send(mqd, []byte{byte('a' + i)}, 0))
	}
}

// errName is errno's name (EINVAL), "0" for nil.
func errName(err error) string {
	if err == nil {
		return "0"
	}
	var en unix.Errno
	if errors.As(err, &en) {
		return unix.ErrnoName(en)
	}
	return err.Error()
}

// mqLimit reads /proc/sys/fs/mqueue/<name> (msg_max, msgsize_max,
// msg_default, msgsize_default).
func mqLimit(t *testing.T, name string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/sys/fs/mqueue/" + name)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// deadline is the absolute CLOCK_REALTIME time d from now.
func deadline(t *testing.T, d time.Duration) *unix.Timespec {
	t.Helper()
	var now unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_REALTIME, &now); err != nil {
		t.Fatal(err)
	}
	ts := unix.NsecToTimespec(now.Nano() + d.Nanoseconds())
	return &ts
}

// mqCase is one case of the table: run makes its calls on e.s and returns
// the result of the call under test, which must be want (an unix.Errno or
// nil), by errors.Is and by ==.
type mqCase struct {
	name string
	want error
	run  func(e *env) error
}

// openCase creates the queue that mk names, with O_CREAT|O_RDWR and small
// limits.
func openCase(name string, want error, mk func(e *env) string) mqCase {
	return mqCase{name, want, func(e *env) error {
		_, err := e.open(mk(e), unix.O_CREAT|unix.O_RDWR, 0600, &goipc.MqAttr{Maxmsg: 1, Msgsize: 8})
		return err
	}}
}

// unlinkCase unlinks the name that mk returns.
func unlinkCase(name string, want error, mk func(e *env) string) mqCase {
	return mqCase{name, want, func(e *env) error { return e.s.unlink(mk(e)) }}
}

// attrCase creates a queue with attr from mk.
func attrCase(name string, want error, mk func(e *env) goipc.MqAttr) mqCase {
	return mqCase{name, want, func(e *env) error {
		a := mk(e)
		_, err := e.open(e.name(), unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, &a)
		return err
	}}
}

func constName(s string) func(*env) string { return func(*env) string { return s } }

// badTimes are abstime values the kernel refuses with EINVAL.
var badTimes = []struct {
	name string
	ts   unix.Timespec
}{
	{"nsec=1e9", unix.Timespec{Sec: 1, Nsec: 1e9}},
	{"nsec=-1", unix.Timespec{Sec: 1, Nsec: -1}},
	{"sec=-1", unix.Timespec{Sec: -1, Nsec: 0}},
}

// mqCases is the table, the same in goipc/mq_test.go and cipc/mq_test.go.
func mqCases() []mqCase {
	cases := []mqCase{
		// Names: glibc wants a leading '/', strips it, and leaves the rest
		// to the kernel.
		openCase("open/empty", unix.EINVAL, constName("")),
		openCase("open/no-slash", unix.EINVAL, constName("q")),
		openCase("open/slash-only", unix.ENOENT, constName("/")),
		openCase("open/double-slash", unix.EACCES, func(e *env) string { return "/" + e.name() }),
		openCase("open/inner-slash", unix.EACCES, func(e *env) string { return e.name() + "/b" }),
		openCase("open/dot", unix.EACCES, constName("/.")),
		openCase("open/dotdot", unix.EACCES, constName("/..")),
		openCase("open/NAME_MAX", nil, func(e *env) string { return e.padName(unix.NAME_MAX) }),
		openCase("open/NAME_MAX+1", unix.ENAMETOOLONG, func(e *env) string { return e.padName(unix.NAME_MAX + 1) }),
		openCase("open/NUL", unix.EINVAL, func(e *env) string { return e.name() + "\x00b" }),
		{"open/existing-without-slash", unix.EINVAL, func(e *env) error {
			name, _ := e.create(1, 8, 0)
			_, err := e.open(name[1:], unix.O_RDWR, 0, nil)
			return err
		}},
		unlinkCase("unlink/empty", unix.EINVAL, constName("")),
		unlinkCase("unlink/no-slash", unix.EINVAL, constName("q")),
		unlinkCase("unlink/slash-only", unix.ENOENT, constName("/")),
		unlinkCase("unlink/double-slash", unix.EACCES, func(e *env) string { return "/" + e.name() }),
		unlinkCase("unlink/missing", unix.ENOENT, func(e *env) string { return e.name() }),
		unlinkCase("unlink/NAME_MAX+1", unix.ENAMETOOLONG, func(e *env) string { return e.padName(unix.NAME_MAX + 1) }),
		unlinkCase("unlink/NUL", unix.EINVAL, func(e *env) string { return e.name() + "\x00b" }),
		{"unlink/existing-without-slash", unix.EINVAL, func(e *env) error {
			name, _ := e.create(1, 8, 0)
			return e.s.unlink(name[1:])
		}},
		{"unlink/while-open", unix.ENOENT, func(e *env) error {
			name, mqd := e.create(2, 8, 0)
			e.must("mq_unlink", e.s.unlink(name))
			e.must("mq_send after unlink", e.s.send(mqd, []byte("x"), 0))
			e.logf("curmsgs=%d", e.attr(mqd).Curmsgs)
			_, err := e.open(name, unix.O_RDWR, 0, nil)
			return err
		}},

		// Opening and creating.
		{"open/O_EXCL-existing", unix.EEXIST, func(e *env) error {
			name, _ := e.create(1, 8, 0)
			_, err := e.open(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, nil)
			return err
		}},
		{"open/missing", unix.ENOENT, func(e *env) error {
			_, err := e.open(e.name(), unix.O_RDWR, 0600, nil)
			return err
		}},
		{"open/O_CREAT-existing-keeps-attr", nil, func(e *env) error {
			name, _ := e.create(2, 16, 0)
			mqd, err := e.open(name, unix.O_CREAT|unix.O_RDWR, 0600, &goipc.MqAttr{Maxmsg: 3, Msgsize: 32})
			if err != nil {
				return err
			}
			a := e.attr(mqd)
			if a.Maxmsg != 2 || a.Msgsize != 16 {
				e.t.Errorf("%s: attr %+v, want maxmsg 2 and msgsize 16 of the first open", e.s.name, a)
			}
			e.logf("attr=%+v", a)
			return nil
		}},
		{"open/O_CREAT-existing-bad-attr", nil, func(e *env) error {
			name, _ := e.create(1, 8, 0)
			_, err := e.open(name, unix.O_CREAT|unix.O_RDWR, 0600, &goipc.MqAttr{Maxmsg: -1, Msgsize: -1})
			return err
		}},
		{"open/attr-ignored-without-O_CREAT", nil, func(e *env) error {
			name, _ := e.create(1, 8, 0)
			_, err := e.open(name, unix.O_RDWR, 0600, &goipc.MqAttr{Maxmsg: -1, Msgsize: -1})
			return err
		}},
		{"open/default-attr", nil, func(e *env) error {
			mqd, err := e.open(e.name(), unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, nil)
			if err != nil {
				return err
			}
			a := e.attr(mqd)
			if want := (goipc.MqAttr{Maxmsg: mqLimit(e.t, "msg_default"), Msgsize: mqLimit(e.t, "msgsize_default")}); a != want {
				e.t.Errorf("%s: attr %+v, want %+v", e.s.name, a, want)
			}
			e.logf("attr=%+v", a)
			return nil
		}},
		{"open/close-on-exec", nil, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			fl, err := unix.FcntlInt(uintptr(mqd), unix.F_GETFD, 0)
			e.must("fcntl", err)
			if fl&unix.FD_CLOEXEC == 0 {
				e.t.Errorf("%s: FD_CLOEXEC not set (flags %#x)", e.s.name, fl)
			}
			e.logf("fd flags=%#x", fl)
			return nil
		}},
		{"open/O_NONBLOCK-flag", nil, func(e *env) error {
			_, mqd := e.create(1, 8, unix.O_NONBLOCK)
			a := e.attr(mqd)
			if a.Flags != unix.O_NONBLOCK {
				e.t.Errorf("%s: mq_flags %#x, want O_NONBLOCK", e.s.name, a.Flags)
			}
			e.logf("attr=%+v", a)
			return nil
		}},
		{"open/accmode-3", unix.EINVAL, func(e *env) error {
			name, _ := e.create(1, 8, 0)
			_, err := e.open(name, unix.O_RDWR|unix.O_WRONLY, 0, nil)
			return err
		}},

		// Limits, read from /proc at run time.
		attrCase("attr/maxmsg=0", unix.EINVAL, func(e *env) goipc.MqAttr { return goipc.MqAttr{Maxmsg: 0, Msgsize: 8} }),
		attrCase("attr/msgsize=0", unix.EINVAL, func(e *env) goipc.MqAttr { return goipc.MqAttr{Maxmsg: 1, Msgsize: 0} }),
		attrCase("attr/maxmsg=-1", unix.EINVAL, func(e *env) goipc.MqAttr { return goipc.MqAttr{Maxmsg: -1, Msgsize: 8} }),
		attrCase("attr/msgsize=-1", unix.EINVAL, func(e *env) goipc.MqAttr { return goipc.MqAttr{Maxmsg: 1, Msgsize: -1} }),
		attrCase("attr/maxmsg=msg_max+1", unix.EINVAL, func(e *env) goipc.MqAttr {
			return goipc.MqAttr{Maxmsg: mqLimit(e.t, "msg_max") + 1, Msgsize: 8}
		}),
		attrCase("attr/msgsize=msgsize_max+1", unix.EINVAL, func(e *env) goipc.MqAttr {
			return goipc.MqAttr{Maxmsg: 1, Msgsize: mqLimit(e.t, "msgsize_max") + 1}
		}),
		attrCase("attr/at-limits", nil, func(e *env) goipc.MqAttr {
			return goipc.MqAttr{Maxmsg: mqLimit(e.t, "msg_max"), Msgsize: mqLimit(e.t, "msgsize_max")}
		}),

		// Sending and receiving.
		{"send/longer-than-msgsize", unix.EMSGSIZE, func(e *env) error {
			_, mqd := e.create(2, 8, 0)
			e.must("mq_send of msgsize bytes", e.s.send(mqd, make([]byte, 8), 0))
			return e.s.send(mqd, make([]byte, 9), 0)
		}},
		{"receive/buffer-shorter-than-msgsize", unix.EMSGSIZE, func(e *env) error {
			_, mqd := e.create(2, 8, 0)
			e.fill(mqd, 1)
			n, err := e.s.receive(mqd, make([]byte, 7), nil)
			e.logf("n=%d", n)
			return err
		}},
		{"send/prio=MQ_PRIO_MAX", unix.EINVAL, func(e *env) error {
			_, mqd := e.create(2, 8, 0)
			e.must("mq_send MQ_PRIO_MAX-1", e.s.send(mqd, []byte("x"), goipc.MQ_PRIO_MAX-1))
			var prio uint
			n, err := e.s.receive(mqd, make([]byte, 8), &prio)
			e.must("mq_receive", err)
			if n != 1 || prio != goipc.MQ_PRIO_MAX-1 {
				e.t.Errorf("%s: received %d bytes at prio %d", e.s.name, n, prio)
			}
			return e.s.send(mqd, []byte("x"), goipc.MQ_PRIO_MAX)
		}},
		{"send/prio-over-unsigned-int", unix.EINVAL, func(e *env) error {
			if strconv.IntSize == 32 {
				return unix.EINVAL // a Go uint is a C unsigned int
			}
			_, mqd := e.create(2, 8, 0)
			big := uint64(1) << 32 // truncated to unsigned int, it would be 0
			err := e.s.send(mqd, []byte("x"), uint(big))
			e.logf("curmsgs=%d", e.attr(mqd).Curmsgs)
			return err
		}},
		{"send/O_RDONLY", unix.EBADF, func(e *env) error {
			name, _ := e.create(2, 8, 0)
			mqd, err := e.open(name, unix.O_RDONLY, 0, nil)
			e.must("mq_open O_RDONLY", err)
			return e.s.send(mqd, []byte("x"), 0)
		}},
		{"receive/O_WRONLY", unix.EBADF, func(e *env) error {
			name, w := e.create(2, 8, 0)
			e.fill(w, 1)
			mqd, err := e.open(name, unix.O_WRONLY, 0, nil)
			e.must("mq_open O_WRONLY", err)
			_, err = e.s.receive(mqd, make([]byte, 8), nil)
			return err
		}},
		{"send/full-O_NONBLOCK", unix.EAGAIN, func(e *env) error {
			_, mqd := e.create(2, 8, unix.O_NONBLOCK)
			e.fill(mqd, 2)
			return e.s.send(mqd, []byte("x"), 0)
		}},
		{"receive/empty-O_NONBLOCK", unix.EAGAIN, func(e *env) error {
			_, mqd := e.create(2, 8, unix.O_NONBLOCK)
			n, err := e.s.receive(mqd, make([]byte, 8), nil)
			e.logf("n=%d", n)
			return err
		}},
		{"send/zero-length", nil, func(e *env) error {
			_, mqd := e.create(2, 8, 0)
			e.must("mq_send", e.s.send(mqd, nil, 3))
			var prio uint
			n, err := e.s.receive(mqd, make([]byte, 8), &prio)
			e.logf("n=%d prio=%d", n, prio)
			if n != 0 || prio != 3 {
				e.t.Errorf("%s: got n=%d prio=%d, want 0 and 3", e.s.name, n, prio)
			}
			return err
		}},
		{"receive/prio-nil", nil, func(e *env) error {
			_, mqd := e.create(2, 8, 0)
			e.must("mq_send", e.s.send(mqd, []byte("abc"), 7))
			buf := make([]byte, 8)
			n, err := e.s.receive(mqd, buf, nil)
			e.logf("n=%d msg=%q", n, buf[:max(n, 0)])
			return err
		}},
		{"receive/priority-order", nil, func(e *env) error {
			_, mqd := e.create(8, 8, 0)
			for _, m := range []struct {
				msg  string
				prio uint
			}{{"p1", 1}, {"p5a", 5}, {"p3", 3}, {"p5b", 5}, {"p0", 0}} {
				e.must("mq_send", e.s.send(mqd, []byte(m.msg), m.prio))
			}
			var got []string
			buf := make([]byte, 8)
			for i := 0; i < 5; i++ {
				var prio uint
				n, err := e.s.receive(mqd, buf, &prio)
				e.must("mq_receive", err)
				got = append(got, fmt.Sprintf("%s/%d", buf[:n], prio))
			}
			want := []string{"p5a/5", "p5b/5", "p3/3", "p1/1", "p0/0"}
			if !slices.Equal(got, want) {
				e.t.Errorf("%s: received %v, want %v", e.s.name, got, want)
			}
			e.logf("%v", got)
			return nil
		}},

		// Timed calls.
		{"timedsend/expires", unix.ETIMEDOUT, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			e.fill(mqd, 1)
			start := time.Now()
			err := e.s.timedsend(mqd, []byte("x"), 0, deadline(e.t, 20*time.Millisecond))
			if d := time.Since(start); d < 15*time.Millisecond {
				e.t.Errorf("%s: returned after %v, before the deadline", e.s.name, d)
			}
			return err
		}},
		{"timedreceive/expires", unix.ETIMEDOUT, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			start := time.Now()
			n, err := e.s.timedreceive(mqd, make([]byte, 8), nil, deadline(e.t, 20*time.Millisecond))
			if d := time.Since(start); d < 15*time.Millisecond {
				e.t.Errorf("%s: returned after %v, before the deadline", e.s.name, d)
			}
			e.logf("n=%d", n)
			return err
		}},
		{"timedreceive/past-deadline-empty", unix.ETIMEDOUT, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			_, err := e.s.timedreceive(mqd, make([]byte, 8), nil, &unix.Timespec{Sec: 1})
			return err
		}},
		{"timedreceive/past-deadline-nonempty", nil, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			e.fill(mqd, 1)
			_, err := e.s.timedreceive(mqd, make([]byte, 8), nil, &unix.Timespec{Sec: 1})
			return err
		}},
		{"timedsend/past-deadline-not-full", nil, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			return e.s.timedsend(mqd, []byte("x"), 0, &unix.Timespec{Sec: 1})
		}},
		{"timedsend/wakes-on-receive", nil, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			e.fill(mqd, 1)
			done := make(chan error, 1)
			abstime := deadline(e.t, 10*time.Second)
			// Whether or not the send is asleep yet, the receive frees
			// the place it waits for.
			go func() { done <- e.s.timedsend(mqd, []byte("late"), 2, abstime) }()
			buf := make([]byte, 8)
			n, err := e.s.receive(mqd, buf, nil)
			e.must("mq_receive", err)
			e.logf("first=%q", buf[:n])
			if err := <-done; err != nil {
				return err
			}
			n, err = e.s.receive(mqd, buf, nil)
			e.must("mq_receive", err)
			e.logf("second=%q", buf[:n])
			return nil
		}},
	}
	for _, bt := range badTimes {
		// The kernel checks abstime on entry: EINVAL whether or not the
		// call would block.
		for _, full := range []bool{true, false} {
			bt, full := bt, full
			state := map[bool]string{true: "full", false: "not-full"}[full]
			cases = append(cases, mqCase{"timedsend/" + bt.name + "/" + state, unix.EINVAL, func(e *env) error {
				_, mqd := e.create(1, 8, 0)
				if full {
					e.fill(mqd, 1)
				}
				ts := bt.ts
				err := e.s.timedsend(mqd, []byte("x"), 0, &ts)
				e.logf("curmsgs=%d", e.attr(mqd).Curmsgs)
				return err
			}})
			state = map[bool]string{true: "nonempty", false: "empty"}[full]
			cases = append(cases, mqCase{"timedreceive/" + bt.name + "/" + state, unix.EINVAL, func(e *env) error {
				_, mqd := e.create(1, 8, 0)
				if full {
					e.fill(mqd, 1)
				}
				ts := bt.ts
				_, err := e.s.timedreceive(mqd, make([]byte, 8), nil, &ts)
				e.logf("curmsgs=%d", e.attr(mqd).Curmsgs)
				return err
			}})
		}
	}
	cases = append(cases, []mqCase{
		// Attributes.
		{"getattr/curmsgs", nil, func(e *env) error {
			_, mqd := e.create(5, 16, 0)
			e.fill(mqd, 3)
			a := e.attr(mqd)
			if want := (goipc.MqAttr{Maxmsg: 5, Msgsize: 16, Curmsgs: 3}); a != want {
				e.t.Errorf("%s: attr %+v, want %+v", e.s.name, a, want)
			}
			e.logf("attr=%+v", a)
			return nil
		}},
		{"getattr/nil", nil, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			return e.s.getattr(mqd, nil)
		}},
		{"getattr/pipe", unix.EBADF, func(e *env) error {
			var p [2]int
			e.must("pipe", unix.Pipe2(p[:], unix.O_CLOEXEC))
			defer unix.Close(p[0])
			defer unix.Close(p[1])
			var a goipc.MqAttr
			return e.s.getattr(p[0], &a)
		}},
		{"getattr/-1", unix.EBADF, func(e *env) error {
			var a goipc.MqAttr
			return e.s.getattr(-1, &a)
		}},
		{"send/not-open", unix.EBADF, func(e *env) error {
			return e.s.send(1<<30, []byte("x"), 0)
		}},
		{"close/-1", unix.EBADF, func(e *env) error { return e.s.close(-1) }},
		{"setattr/toggle-O_NONBLOCK", nil, func(e *env) error {
			_, mqd := e.create(2, 8, 0)
			e.fill(mqd, 1)
			var old goipc.MqAttr
			e.must("mq_setattr", e.s.setattr(mqd, &goipc.MqAttr{Flags: unix.O_NONBLOCK, Maxmsg: 9, Msgsize: 99, Curmsgs: 7}, &old))
			now := e.attr(mqd)
			if want := (goipc.MqAttr{Maxmsg: 2, Msgsize: 8, Curmsgs: 1}); old != want {
				e.t.Errorf("%s: old attr %+v, want %+v", e.s.name, old, want)
			}
			if want := (goipc.MqAttr{Flags: unix.O_NONBLOCK, Maxmsg: 2, Msgsize: 8, Curmsgs: 1}); now != want {
				e.t.Errorf("%s: attr after setattr %+v, want %+v (only O_NONBLOCK changes)", e.s.name, now, want)
			}
			e.logf("old=%+v now=%+v", old, now)
			// Now the descriptor does not block.
			e.fill(mqd, 1)
			if err := e.s.send(mqd, []byte("x"), 0); err != unix.EAGAIN {
				e.t.Errorf("%s: send on full queue after O_NONBLOCK = %v, want EAGAIN", e.s.name, err)
			}
			e.must("mq_setattr", e.s.setattr(mqd, &goipc.MqAttr{}, &old))
			now = e.attr(mqd)
			if old.Flags != unix.O_NONBLOCK || now.Flags != 0 {
				e.t.Errorf("%s: flags old %#x now %#x, want O_NONBLOCK and 0", e.s.name, old.Flags, now.Flags)
			}
			e.logf("old=%+v now=%+v", old, now)
			return nil
		}},
		{"setattr/other-flags", unix.EINVAL, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			return e.s.setattr(mqd, &goipc.MqAttr{Flags: unix.O_NONBLOCK | unix.O_APPEND}, nil)
		}},
		{"setattr/nil-nil", nil, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			return e.s.setattr(mqd, nil, nil)
		}},

		// Notification.
		{"notify/second-registration", unix.EBUSY, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			e.must("mq_notify", e.s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_NONE}))
			return e.s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_NONE})
		}},
		{"notify/second-registration-other-descriptor", unix.EBUSY, func(e *env) error {
			name, mqd := e.create(1, 8, 0)
			e.must("mq_notify", e.s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_SIGNAL, Signo: int(unix.SIGUSR2)}))
			mqd2, err := e.open(name, unix.O_RDONLY, 0, nil)
			e.must("mq_open", err)
			return e.s.notify(mqd2, &goipc.Sigevent{Notify: goipc.SIGEV_NONE})
		}},
		{"notify/unregister-then-register", nil, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			e.must("mq_notify", e.s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_NONE}))
			e.must("mq_notify(NULL)", e.s.notify(mqd, nil))
			return e.s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_NONE})
		}},
		{"notify/unregister-unregistered", nil, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			return e.s.notify(mqd, nil)
		}},
		{"notify/SIGEV_THREAD", unix.EINVAL, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			return e.s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_THREAD})
		}},
		{"notify/unknown-notify", unix.EINVAL, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			return e.s.notify(mqd, &goipc.Sigevent{Notify: 99})
		}},
		{"notify/bad-signal", unix.EINVAL, func(e *env) error {
			_, mqd := e.create(1, 8, 0)
			return e.s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_SIGNAL, Signo: 65})
		}},
		{"notify/pipe", unix.EBADF, func(e *env) error {
			var p [2]int
			e.must("pipe", unix.Pipe2(p[:], unix.O_CLOEXEC))
			defer unix.Close(p[0])
			defer unix.Close(p[1])
			return e.s.notify(p[0], &goipc.Sigevent{Notify: goipc.SIGEV_NONE})
		}},
		{"notify/SIGEV_NONE-consumed-by-send", nil, func(e *env) error {
			_, mqd := e.create(2, 8, 0)
			e.must("mq_notify", e.s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_NONE}))
			e.fill(mqd, 1) // empty -> non-empty: the registration is used up
			return e.s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_NONE})
		}},
	}...)
	return cases
}

// checkErr reports a result that is not want, by errors.Is and by ==.
func checkErr(t *testing.T, who string, got, want error) {
	t.Helper()
	if got != want || !errors.Is(got, want) {
		t.Errorf("%s: got %v (%s), want %v (%s)", who, got, errName(got), want, errName(want))
	}
}

// notUser runs f on a locked OS thread whose effective uid and gid are
// 65534: setresuid and setresgid as raw system calls change the calling
// thread only, and effective capabilities go with the uid. The thread is
// never unlocked, so the Go runtime ends it when f returns.
func notUser(t *testing.T, f func()) {
	t.Helper()
	done := make(chan error)
	go func() {
		runtime.LockOSThread()
		const nobody = 65534
		if _, _, e := unix.RawSyscall(unix.SYS_SETRESGID, ^uintptr(0), nobody, ^uintptr(0)); e != 0 {
			done <- e
			return
		}
		if _, _, e := unix.RawSyscall(unix.SYS_SETRESUID, ^uintptr(0), nobody, ^uintptr(0)); e != 0 {
			done <- e
			return
		}
		f()
		done <- nil
	}()
	if err := <-done; err != nil {
		t.Skipf("cannot change the thread's uid: %v", err)
	}
}

// unlinkNotOwner unlinks, as another user, a queue root made: the mqueue
// root directory is sticky (mode 1777), so the kernel says EPERM, which
// glibc turns into EACCES. An O_RDWR open of the 0600 queue gives EACCES
// too.
func unlinkNotOwner(t *testing.T, s side) (raw, unlink, open error) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a queue another user cannot unlink")
	}
	e := &env{t: t, s: s}
	name, _ := e.create(1, 8, 0)
	notUser(t, func() {
		p, err := unix.BytePtrFromString(name[1:])
		if err != nil {
			raw = err
			return
		}
		if _, _, e := unix.Syscall(unix.SYS_MQ_UNLINK, uintptr(unsafe.Pointer(p)), 0, 0); e != 0 {
			raw = e
		}
		unlink = s.unlink(name)
		_, open = s.open(name, unix.O_RDWR, 0, nil)
	})
	return raw, unlink, open
}

// notifySignal registers for SIGEV_SIGNAL with SIGUSR1 on an empty queue,
// sends a message, and waits for the signal; the registration is then used
// up, so a new one succeeds.
func notifySignal(t *testing.T, s side) {
	t.Helper()
	e := &env{t: t, s: s}
	_, mqd := e.create(2, 8, 0)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, unix.SIGUSR1)
	defer signal.Stop(ch)
	e.must("mq_notify", s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_SIGNAL, Signo: int(unix.SIGUSR1), Value: 42}))
	e.must("mq_send", s.send(mqd, []byte("x"), 0))
	select {
	case sig := <-ch:
		if sig != unix.SIGUSR1 {
			t.Errorf("%s: got signal %v, want SIGUSR1", s.name, sig)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no SIGUSR1 within 5s of the send", s.name)
	}
	e.must("mq_notify after delivery", s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_NONE}))
}
