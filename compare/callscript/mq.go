//go:build linux

package callscript

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// The message-queue calls of call scripts, as glibc declares them:
//
//	mq_open("/q$RUN", O_RDWR) = $q
//	mq_open("/q$RUN", O_CREAT|O_RDWR, 0600, {mq_maxmsg=2, mq_msgsize=16}) = $q
//	mq_open("/q$RUN", O_CREAT|O_RDWR, 0600, NULL) = $q
//	mq_close($q) = 0
//	mq_unlink("/q$RUN") = 0
//	mq_send($q, "hello", 5, 1) = 0
//	mq_timedsend($q, "hello", 5, 1, {tv_sec=+0, tv_nsec=+20000000}) = -1 ETIMEDOUT
//	mq_receive($q, buf, 16, prio) = 5
//	mq_timedreceive($q, buf, 16, NULL, {tv_sec=0, tv_nsec=1000000000}) = -1 EINVAL
//	mq_getattr($q, attr) = 0
//	mq_setattr($q, {mq_flags=O_NONBLOCK}, oldattr) = 0
//	mq_notify($q, {sigev_notify=SIGEV_SIGNAL, sigev_signo=SIGUSR1}) = 0
//	mq_notify($q, NULL) = 0
//
// mq_send's count is how many bytes of the string go (at most its length);
// mq_receive's is the size of the buffer. The out arguments (buf, prio,
// attr, oldattr: any lower-case name) show in the transcript what the call
// wrote there: the message (cut after 32 bytes, as strace does), the
// priority in brackets ([5]), the attributes in braces; NULL passes no
// pointer. A failed call wrote nothing, and shows the name.
//
// A deadline (the last argument of the timed calls) is NULL (wait for
// ever), an absolute CLOCK_REALTIME time {tv_sec=S, tv_nsec=N} passed as
// it is (for the values the kernel refuses, and for times long past), or a
// time relative to the call, {tv_sec=+S, tv_nsec=+N}: the clock is read
// when the call is made and S seconds and N nanoseconds are added, the sum
// carried into tv_sec. A relative S or N may be negative, written +-S
// ({tv_sec=+-1, tv_nsec=+0} is a second before the call). The fields may
// be mixed one way: {tv_sec=+S, tv_nsec=N} is S seconds from now with
// tv_nsec N passed as it is (to give the kernel a tv_nsec it refuses, in a
// time to come); an absolute tv_sec with a relative tv_nsec is an error. A
// missing field is 0, of the other field's kind.
//
// mq_notify with SIGEV_SIGNAL first makes the interpreter catch the signal
// (signal.Notify), so that a notification that fires does not end it; the
// script sees nothing of the delivery. With SIGEV_THREAD,
//
//	mq_notify($q, {sigev_notify=SIGEV_THREAD, sigev_notify_function=record, sigev_value=7}) = 0
//
// the side runs a function that records sigev_value on a thread of its own
// (goipc: a goroutine) when a message arrives on the empty queue. It runs
// some time after the message came (a thread to start), so the script
// waits for it with usleep, and the transcript shows what ran after the
// next usleep, as it shows a caught signal: "--- sigev_notify_function(7)
// ---"; and what ran later, at the end.

// mqAttrFields are the fields of struct mq_attr, in its order.
var mqAttrFields = []string{"mq_flags", "mq_maxmsg", "mq_msgsize", "mq_curmsgs"}

// mqAttrArg evaluates argument i, NULL or {mq_maxmsg=..., ...}.
func mqAttrArg(c *Call, i int) (*sides.MqAttr, error) {
	if c.IsNull(i) {
		return nil, nil
	}
	f, err := c.Fields(i, mqAttrFields...)
	if err != nil {
		return nil, err
	}
	return &sides.MqAttr{Flags: f["mq_flags"], Maxmsg: f["mq_maxmsg"], Msgsize: f["mq_msgsize"], Curmsgs: f["mq_curmsgs"]}, nil
}

