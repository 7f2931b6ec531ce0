//go:build cgo && linux

package cipc_test

// The parity of the queue calls between cipc (glibc) and goipc is checked
// by the call scripts testdata/calls/mq_*.calls (bin/ipcparity check mq):
// names, O_CREAT and O_EXCL, attributes, message and buffer sizes,
// priorities, EBADF, EAGAIN, timed calls, mq_getattr, mq_setattr and
// mq_notify registration. goipc/mq_test.go tests goipc alone. This file
// keeps what a script cannot say: limits read from /proc at run time, a
// name of exactly NAME_MAX bytes (a script's names carry a token of varying
// length), two threads on one queue, a notification signal delivered, a
// queue passed between the sides, and mq_unlink by another user.

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/goipc"
)

// mqSide is one implementation of the queue calls, with goipc's types:
// cipc's MqAttr and Sigevent have the same fields, so pointers convert.
type mqSide struct {
	name    string
	open    func(name string, oflag int, mode uint32, attr *goipc.MqAttr) (int, error)
	close   func(mqd int) error
	unlink  func(name string) error
	send    func(mqd int, msg []byte, prio uint) error
	tsend   func(mqd int, msg []byte, prio uint, abstime *unix.Timespec) error
	receive func(mqd int, buf []byte, prio *uint) (int, error)
	notify  func(mqd int, sev *goipc.Sigevent) error
}

// mqSides are cipc and goipc, in the order of mismatches (-c +go).
var mqSides = [2]mqSide{
	{
		name: "c",
		open: func(name string, oflag int, mode uint32, attr *goipc.MqAttr) (int, error) {
			return cipc.MqOpen(name, oflag, mode, (*cipc.MqAttr)(attr))
		},
		close: cipc.MqClose, unlink: cipc.MqUnlink, send: cipc.MqSend, tsend: cipc.MqTimedsend,
		receive: cipc.MqReceive,
		notify: func(mqd int, sev *goipc.Sigevent) error {
			return cipc.MqNotify(mqd, (*cipc.Sigevent)(sev))
		},
	},
	{
		name: "go", open: goipc.MqOpen, close: goipc.MqClose, unlink: goipc.MqUnlink, send: goipc.MqSend,
		tsend: goipc.MqTimedsend, receive: goipc.MqReceive, notify: goipc.MqNotify,
	},
}

var mqSeq atomic.Int64

// mqName returns a queue name unique to the test run, padded with 'x' to
// pad bytes after its '/' when pad is not 0, and unlinked when the test
// ends.
func mqName(t *testing.T, pad int) string {
	name := fmt.Sprintf("/cipc-test-%d-%d", os.Getpid(), mqSeq.Add(1))
	if pad > 0 {
		name += strings.Repeat("x", pad+1-len(name))
	}
	t.Cleanup(func() { goipc.MqUnlink(name) })
	return name
}

// mqCreate creates a queue on side s with the given limits and opens it
// O_RDWR; the descriptor is closed when the test ends.
func mqCreate(t *testing.T, s mqSide, name string, attr *goipc.MqAttr) (int, error) {
	mqd, err := s.open(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, attr)
	if err == nil {
		t.Cleanup(func() { s.close(mqd) })
	}
	return mqd, err
}

// mqLimit reads /proc/sys/fs/mqueue/<name>.
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

// mqErrName names err: "EINVAL", "0" for nil.
func mqErrName(err error) string {
	if e, ok := err.(unix.Errno); ok {
		return unix.ErrnoName(e)
	}
	if err == nil {
		return "0"
	}
	return err.Error()
}

// TestMqMachineLimits creates queues at and just over this machine's
// limits (msg_max, msgsize_max), whatever they are: both sides must give
// the result the test wants.
func TestMqMachineLimits(t *testing.T) {
	for _, c := range []struct {
		name string
		attr func() goipc.MqAttr
		want error
	}{
		{"msg_max+1", func() goipc.MqAttr { return goipc.MqAttr{Maxmsg: mqLimit(t, "msg_max") + 1, Msgsize: 8} }, unix.EINVAL},
		{"msgsize_max+1", func() goipc.MqAttr { return goipc.MqAttr{Maxmsg: 1, Msgsize: mqLimit(t, "msgsize_max") + 1} }, unix.EINVAL},
		{"at-limits", func() goipc.MqAttr {
			return goipc.MqAttr{Maxmsg: mqLimit(t, "msg_max"), Msgsize: mqLimit(t, "msgsize_max")}
		}, nil},
	} {
		for _, s := range mqSides {
			t.Run(c.name+"/"+s.name, func(t *testing.T) {
				if c.want != nil && hasCapSysResource(t) {
					t.Skip("CAP_SYS_RESOURCE lifts the limits of /proc/sys/fs/mqueue")
				}
				a := c.attr()
				if _, err := mqCreate(t, s, mqName(t, 0), &a); err != c.want {
					t.Errorf("mq_open with %+v = %s, want %s", a, mqErrName(err), mqErrName(c.want))
				}
			})
		}
	}
}

