//go:build linux

package sidestest

import (
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// TestMq runs the queue cases on api: the table, each case in a parallel
// subtest, then, inline, a notification signal delivered and mq_unlink by
// another user.
func TestMq(t *testing.T, api sides.API) {
	t.Run("constants", func(t *testing.T) {
		for _, c := range []struct {
			name      string
			got, want int
		}{
			{"MQ_PRIO_MAX", api.Mq.PrioMax, sides.MQ_PRIO_MAX},
			{"SIGEV_SIGNAL", api.Mq.SigevSignal, sides.SIGEV_SIGNAL},
			{"SIGEV_NONE", api.Mq.SigevNone, sides.SIGEV_NONE},
			{"SIGEV_THREAD", api.Mq.SigevThread, sides.SIGEV_THREAD},
		} {
			if c.got != c.want {
				t.Errorf("%s: %s %d, glibc %d", api.Name, c.name, c.got, c.want)
			}
		}
	})
	t.Run("notify-signal", func(t *testing.T) { mqNotifySignal(t, api) })
	t.Run("unlink-not-owner", func(t *testing.T) { mqUnlinkNotOwner(t, api) })
	for _, tc := range mqCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := &mqEnv{t: t, mq: api.Mq, side: api.Name}
			checkErrno(t, api.Name, tc.run(e), errno(t, tc.want))
		})
	}
}

// CompareMq runs every case of TestMq's table on a and on b and fails
// where their transcripts differ: what a case saw besides its result
// (counts, attributes, messages), which the table's assertions do not all
// pin down.
func CompareMq(t *testing.T, a, b sides.API) {
	for _, tc := range mqCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs [2][]string
			for i, api := range []sides.API{a, b} {
				e := &mqEnv{t: t, mq: api.Mq, side: api.Name}
				e.logf("result=%s", errName(tc.run(e)))
				logs[i] = e.log
			}
			if !slices.Equal(logs[0], logs[1]) {
				t.Errorf("transcripts differ (-%s +%s):\n-%q\n+%q", a.Name, b.Name, logs[0], logs[1])
			}
		})
	}
}

// mqEnv is what a case runs with: one side's queue calls, its test, and
// a transcript of what it saw besides its result, which CompareMq compares
// between sides.
type mqEnv struct {
	t    *testing.T
	mq   sides.Mq
	side string
	log  []string
}

func (e *mqEnv) logf(format string, args ...any) {
	e.log = append(e.log, fmt.Sprintf(format, args...))
}

// name returns a queue name unique to this run, unlinked when the test
// ends whether or not it was created.
func (e *mqEnv) name() string {
	n := fmt.Sprintf("/ipcparity-test-%d-%d-mq", os.Getpid(), nameSeq.Add(1))
	e.t.Cleanup(func() { e.mq.Unlink(n) })
	return n
}

// padName returns a unique name of exactly n bytes after its '/',
// unlinked when the test ends.
func (e *mqEnv) padName(n int) string {
	base := e.name()
	name := base + strings.Repeat("x", n+1-len(base))
	e.t.Cleanup(func() { e.mq.Unlink(name) })
	return name
}

// open calls mq_open and closes the descriptor when the test ends.
func (e *mqEnv) open(name string, oflag int, mode uint32, attr *sides.MqAttr) (int, error) {
	mqd, err := e.mq.Open(name, oflag, mode, attr)
	if err == nil {
		e.t.Cleanup(func() { e.mq.Close(mqd) })
	}
	return mqd, err
}

// create makes a new queue with the given limits and opens it with
// O_RDWR|extra; any failure ends the test.
func (e *mqEnv) create(maxmsg, msgsize int64, extra int) (string, int) {
	e.t.Helper()
	name := e.name()
	mqd, err := e.open(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR|extra, 0600,
		&sides.MqAttr{Maxmsg: maxmsg, Msgsize: msgsize})
	if err != nil {
		e.t.Fatalf("%s: mq_open(%q) = %v", e.side, name, err)
	}
	return name, mqd
}