// showMqAttr renders attributes as strace does.
func showMqAttr(a *sides.MqAttr) string {
	flags := "0"
	switch {
	case a.Flags == unix.O_NONBLOCK:
		flags = "O_NONBLOCK"
	case a.Flags != 0:
		flags = fmt.Sprintf("%#x", a.Flags)
	}
	return fmt.Sprintf("{mq_flags=%s, mq_maxmsg=%d, mq_msgsize=%d, mq_curmsgs=%d}", flags, a.Maxmsg, a.Msgsize, a.Curmsgs)
}

// outArg checks that argument i is NULL or a lower-case out name and tells
// which.
func outArg(c *Call, i int) (isNull bool, err error) {
	e, err := c.arg(i)
	if err != nil {
		return false, err
	}
	switch e.Kind {
	case ExprNull:
		return true, nil
	case ExprOut:
		return false, nil
	}
	return false, fmt.Errorf("%s: expected NULL or a lower-case name where the call writes", e.Src)
}

// deadlineArg evaluates argument i as a deadline: NULL, {tv_sec=S,
// tv_nsec=N} absolute, {tv_sec=+S, tv_nsec=+N} relative to now (S and N
// may be negative: +-1), or {tv_sec=+S, tv_nsec=N}, S seconds from now with
// tv_nsec N as it is.
func deadlineArg(c *Call, i int) (*unix.Timespec, error) {
	if c.IsNull(i) {
		return nil, nil
	}
	f, err := c.Fields(i, "tv_sec", "tv_nsec")
	if err != nil {
		return nil, err
	}
	e, _ := c.arg(i)
	relative := map[string]bool{}
	for _, el := range e.Elems {
		relative[el.Field] = strings.HasPrefix(el.Src, "+")
	}
	// A missing field is 0, of the other field's kind.
	for field, other := range map[string]string{"tv_sec": "tv_nsec", "tv_nsec": "tv_sec"} {
		if _, given := relative[field]; !given {
			relative[field] = relative[other]
		}
	}
	sec, nsec := f["tv_sec"], f["tv_nsec"]
	if !relative["tv_sec"] && !relative["tv_nsec"] {
		return &unix.Timespec{Sec: sec, Nsec: nsec}, nil
	}
	if !relative["tv_sec"] {
		return nil, fmt.Errorf("%s: a relative tv_nsec (+N) needs a relative tv_sec (+S): an absolute second with nanoseconds from now means nothing", e.Src)
	}
	var now unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_REALTIME, &now); err != nil {
		return nil, err
	}
	if !relative["tv_nsec"] {
		// S seconds from now, tv_nsec as given, unchecked: a time to
		// come with a tv_nsec the kernel refuses.
		return &unix.Timespec{Sec: now.Sec + sec, Nsec: nsec}, nil
	}
	abs := unix.NsecToTimespec(now.Nano() + sec*1e9 + nsec)
	return &abs, nil
}

// mqTransfer checks the number of arguments of a send or a receive (one
// more when timed) and returns the side and the queue descriptor.
func mqTransfer(c *Call, timed bool) (sides.Mq, int64, error) {
	api := c.api.Mq
	n := 4
	if timed {
		n = 5
	}
	if err := c.Arity(n); err != nil {
		return api, 0, err
	}
	mqd, err := c.Int(0)
	return api, mqd, err
}