// hasCapSysResource reports whether the process has CAP_SYS_RESOURCE in
// its effective set.
func hasCapSysResource(t *testing.T) bool {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if hex, ok := strings.CutPrefix(line, "CapEff:"); ok {
			caps, err := strconv.ParseUint(strings.TrimSpace(hex), 16, 64)
			return err == nil && caps&(1<<unix.CAP_SYS_RESOURCE) != 0
		}
	}
	return false
}

// TestMqNameMax opens names of exactly NAME_MAX bytes after the '/' and one
// more.
func TestMqNameMax(t *testing.T) {
	for _, s := range mqSides {
		t.Run(s.name, func(t *testing.T) {
			attr := &goipc.MqAttr{Maxmsg: 1, Msgsize: 8}
			if _, err := mqCreate(t, s, mqName(t, unix.NAME_MAX), attr); err != nil {
				t.Errorf("NAME_MAX bytes: %s, want success", mqErrName(err))
			}
			if _, err := mqCreate(t, s, mqName(t, unix.NAME_MAX+1), attr); err != unix.ENAMETOOLONG {
				t.Errorf("NAME_MAX+1 bytes: %s, want ENAMETOOLONG", mqErrName(err))
			}
		})
	}
}

// TestMqTimedsendWakes sends on a full queue from one goroutine and
// receives from another: the waiting send completes long before its
// deadline.
func TestMqTimedsendWakes(t *testing.T) {
	for _, s := range mqSides {
		t.Run(s.name, func(t *testing.T) {
			mqd, err := mqCreate(t, s, mqName(t, 0), &goipc.MqAttr{Maxmsg: 1, Msgsize: 8})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.send(mqd, []byte("first"), 0); err != nil {
				t.Fatal(err)
			}
			var now unix.Timespec
			unix.ClockGettime(unix.CLOCK_REALTIME, &now)
			abstime := unix.NsecToTimespec(now.Nano() + (10 * time.Second).Nanoseconds())
			done := make(chan error, 1)
			// Whether or not the send sleeps yet, the receive frees the
			// place it waits for.
			go func() { done <- s.tsend(mqd, []byte("late"), 2, &abstime) }()
			buf := make([]byte, 8)
			var got []string
			for i := 0; i < 2; i++ {
				n, err := s.receive(mqd, buf, nil)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, string(buf[:n]))
				if i == 0 {
					if err := <-done; err != nil {
						t.Fatalf("mq_timedsend: %s", mqErrName(err))
					}
				}
			}
			if want := "first late"; strings.Join(got, " ") != want {
				t.Errorf("received %q, want %q", got, want)
			}
		})
	}
}

// TestMqNotifySignal registers for SIGEV_SIGNAL with SIGUSR1 on an empty
// queue, sends a message and waits for the signal; the registration is then
// used up, so a new one succeeds.
func TestMqNotifySignal(t *testing.T) {
	for _, s := range mqSides {
		t.Run(s.name, func(t *testing.T) {
			mqd, err := mqCreate(t, s, mqName(t, 0), &goipc.MqAttr{Maxmsg: 2, Msgsize: 8})
			if err != nil {
				t.Fatal(err)
			}
			ch := make(chan os.Signal, 1)
			signal.Notify(ch, unix.SIGUSR1)
			defer signal.Stop(ch)
			if err := s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_SIGNAL, Signo: int(unix.SIGUSR1), Value: 42}); err != nil {
				t.Fatal(err)
			}
			if err := s.send(mqd, []byte("x"), 0); err != nil {
				t.Fatal(err)
			}
			select {
			case <-ch:
			case <-time.After(5 * time.Second):
				t.Fatal("no SIGUSR1 within 5s of the send")
			}
			if err := s.notify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_NONE}); err != nil {
				t.Errorf("mq_notify after delivery: %s", mqErrName(err))
			}
		})
	}
}