// must ends the test if err is not nil.
func (e *mqEnv) must(what string, err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %s: %v (%s)", e.side, what, err, errName(err))
	}
}

// attr returns mq_getattr of mqd; a failure ends the test.
func (e *mqEnv) attr(mqd int) sides.MqAttr {
	e.t.Helper()
	var a sides.MqAttr
	e.must("mq_getattr", e.mq.Getattr(mqd, &a))
	return a
}

// fill sends n one-byte messages of priority 0.
func (e *mqEnv) fill(mqd, n int) {
	e.t.Helper()
	for i := 0; i < n; i++ {
		e.must("mq_send", e.mq.Send(mqd, []byte{byte('a' + i)}, 0))
	}
}

// mqCase is one case of the table: run makes its calls on e.mq and returns
// the result of the call under test, which must be want: a bare
// unix.Errno, or nil.
type mqCase struct {
	name string
	want error
	run  func(e *mqEnv) error
}

// openCase creates the queue that mk names, with O_CREAT|O_RDWR and small
// limits.
func openCase(name string, want error, mk func(e *mqEnv) string) mqCase {
	return mqCase{name, want, func(e *mqEnv) error {
		_, err := e.open(mk(e), unix.O_CREAT|unix.O_RDWR, 0600, &sides.MqAttr{Maxmsg: 1, Msgsize: 8})
		return err
	}}
}

// unlinkCase unlinks the name that mk returns.
func unlinkCase(name string, want error, mk func(e *mqEnv) string) mqCase {
	return mqCase{name, want, func(e *mqEnv) error { return e.mq.Unlink(mk(e)) }}
}

// attrCase creates a queue with attr from mk.
func attrCase(name string, want error, mk func(e *mqEnv) sides.MqAttr) mqCase {
	return mqCase{name, want, func(e *mqEnv) error {
		a := mk(e)
		_, err := e.open(e.name(), unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, &a)
		return err
	}}
}

func constName(s string) func(*mqEnv) string { return func(*mqEnv) string { return s } }

// badTimes are abstime values the kernel refuses with EINVAL.
var badTimes = []struct {
	name string
	ts   unix.Timespec
}{
	{"nsec=1e9", unix.Timespec{Sec: 1, Nsec: 1e9}},
	{"nsec=-1", unix.Timespec{Sec: 1, Nsec: -1}},
	{"sec=-1", unix.Timespec{Sec: -1, Nsec: 0}},
}