// mqReceive carries out mq_receive and mq_timedreceive (timed).
func mqReceive(c *Call, timed bool) (int64, error) {
	api, mqd, err := mqTransfer(c, timed)
	if err != nil {
		return 0, err
	}
	buf, raw, err := outBuffer(c, 1, 2) // raw: NULL or BADPTR (mem.go)
	if err != nil {
		return 0, err
	}
	if _, err := outArg(c, 1); err != nil && !raw {
		return 0, err
	}
	noPrio, err := outArg(c, 3)
	if err != nil {
		return 0, err
	}
	var prio uint
	pp := &prio
	if noPrio {
		pp = nil
	}
	var n int
	var rerr error
	if timed {
		if p, raw, err := pointerArg(c, 4); err != nil {
			return 0, err
		} else if raw && p != nil {
			n, rerr = c.api.Raw.MqTimedreceive(int(mqd), buf, pp, p)
		} else {
			ts, err := deadlineArg(c, 4)
			if err != nil {
				return 0, err
			}
			n, rerr = api.Timedreceive(int(mqd), buf, pp, ts)
		}
	} else {
		n, rerr = api.Receive(int(mqd), buf, pp)
	}
	if rerr != nil {
		return int64(n), rerr // as the side returned it (raw)
	}
	if !raw {
		c.Show(1, Quote(buf[:n]))
	}
	if !noPrio {
		c.Show(3, "["+strconv.FormatUint(uint64(prio), 10)+"]")
	}
	return int64(n), nil
}

// mqSend carries out mq_send and mq_timedsend (timed).
func mqSend(c *Call, timed bool) (int64, error) {
	api, mqd, err := mqTransfer(c, timed)
	if err != nil {
		return 0, err
	}
	msg, _, err := inBuffer(c, 1) // or NULL or BADPTR (mem.go)
	if err != nil {
		return 0, err
	}
	prio, err := c.Int(3)
	if err != nil {
		return 0, err
	}
	var serr error
	if timed {
		if p, raw, err := pointerArg(c, 4); err != nil {
			return 0, err
		} else if raw && p != nil {
			serr = c.api.Raw.MqTimedsend(int(mqd), msg, uint(prio), p)
		} else {
			ts, err := deadlineArg(c, 4)
			if err != nil {
				return 0, err
			}
			serr = api.Timedsend(int(mqd), msg, uint(prio), ts)
		}
	} else {
		serr = api.Send(int(mqd), msg, uint(prio))
	}
	if serr != nil {
		return -1, serr
	}
	return 0, nil
}

// mqGetsetattr carries out mq_getattr(MQD, attr) and, with set,
// mq_setattr(MQD, NEWATTR, oldattr): in glibc both are the mq_getsetattr
// system call.
func mqGetsetattr(c *Call, set bool) (int64, error) {
	api := c.api.Mq
	out := 1 // the attributes the call gives
	if set {
		out = 2
	}
	if err := c.Arity(out + 1); err != nil {
		return 0, err
	}
	mqd, err := c.Int(0)
	if err != nil {
		return 0, err
	}
	if raw, err := mqGetsetattrRaw(c, mqd, set, out); raw || err != nil {
		return status(err)
	}
	var newattr, attr *sides.MqAttr
	if set {
		if newattr, err = mqAttrArg(c, 1); err != nil {
			return 0, err
		}
	}
	null, err := outArg(c, out)
	if err != nil {
		return 0, err
	}
	if !null {
		attr = new(sides.MqAttr)
	}
	if set {
		err = api.Setattr(int(mqd), newattr, attr)
	} else {
		err = api.Getattr(int(mqd), attr)
	}
	if err != nil {
		return -1, err
	}
	if attr != nil {
		c.Show(out, showMqAttr(attr))
	}
	return 0, nil
}

// sigevThread evaluates argument i when it is a SIGEV_THREAD sigevent:
// {sigev_notify=SIGEV_THREAD, sigev_notify_function=record,
// sigev_value=N}, and gives its value.
func sigevThread(c *Call, i int) (value int, thread bool, err error) {
	e, err := c.arg(i)
	if err != nil || e.Kind != ExprStruct {
		return 0, false, err
	}
	fields := map[string]*Expr{}
	for _, f := range e.Elems {
		fields[f.Field] = f
	}
	n, ok := fields["sigev_notify"]
	if _, fn := fields["sigev_notify_function"]; !ok || !fn {
		// No function: the sides' MqNotify, which refuses SIGEV_THREAD.
		return 0, false, nil
	}
	if v, err := c.evalInt(n); err != nil || v != sides.SIGEV_THREAD {
		return 0, false, err
	}
	for name, f := range fields {
		switch {
		case name == "sigev_notify":
		case name == "sigev_notify_function" && f.Kind == ExprOut && f.Name == "record":
		case name == "sigev_value":
			v, err := c.evalInt(f)
			if err != nil {
				return 0, true, err
			}
			value = int(v)
		default:
			return 0, true, fmt.Errorf("%s: SIGEV_THREAD takes sigev_notify_function=record and sigev_value=N", f.Src)
		}
	}
	return value, true, nil
}