// TestMqConstants checks that both sides define the same constants.
func TestMqConstants(t *testing.T) {
	for _, c := range []struct {
		name   string
		c, gov int
	}{
		{"MQ_PRIO_MAX", cipc.MQ_PRIO_MAX, goipc.MQ_PRIO_MAX},
		{"SIGEV_SIGNAL", cipc.SIGEV_SIGNAL, goipc.SIGEV_SIGNAL},
		{"SIGEV_NONE", cipc.SIGEV_NONE, goipc.SIGEV_NONE},
		{"SIGEV_THREAD", cipc.SIGEV_THREAD, goipc.SIGEV_THREAD},
	} {
		if c.c != c.gov {
			t.Errorf("%s: c %d, go %d", c.name, c.c, c.gov)
		}
	}
}

// TestMqInterop passes messages between the sides through one queue: one
// side creates it, each sends, each receives the other's message.
func TestMqInterop(t *testing.T) {
	for _, pair := range [][2]mqSide{{mqSides[0], mqSides[1]}, {mqSides[1], mqSides[0]}} {
		maker, other := pair[0], pair[1]
		t.Run(maker.name+"-creates", func(t *testing.T) {
			name := mqName(t, 0)
			mqd, err := mqCreate(t, maker, name, &goipc.MqAttr{Maxmsg: 4, Msgsize: 16})
			if err != nil {
				t.Fatal(err)
			}
			omqd, err := other.open(name, unix.O_RDWR, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer other.close(omqd)
			if err := other.send(omqd, []byte("from "+other.name), 4); err != nil {
				t.Fatal(err)
			}
			if err := maker.send(mqd, []byte("from "+maker.name), 1); err != nil {
				t.Fatal(err)
			}
			for _, r := range []struct {
				s    mqSide
				mqd  int
				want string
			}{{maker, mqd, "from " + other.name + "/4"}, {other, omqd, "from " + maker.name + "/1"}} {
				buf := make([]byte, 16)
				var prio uint
				n, err := r.s.receive(r.mqd, buf, &prio)
				if err != nil {
					t.Fatal(err)
				}
				if got := fmt.Sprintf("%s/%d", buf[:n], prio); got != r.want {
					t.Errorf("%s received %q, want %q", r.s.name, got, r.want)
				}
			}
		})
	}
}

// TestMqUnlinkNotOwner unlinks, as another user, a queue root made: the
// mqueue root directory is sticky, so the kernel says EPERM, which both
// sides turn into EACCES, as glibc does. An O_RDWR open of the 0600 queue
// gives EACCES too.
func TestMqUnlinkNotOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a queue another user cannot unlink")
	}
	for _, s := range mqSides {
		t.Run(s.name, func(t *testing.T) {
			name := mqName(t, 0)
			if _, err := mqCreate(t, s, name, &goipc.MqAttr{Maxmsg: 1, Msgsize: 8}); err != nil {
				t.Fatal(err)
			}
			var raw, unlink, open error
			asNobody(t, func() {
				p, _ := unix.BytePtrFromString(name[1:])
				if _, _, e := unix.Syscall(unix.SYS_MQ_UNLINK, uintptr(unsafe.Pointer(p)), 0, 0); e != 0 {
					raw = e
				}
				unlink = s.unlink(name)
				_, open = s.open(name, unix.O_RDWR, 0, nil)
			})
			for _, c := range []struct {
				what      string
				got, want error
			}{{"raw mq_unlink", raw, unix.EPERM}, {"mq_unlink", unlink, unix.EACCES}, {"mq_open O_RDWR", open, unix.EACCES}} {
				if c.got != c.want {
					t.Errorf("%s: %s, want %s", c.what, mqErrName(c.got), mqErrName(c.want))
				}
			}
		})
	}
}

// asNobody runs f on a locked OS thread whose effective uid and gid are
// 65534: setresuid and setresgid as raw system calls change the calling
// thread only, and effective capabilities go with the uid. The thread is
// never unlocked, so the Go runtime ends it when f returns.
func asNobody(t *testing.T, f func()) {
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