// mqCases is the table that both sides run.
func mqCases() []mqCase {
	cases := []mqCase{
		// Names: glibc wants a leading '/', strips it, and leaves the rest
		// to the kernel.
		openCase("open/empty", unix.EINVAL, constName("")),
		openCase("open/no-slash", unix.EINVAL, constName("q")),
		openCase("open/slash-only", unix.ENOENT, constName("/")),
		openCase("open/double-slash", unix.EACCES, func(e *mqEnv) string { return "/" + e.name() }),
		openCase("open/inner-slash", unix.EACCES, func(e *mqEnv) string { return e.name() + "/b" }),
		openCase("open/dot", unix.EACCES, constName("/.")),
		openCase("open/dotdot", unix.EACCES, constName("/..")),
		openCase("open/NAME_MAX", nil, func(e *mqEnv) string { return e.padName(unix.NAME_MAX) }),
		openCase("open/NAME_MAX+1", unix.ENAMETOOLONG, func(e *mqEnv) string { return e.padName(unix.NAME_MAX + 1) }),
		openCase("open/NUL", unix.EINVAL, func(e *mqEnv) string { return e.name() + "\x00b" }),
		{"open/existing-without-slash", unix.EINVAL, func(e *mqEnv) error {
			name, _ := e.create(1, 8, 0)
			_, err := e.open(name[1:], unix.O_RDWR, 0, nil)
			return err
		}},
		unlinkCase("unlink/empty", unix.EINVAL, constName("")),
		unlinkCase("unlink/no-slash", unix.EINVAL, constName("q")),
		unlinkCase("unlink/slash-only", unix.ENOENT, constName("/")),
		unlinkCase("unlink/double-slash", unix.EACCES, func(e *mqEnv) string { return "/" + e.name() }),
		unlinkCase("unlink/missing", unix.ENOENT, func(e *mqEnv) string { return e.name() }),
		unlinkCase("unlink/NAME_MAX+1", unix.ENAMETOOLONG, func(e *mqEnv) string { return e.padName(unix.NAME_MAX + 1) }),
		unlinkCase("unlink/NUL", unix.EINVAL, func(e *mqEnv) string { return e.name() + "\x00b" }),
		{"unlink/existing-without-slash", unix.EINVAL, func(e *mqEnv) error {
			name, _ := e.create(1, 8, 0)
			return e.mq.Unlink(name[1:])
		}},
		{"unlink/while-open", unix.ENOENT, func(e *mqEnv) error {
			name, mqd := e.create(2, 8, 0)
			e.must("mq_unlink", e.mq.Unlink(name))
			e.must("mq_send after unlink", e.mq.Send(mqd, []byte("x"), 0))
			e.logf("curmsgs=%d", e.attr(mqd).Curmsgs)
			_, err := e.open(name, unix.O_RDWR, 0, nil)
			return err
		}},

		// Opening and creating.
		{"open/O_EXCL-existing", unix.EEXIST, func(e *mqEnv) error {
			name, _ := e.create(1, 8, 0)
			_, err := e.open(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, nil)
			return err
		}},
		{"open/missing", unix.ENOENT, func(e *mqEnv) error {
			_, err := e.open(e.name(), unix.O_RDWR, 0600, nil)
			return err
		}},
		{"open/O_CREAT-existing-keeps-attr", nil, func(e *mqEnv) error {
			name, _ := e.create(2, 16, 0)
			mqd, err := e.open(name, unix.O_CREAT|unix.O_RDWR, 0600, &sides.MqAttr{Maxmsg: 3, Msgsize: 32})
			if err != nil {
				return err
			}
			a := e.attr(mqd)
			if a.Maxmsg != 2 || a.Msgsize != 16 {
				e.t.Errorf("%s: attr %+v, want maxmsg 2 and msgsize 16 of the first open", e.side, a)
			}
			e.logf("attr=%+v", a)
			return nil
		}},
		{"open/O_CREAT-existing-bad-attr", nil, func(e *mqEnv) error {
			name, _ := e.create(1, 8, 0)
			_, err := e.open(name, unix.O_CREAT|unix.O_RDWR, 0600, &sides.MqAttr{Maxmsg: -1, Msgsize: -1})
			return err
		}},
		{"open/attr-ignored-without-O_CREAT", nil, func(e *mqEnv) error {
			name, _ := e.create(1, 8, 0)
			_, err := e.open(name, unix.O_RDWR, 0600, &sides.MqAttr{Maxmsg: -1, Msgsize: -1})
			return err
		}},
		{"open/default-attr", nil, func(e *mqEnv) error {
			mqd, err := e.open(e.name(), unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, nil)
			if err != nil {
				return err
			}
			a := e.attr(mqd)
			if want := (sides.MqAttr{Maxmsg: procInt(e.t, "/proc/sys/fs/mqueue/msg_default"), Msgsize: procInt(e.t, "/proc/sys/fs/mqueue/msgsize_default")}); a != want {
				e.t.Errorf("%s: attr %+v, want %+v", e.side, a, want)
			}
			e.logf("attr=%+v", a)
			return nil
		}},
		{"open/close-on-exec", nil, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			fl, err := unix.FcntlInt(uintptr(mqd), unix.F_GETFD, 0)
			e.must("fcntl", err)
			if fl&unix.FD_CLOEXEC == 0 {
				e.t.Errorf("%s: FD_CLOEXEC not set (flags %#x)", e.side, fl)
			}
			e.logf("fd flags=%#x", fl)
			return nil
		}},
		{"open/O_NONBLOCK-flag", nil, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, unix.O_NONBLOCK)
			a := e.attr(mqd)
			if a.Flags != unix.O_NONBLOCK {
				e.t.Errorf("%s: mq_flags %#x, want O_NONBLOCK", e.side, a.Flags)
			}
			e.logf("attr=%+v", a)
			return nil
		}},
		{"open/accmode-3", unix.EINVAL, func(e *mqEnv) error {
			name, _ := e.create(1, 8, 0)
			_, err := e.open(name, unix.O_RDWR|unix.O_WRONLY, 0, nil)
			return err
		}},

		// Limits, read from /proc at run time.
		attrCase("attr/maxmsg=0", unix.EINVAL, func(e *mqEnv) sides.MqAttr { return sides.MqAttr{Maxmsg: 0, Msgsize: 8} }),
		attrCase("attr/msgsize=0", unix.EINVAL, func(e *mqEnv) sides.MqAttr { return sides.MqAttr{Maxmsg: 1, Msgsize: 0} }),
		attrCase("attr/maxmsg=-1", unix.EINVAL, func(e *mqEnv) sides.MqAttr { return sides.MqAttr{Maxmsg: -1, Msgsize: 8} }),
		attrCase("attr/msgsize=-1", unix.EINVAL, func(e *mqEnv) sides.MqAttr { return sides.MqAttr{Maxmsg: 1, Msgsize: -1} }),
		attrCase("attr/maxmsg=msg_max+1", unix.EINVAL, func(e *mqEnv) sides.MqAttr {
			skipWithCapSysResource(e.t)
			return sides.MqAttr{Maxmsg: procInt(e.t, "/proc/sys/fs/mqueue/msg_max") + 1, Msgsize: 8}
		}),
		attrCase("attr/msgsize=msgsize_max+1", unix.EINVAL, func(e *mqEnv) sides.MqAttr {
			skipWithCapSysResource(e.t)
			return sides.MqAttr{Maxmsg: 1, Msgsize: procInt(e.t, "/proc/sys/fs/mqueue/msgsize_max") + 1}
		}),
		attrCase("attr/at-limits", nil, func(e *mqEnv) sides.MqAttr {
			return sides.MqAttr{Maxmsg: procInt(e.t, "/proc/sys/fs/mqueue/msg_max"), Msgsize: procInt(e.t, "/proc/sys/fs/mqueue/msgsize_max")}
		}),

		// Sending and receiving.
		{"send/longer-than-msgsize", unix.EMSGSIZE, func(e *mqEnv) error {
			_, mqd := e.create(2, 8, 0)
			e.must("mq_send of msgsize bytes", e.mq.Send(mqd, make([]byte, 8), 0))
			return e.mq.Send(mqd, make([]byte, 9), 0)
		}},
		{"receive/buffer-shorter-than-msgsize", unix.EMSGSIZE, func(e *mqEnv) error {
			_, mqd := e.create(2, 8, 0)
			e.fill(mqd, 1)
			n, err := e.mq.Receive(mqd, make([]byte, 7), nil)
			e.logf("n=%d", n)
			return err
		}},
		{"send/prio=MQ_PRIO_MAX", unix.EINVAL, func(e *mqEnv) error {
			_, mqd := e.create(2, 8, 0)
			e.must("mq_send MQ_PRIO_MAX-1", e.mq.Send(mqd, []byte("x"), sides.MQ_PRIO_MAX-1))
			var prio uint
			n, err := e.mq.Receive(mqd, make([]byte, 8), &prio)
			e.must("mq_receive", err)
			if n != 1 || prio != sides.MQ_PRIO_MAX-1 {
				e.t.Errorf("%s: received %d bytes at prio %d", e.side, n, prio)
			}
			return e.mq.Send(mqd, []byte("x"), sides.MQ_PRIO_MAX)
		}},
		{"send/prio-over-unsigned-int", unix.EINVAL, func(e *mqEnv) error {
			if strconv.IntSize == 32 {
				return unix.EINVAL // a Go uint is a C unsigned int
			}
			_, mqd := e.create(2, 8, 0)
			big := uint64(1) << 32 // truncated to unsigned int, it would be 0
			err := e.mq.Send(mqd, []byte("x"), uint(big))
			e.logf("curmsgs=%d", e.attr(mqd).Curmsgs)
			return err
		}},
		{"send/O_RDONLY", unix.EBADF, func(e *mqEnv) error {
			name, _ := e.create(2, 8, 0)
			mqd, err := e.open(name, unix.O_RDONLY, 0, nil)
			e.must("mq_open O_RDONLY", err)
			return e.mq.Send(mqd, []byte("x"), 0)
		}},
		{"receive/O_WRONLY", unix.EBADF, func(e *mqEnv) error {
			name, w := e.create(2, 8, 0)
			e.fill(w, 1)
			mqd, err := e.open(name, unix.O_WRONLY, 0, nil)
			e.must("mq_open O_WRONLY", err)
			_, err = e.mq.Receive(mqd, make([]byte, 8), nil)
			return err
		}},
		{"send/full-O_NONBLOCK", unix.EAGAIN, func(e *mqEnv) error {
			_, mqd := e.create(2, 8, unix.O_NONBLOCK)
			e.fill(mqd, 2)
			return e.mq.Send(mqd, []byte("x"), 0)
		}},
		{"receive/empty-O_NONBLOCK", unix.EAGAIN, func(e *mqEnv) error {
			_, mqd := e.create(2, 8, unix.O_NONBLOCK)
			n, err := e.mq.Receive(mqd, make([]byte, 8), nil)
			e.logf("n=%d", n)
			return err
		}},
		{"send/zero-length", nil, func(e *mqEnv) error {
			_, mqd := e.create(2, 8, 0)
			e.must("mq_send", e.mq.Send(mqd, nil, 3))
			var prio uint
			n, err := e.mq.Receive(mqd, make([]byte, 8), &prio)
			e.logf("n=%d prio=%d", n, prio)
			if n != 0 || prio != 3 {
				e.t.Errorf("%s: got n=%d prio=%d, want 0 and 3", e.side, n, prio)
			}
			return err
		}},
		{"receive/prio-nil", nil, func(e *mqEnv) error {
			_, mqd := e.create(2, 8, 0)
			e.must("mq_send", e.mq.Send(mqd, []byte("abc"), 7))
			buf := make([]byte, 8)
			n, err := e.mq.Receive(mqd, buf, nil)
			e.logf("n=%d msg=%q", n, buf[:max(n, 0)])
			return err
		}},
		{"receive/priority-order", nil, func(e *mqEnv) error {
			_, mqd := e.create(8, 8, 0)
			for _, m := range []struct {
				msg  string
				prio uint
			}{{"p1", 1}, {"p5a", 5}, {"p3", 3}, {"p5b", 5}, {"p0", 0}} {
				e.must("mq_send", e.mq.Send(mqd, []byte(m.msg), m.prio))
			}
			var got []string
			buf := make([]byte, 8)
			for i := 0; i < 5; i++ {
				var prio uint
				n, err := e.mq.Receive(mqd, buf, &prio)
				e.must("mq_receive", err)
				got = append(got, fmt.Sprintf("%s/%d", buf[:n], prio))
			}
			want := []string{"p5a/5", "p5b/5", "p3/3", "p1/1", "p0/0"}
			if !slices.Equal(got, want) {
				e.t.Errorf("%s: received %v, want %v", e.side, got, want)
			}
			e.logf("%v", got)
			return nil
		}},

		// Timed calls.
		{"timedsend/expires", unix.ETIMEDOUT, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			e.fill(mqd, 1)
			start := time.Now()
			err := e.mq.Timedsend(mqd, []byte("x"), 0, in(e.t, 20*time.Millisecond))
			if d := time.Since(start); d < 15*time.Millisecond {
				e.t.Errorf("%s: returned after %v, before the deadline", e.side, d)
			}
			return err
		}},
		{"timedreceive/expires", unix.ETIMEDOUT, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			start := time.Now()
			n, err := e.mq.Timedreceive(mqd, make([]byte, 8), nil, in(e.t, 20*time.Millisecond))
			if d := time.Since(start); d < 15*time.Millisecond {
				e.t.Errorf("%s: returned after %v, before the deadline", e.side, d)
			}
			e.logf("n=%d", n)
			return err
		}},
		{"timedreceive/past-deadline-empty", unix.ETIMEDOUT, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			_, err := e.mq.Timedreceive(mqd, make([]byte, 8), nil, &unix.Timespec{Sec: 1})
			return err
		}},
		{"timedreceive/past-deadline-nonempty", nil, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			e.fill(mqd, 1)
			_, err := e.mq.Timedreceive(mqd, make([]byte, 8), nil, &unix.Timespec{Sec: 1})
			return err
		}},
		{"timedsend/past-deadline-not-full", nil, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			return e.mq.Timedsend(mqd, []byte("x"), 0, &unix.Timespec{Sec: 1})
		}},
		{"timedsend/wakes-on-receive", nil, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			e.fill(mqd, 1)
			done := make(chan error, 1)
			abstime := in(e.t, 10*time.Second)
			// Whether or not the send is asleep yet, the receive frees
			// the place it waits for.
			go func() { done <- e.mq.Timedsend(mqd, []byte("late"), 2, abstime) }()
			buf := make([]byte, 8)
			n, err := e.mq.Receive(mqd, buf, nil)
			e.must("mq_receive", err)
			e.logf("first=%q", buf[:n])
			if string(buf[:n]) != "a" {
				e.t.Errorf("%s: first message %q, want \"a\"", e.side, buf[:n])
			}
			if err := <-done; err != nil {
				return err
			}
			n, err = e.mq.Receive(mqd, buf, nil)
			e.must("mq_receive", err)
			e.logf("second=%q", buf[:n])
			if string(buf[:n]) != "late" {
				e.t.Errorf("%s: second message %q, want \"late\"", e.side, buf[:n])
			}
			return nil
		}},
	}
	for _, bt := range badTimes {
		// The kernel checks abstime on entry: EINVAL whether or not the
		// call would block.
		for _, full := range []bool{true, false} {
			bt, full := bt, full
			state := map[bool]string{true: "full", false: "not-full"}[full]
			cases = append(cases, mqCase{"timedsend/" + bt.name + "/" + state, unix.EINVAL, func(e *mqEnv) error {
				_, mqd := e.create(1, 8, 0)
				if full {
					e.fill(mqd, 1)
				}
				ts := bt.ts
				err := e.mq.Timedsend(mqd, []byte("x"), 0, &ts)
				e.logf("curmsgs=%d", e.attr(mqd).Curmsgs)
				return err
			}})
			state = map[bool]string{true: "nonempty", false: "empty"}[full]
			cases = append(cases, mqCase{"timedreceive/" + bt.name + "/" + state, unix.EINVAL, func(e *mqEnv) error {
				_, mqd := e.create(1, 8, 0)
				if full {
					e.fill(mqd, 1)
				}
				ts := bt.ts
				_, err := e.mq.Timedreceive(mqd, make([]byte, 8), nil, &ts)
				e.logf("curmsgs=%d", e.attr(mqd).Curmsgs)
				return err
			}})
		}
	}
	cases = append(cases, []mqCase{
		// Attributes.
		{"getattr/curmsgs", nil, func(e *mqEnv) error {
			_, mqd := e.create(5, 16, 0)
			e.fill(mqd, 3)
			a := e.attr(mqd)
			if want := (sides.MqAttr{Maxmsg: 5, Msgsize: 16, Curmsgs: 3}); a != want {
				e.t.Errorf("%s: attr %+v, want %+v", e.side, a, want)
			}
			e.logf("attr=%+v", a)
			return nil
		}},
		{"getattr/nil", nil, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			return e.mq.Getattr(mqd, nil)
		}},
		{"getattr/pipe", unix.EBADF, func(e *mqEnv) error {
			var p [2]int
			e.must("pipe", unix.Pipe2(p[:], unix.O_CLOEXEC))
			defer unix.Close(p[0])
			defer unix.Close(p[1])
			var a sides.MqAttr
			return e.mq.Getattr(p[0], &a)
		}},
		{"getattr/-1", unix.EBADF, func(e *mqEnv) error {
			var a sides.MqAttr
			return e.mq.Getattr(-1, &a)
		}},
		{"send/not-open", unix.EBADF, func(e *mqEnv) error {
			return e.mq.Send(1<<30, []byte("x"), 0)
		}},
		{"close/-1", unix.EBADF, func(e *mqEnv) error { return e.mq.Close(-1) }},
		{"setattr/toggle-O_NONBLOCK", nil, func(e *mqEnv) error {
			_, mqd := e.create(2, 8, 0)
			e.fill(mqd, 1)
			var old sides.MqAttr
			e.must("mq_setattr", e.mq.Setattr(mqd, &sides.MqAttr{Flags: unix.O_NONBLOCK, Maxmsg: 9, Msgsize: 99, Curmsgs: 7}, &old))
			now := e.attr(mqd)
			if want := (sides.MqAttr{Maxmsg: 2, Msgsize: 8, Curmsgs: 1}); old != want {
				e.t.Errorf("%s: old attr %+v, want %+v", e.side, old, want)
			}
			if want := (sides.MqAttr{Flags: unix.O_NONBLOCK, Maxmsg: 2, Msgsize: 8, Curmsgs: 1}); now != want {
				e.t.Errorf("%s: attr after setattr %+v, want %+v (only O_NONBLOCK changes)", e.side, now, want)
			}
			e.logf("old=%+v now=%+v", old, now)
			// Now the descriptor does not block.
			e.fill(mqd, 1)
			if err := e.mq.Send(mqd, []byte("x"), 0); err != unix.EAGAIN {
				e.t.Errorf("%s: send on full queue after O_NONBLOCK = %v, want EAGAIN", e.side, err)
			}
			e.must("mq_setattr", e.mq.Setattr(mqd, &sides.MqAttr{}, &old))
			now = e.attr(mqd)
			if old.Flags != unix.O_NONBLOCK || now.Flags != 0 {
				e.t.Errorf("%s: flags old %#x now %#x, want O_NONBLOCK and 0", e.side, old.Flags, now.Flags)
			}
			e.logf("old=%+v now=%+v", old, now)
			return nil
		}},
		{"setattr/other-flags", unix.EINVAL, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			return e.mq.Setattr(mqd, &sides.MqAttr{Flags: unix.O_NONBLOCK | unix.O_APPEND}, nil)
		}},
		{"setattr/nil-nil", nil, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			return e.mq.Setattr(mqd, nil, nil)
		}},

		// Notification.
		{"notify/second-registration", unix.EBUSY, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			e.must("mq_notify", e.mq.Notify(mqd, &sides.Sigevent{Notify: sides.SIGEV_NONE}))
			return e.mq.Notify(mqd, &sides.Sigevent{Notify: sides.SIGEV_NONE})
		}},
		{"notify/second-registration-other-descriptor", unix.EBUSY, func(e *mqEnv) error {
			name, mqd := e.create(1, 8, 0)
			e.must("mq_notify", e.mq.Notify(mqd, &sides.Sigevent{Notify: sides.SIGEV_SIGNAL, Signo: int(unix.SIGUSR2)}))
			mqd2, err := e.open(name, unix.O_RDONLY, 0, nil)
			e.must("mq_open", err)
			return e.mq.Notify(mqd2, &sides.Sigevent{Notify: sides.SIGEV_NONE})
		}},
		{"notify/unregister-then-register", nil, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			e.must("mq_notify", e.mq.Notify(mqd, &sides.Sigevent{Notify: sides.SIGEV_NONE}))
			e.must("mq_notify(NULL)", e.mq.Notify(mqd, nil))
			return e.mq.Notify(mqd, &sides.Sigevent{Notify: sides.SIGEV_NONE})
		}},
		{"notify/unregister-unregistered", nil, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			return e.mq.Notify(mqd, nil)
		}},
		{"notify/SIGEV_THREAD", unix.EINVAL, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			return e.mq.Notify(mqd, &sides.Sigevent{Notify: sides.SIGEV_THREAD})
		}},
		{"notify/unknown-notify", unix.EINVAL, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			return e.mq.Notify(mqd, &sides.Sigevent{Notify: 99})
		}},
		{"notify/bad-signal", unix.EINVAL, func(e *mqEnv) error {
			_, mqd := e.create(1, 8, 0)
			return e.mq.Notify(mqd, &sides.Sigevent{Notify: sides.SIGEV_SIGNAL, Signo: 65})
		}},
		{"notify/pipe", unix.EBADF, func(e *mqEnv) error {
			var p [2]int
			e.must("pipe", unix.Pipe2(p[:], unix.O_CLOEXEC))
			defer unix.Close(p[0])
			defer unix.Close(p[1])
			return e.mq.Notify(p[0], &sides.Sigevent{Notify: sides.SIGEV_NONE})
		}},
		{"notify/SIGEV_NONE-consumed-by-send", nil, func(e *mqEnv) error {
			_, mqd := e.create(2, 8, 0)
			e.must("mq_notify", e.mq.Notify(mqd, &sides.Sigevent{Notify: sides.SIGEV_NONE}))
			e.fill(mqd, 1) // empty -> non-empty: the registration is used up
			return e.mq.Notify(mqd, &sides.Sigevent{Notify: sides.SIGEV_NONE})
		}},
	}...)
	return cases
}