// notified writes, after a usleep (the script's wait for the threads),
// the values the SIGEV_THREAD functions recorded since the last time:
// "--- sigev_notify_function(7) ---".
func (st *execState) notified(line *ScriptLine, ind string) {
	if !st.notifyThreads || line != nil && line.Call != "usleep" {
		return
	}
	for _, v := range st.api.MqThread.Notified() {
		fmt.Fprintf(st.w, "%s--- sigev_notify_function(%d) ---\n", ind, v)
	}
}

// cMqAttr is glibc's struct mq_attr: four longs and four reserved.
type cMqAttr [8]int64

// mqGetsetattrRaw carries out mq_getattr and mq_setattr when one of the
// attributes is BADPTR (a NULL one is the side's own nil): the other is
// passed as glibc's struct mq_attr. raw says it did.
func mqGetsetattrRaw(c *Call, mqd int64, set bool, out int) (raw bool, err error) {
	var newp, oldp unsafe.Pointer
	var newRaw, oldRaw bool
	if set {
		if newp, newRaw, err = pointerArg(c, 1); err != nil {
			return false, err
		}
		newRaw = newRaw && newp != nil
	}
	if oldp, oldRaw, err = pointerArg(c, out); err != nil {
		return false, err
	}
	oldRaw = oldRaw && oldp != nil
	if !newRaw && !oldRaw {
		return false, nil
	}
	var newattr, oldattr cMqAttr
	if set && !newRaw {
		a, err := mqAttrArg(c, 1)
		if err != nil {
			return true, err
		}
		newp = nil
		if a != nil {
			newattr = cMqAttr{a.Flags, a.Maxmsg, a.Msgsize, a.Curmsgs}
			newp = unsafe.Pointer(&newattr)
		}
	}
	shown := false
	if !oldRaw {
		null, err := outArg(c, out)
		if err != nil {
			return true, err
		}
		oldp, shown = nil, !null
		if !null {
			oldp = unsafe.Pointer(&oldattr)
		}
	}
	if set {
		err = c.api.Raw.MqSetattr(int(mqd), newp, oldp)
	} else {
		err = c.api.Raw.MqGetattr(int(mqd), oldp)
	}
	if err == nil && shown {
		c.Show(out, showMqAttr(&sides.MqAttr{Flags: oldattr[0], Maxmsg: oldattr[1], Msgsize: oldattr[2], Curmsgs: oldattr[3]}))
	}
	return true, err
}

// Mq is the table of the mq calls.
var Mq = newTable(func(t *Table) {
	for name, v := range map[string]int64{
		"MQ_PRIO_MAX":  sides.MQ_PRIO_MAX,
		"SIGEV_SIGNAL": sides.SIGEV_SIGNAL, "SIGEV_NONE": sides.SIGEV_NONE, "SIGEV_THREAD": sides.SIGEV_THREAD,
		"SIGUSR1": int64(unix.SIGUSR1), "SIGUSR2": int64(unix.SIGUSR2),
	} {
		t.symbols[name] = v
	}

	// mq_open(NAME, OFLAG) or mq_open(NAME, OFLAG, MODE, ATTR): binds the
	// queue descriptor.
	sided(t, func(a *sides.API) sides.Mq { return a.Mq }, "mq_open", func(c *Call, api sides.Mq) (int64, error) {
		if c.NArgs() != 2 && c.NArgs() != 4 {
			return 0, fmt.Errorf("mq_open takes 2 or 4 arguments, not %d", c.NArgs())
		}
		p, rawName, err := rawName(c, 0, true)
		if err != nil {
			return 0, err
		}
		oflag, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		var mode int64
		var attr *sides.MqAttr
		var rawAttr unsafe.Pointer
		if c.NArgs() == 4 {
			if mode, err = c.Int(2); err != nil {
				return 0, err
			}
			var raw bool
			if rawAttr, raw, err = pointerArg(c, 3); err != nil {
				return 0, err
			}
			// NULL attributes are the side's own nil: BADPTR only.
			raw = raw && rawAttr != nil
			if !raw && !rawName {
				if attr, err = mqAttrArg(c, 3); err != nil {
					return 0, err
				}
			} else if !raw && !c.IsNull(3) {
				return 0, fmt.Errorf("with a bad name, the attributes are NULL or BADPTR: glibc reads the name first")
			}
			rawName = rawName || raw
		}
		if rawName {
			return count(c.api.Raw.MqOpen(p, int(oflag), uint32(mode), rawAttr))
		}
		name, _ := c.String(0)
		return count(api.Open(name, int(oflag), uint32(mode), attr))
	})
	// mq_close(MQD)
	sided(t, func(a *sides.API) sides.Mq { return a.Mq }, "mq_close", func(c *Call, api sides.Mq) (int64, error) {
		a, err := c.Ints(1)
		if err != nil {
			return 0, err
		}
		return status(api.Close(a[0]))
	})
	// mq_unlink(NAME)
	t.calls["mq_unlink"] = nameCall(func(a *sides.API, name string) error { return a.Mq.Unlink(name) }, func(a *sides.API, p unsafe.Pointer) error { return a.Raw.MqUnlink(p) }, true)
	// mq_send(MQD, "msg", COUNT, PRIO)
	t.calls["mq_send"] = func(c *Call) (int64, error) { return mqSend(c, false) }
	// mq_timedsend(MQD, "msg", COUNT, PRIO, DEADLINE)
	t.calls["mq_timedsend"] = func(c *Call) (int64, error) { return mqSend(c, true) }
	// mq_receive(MQD, buf, SIZE, prio|NULL)
	t.calls["mq_receive"] = func(c *Call) (int64, error) { return mqReceive(c, false) }
	// mq_timedreceive(MQD, buf, SIZE, prio|NULL, DEADLINE)
	t.calls["mq_timedreceive"] = func(c *Call) (int64, error) { return mqReceive(c, true) }
	// mq_getattr(MQD, attr|NULL)
	t.calls["mq_getattr"] = func(c *Call) (int64, error) { return mqGetsetattr(c, false) }
	// mq_setattr(MQD, NEWATTR|NULL, oldattr|NULL)
	t.calls["mq_setattr"] = func(c *Call) (int64, error) { return mqGetsetattr(c, true) }
	// mq_notify(MQD, {sigev_notify=..., sigev_signo=...}|NULL)
	sided(t, func(a *sides.API) sides.Mq { return a.Mq }, "mq_notify", func(c *Call, api sides.Mq) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		mqd, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		var sev *sides.Sigevent
		if value, thread, err := sigevThread(c, 1); err != nil || thread {
			if err != nil {
				return 0, err
			}
			c.st.notifyThreads = true
			return status(c.api.MqThread.Notify(int(mqd), value))
		}
		if !c.IsNull(1) {
			f, err := c.Fields(1, "sigev_notify", "sigev_signo")
			if err != nil {
				return 0, err
			}
			sev = &sides.Sigevent{Notify: int(f["sigev_notify"]), Signo: int(f["sigev_signo"])}
			if sev.Notify == sides.SIGEV_SIGNAL && sev.Signo > 0 && sev.Signo < 65 {
				signal.Notify(make(chan os.Signal, 1), unix.Signal(sev.Signo))
			}
		}
		return status(api.Notify(int(mqd), sev))
	})

})