// skipWithCapSysResource skips a case that goes over a limit of
// /proc/sys/fs/mqueue, which CAP_SYS_RESOURCE lifts.
func skipWithCapSysResource(t *testing.T) {
	if hasCap(t, unix.CAP_SYS_RESOURCE) {
		t.Skip("CAP_SYS_RESOURCE lifts the limits of /proc/sys/fs/mqueue")
	}
}

// mqUnlinkNotOwner unlinks, as another user, a queue root made: the
// mqueue root directory is sticky (mode 1777), so the kernel says EPERM,
// which glibc turns into EACCES. An O_RDWR open of the 0600 queue gives
// EACCES too.
func mqUnlinkNotOwner(t *testing.T, api sides.API) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a queue another user cannot unlink")
	}
	e := &mqEnv{t: t, mq: api.Mq, side: api.Name}
	name, _ := e.create(1, 8, 0)
	var raw, unlink, open error
	asNobody(t, func() {
		p, err := unix.BytePtrFromString(name[1:])
		if err != nil {
			raw = err
			return
		}
		if _, _, e := unix.Syscall(unix.SYS_MQ_UNLINK, uintptr(unsafe.Pointer(p)), 0, 0); e != 0 {
			raw = e
		}
		unlink = api.Mq.Unlink(name)
		_, open = api.Mq.Open(name, unix.O_RDWR, 0, nil)
	})
	checkErrno(t, "raw mq_unlink", raw, unix.EPERM)
	checkErrno(t, api.Name+": mq_unlink", unlink, unix.EACCES)
	checkErrno(t, api.Name+": mq_open O_RDWR", open, unix.EACCES)
}

// mqNotifySignal registers for SIGEV_SIGNAL with SIGUSR1 on an empty
// queue, sends a message, and waits for the signal; the registration is
// then used up, so a new one succeeds.
func mqNotifySignal(t *testing.T, api sides.API) {
	e := &mqEnv{t: t, mq: api.Mq, side: api.Name}
	_, mqd := e.create(2, 8, 0)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, unix.SIGUSR1)
	defer signal.Stop(ch)
	e.must("mq_notify", api.Mq.Notify(mqd, &sides.Sigevent{Notify: sides.SIGEV_SIGNAL, Signo: int(unix.SIGUSR1), Value: 42}))
	e.must("mq_send", api.Mq.Send(mqd, []byte("x"), 0))
	select {
	case sig := <-ch:
		if sig != unix.SIGUSR1 {
			t.Errorf("%s: got signal %v, want SIGUSR1", api.Name, sig)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no SIGUSR1 within 5s of the send", api.Name)
	}
	e.must("mq_notify after delivery", api.Mq.Notify(mqd, &sides.Sigevent{Notify: sides.SIGEV_NONE}))
}
