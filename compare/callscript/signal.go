//go:build linux

package callscript

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// The signal calls of call scripts:
//
//	sigaction(SIGALRM, {sa_handler=record, sa_flags=0}, NULL) = 0
//	sigaction(SIGPIPE, {sa_handler=SIG_IGN}, NULL) = 0
//	signal(SIGUSR1, record) = SIG_IGN       # glibc's: SA_RESTART; the old action
//	alarm(1) = 0
//	ualarm(50000, 0) = 0
//	read($r, buf, 1) = -1 EINTR (Interrupted system call)
//	--- SIGALRM ---
//	sigaction(SIGUSR1, {sa_handler=record, sa_mask=[SIGUSR2]}, NULL) = 0
//	sigprocmask(SIG_BLOCK, [SIGUSR1, SIGUSR2], old) = 0   # shows old: [SIGALRM]
//	sigpending(set) = 0                                   # shows set: [SIGUSR1]
//	sigsuspend([]) = -1 EINTR
//	pause() = -1 EINTR
//	raise(SIGUSR1) = 0
//
// sa_handler is SIG_DFL, SIG_IGN or record, a handler that records each
// signal it catches; sa_flags (0 if left out) takes SA_RESTART,
// SA_RESETHAND and SA_NODEFER; sa_mask (empty if left out) is an array of
// signals; the old action is not asked for (NULL). A mask (sa_mask,
// sigprocmask's and sigsuspend's) holds signals 1 to 31 other than those
// the Go runtime needs (refusedSignals), as an array, and shows as one:
// [SIGUSR1, SIGALRM]. sigprocmask acts on the main thread, where the
// script runs; a child starts with its parent's mask, as after fork. After each call, the transcript shows the signals the
// handler caught meanwhile, as strace does: "--- SIGALRM ---" (several in
// the order of their numbers). kill, getpid and usleep are proc.go's.
//
// Both interpreters are Go programs, whose runtime needs some signals:
// SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGTRAP (panics), SIGURG
// (preemption) and SIGPROF (profiling) cannot be given an action. A script
// starts with the runtime's actions, which ignore some signals that end a
// C program (SIGPIPE on most descriptors, SIGUSR1, a queue's notification
// signal): the scripts written before signals rely on EPIPE. A script
// that wants C's default says so: sigaction(SIGPIPE, {sa_handler=SIG_DFL},
// NULL). The script's calls run on the main thread (the interpreters lock
// it), and KeepSignalsOnMain makes it the one thread that takes the
// signals a script catches, and the one no runtime signal interrupts.

// refusedSignals are those the Go runtime of both interpreters needs.
var refusedSignals = []unix.Signal{unix.SIGSEGV, unix.SIGBUS, unix.SIGFPE, unix.SIGILL, unix.SIGTRAP, unix.SIGURG, unix.SIGPROF}

// keptEnv marks an interpreter that KeepSignalsOnMain has executed again.
const keptEnv = "IPCCALLS_SIGNALS_ON_MAIN"

// keptSignals are the signals KeepSignalsOnMain blocks on every thread but
// the main one: the standard signals a script may catch that the Go
// runtime lets a program block (it unblocks SIGHUP, SIGINT, SIGTERM,
// SIGQUIT, SIGABRT, SIGSYS, SIGCHLD and SIGSTKFLT on each of its threads
// again; the job-control signals are left alone).
var keptSignals = []unix.Signal{unix.SIGALRM, unix.SIGPIPE, unix.SIGUSR1, unix.SIGUSR2, unix.SIGVTALRM, unix.SIGXCPU, unix.SIGXFSZ, unix.SIGWINCH, unix.SIGIO, unix.SIGPWR}

// KeepSignalsOnMain makes the interpreter's main thread, where the
// script's calls run, the one that a C program's only thread is: it must
// be called from an init function of package main, after
// runtime.LockOSThread. Two things of the Go runtime make a call fail or
// hang where C's does not:
//
//   - The runtime preempts a goroutine that ran 10 ms with SIGURG sent to
//     its thread (tgkill). Under load the signal comes late, when the
//     main thread is already in poll, usleep or another call that a
//     handler ends with EINTR whatever its SA_RESTART: a C program has
//     no such signal. Asynchronous preemption off (GODEBUG
//     asyncpreemptoff=1) sends none.
//   - A process-directed signal (ualarm's SIGALRM) goes to any thread
//     that does not block it: when the kernel gives it to one of the
//     runtime's threads, the main thread's call is not interrupted and
//     restarts (a blocked waitpid waits for ever). The runtime starts its
//     threads with the mask the process started with, so the process
//     starts with keptSignals blocked and the main thread unblocks them.
//
// Both need the process to start so: KeepSignalsOnMain executes
// /proc/self/exe again, once, with keptSignals blocked and GODEBUG set.
// os/signal's own thread (goipc's recording handler) still unblocks the
// signals it is asked for; the kernel gives such a signal to the main
// thread unless that thread has another signal pending and is not running.
func KeepSignalsOnMain() {
	var set, cur unix.Sigset_t
	for _, s := range keptSignals {
		set.Val[(s-1)/64] |= 1 << ((s - 1) % 64)
	}
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, nil, &cur); err != nil {
		fmt.Fprintln(os.Stderr, "ipccalls: sigprocmask:", err)
		os.Exit(2)
	}
	blocked := true
	for i := range set.Val {
		blocked = blocked && cur.Val[i]&set.Val[i] == set.Val[i]
	}
	if blocked && os.Getenv(keptEnv) != "" {
		if err := unix.PthreadSigmask(unix.SIG_UNBLOCK, &set, nil); err != nil {
			fmt.Fprintln(os.Stderr, "ipccalls: sigprocmask:", err)
			os.Exit(2)
		}
		return
	}
	// A forked child comes here too when its mask is its parent's main
	// thread's (cipc forks in C), though keptEnv is in its environment.
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, &set, nil); err != nil {
		fmt.Fprintln(os.Stderr, "ipccalls: sigprocmask:", err)
		os.Exit(2)
	}
	env := []string{keptEnv + "=1"}
	godebug := "asyncpreemptoff=1"
	for _, e := range os.Environ() {
		switch {
		case strings.HasPrefix(e, keptEnv+"="):
		case strings.HasPrefix(e, "GODEBUG="):
			godebug = strings.TrimPrefix(e, "GODEBUG=") + "," + godebug
		default:
			env = append(env, e)
		}
	}
	err := unix.Exec("/proc/self/exe", os.Args, append(env, "GODEBUG="+godebug))
	fmt.Fprintln(os.Stderr, "ipccalls: executing itself again:", err)
	os.Exit(2)
}

// sigState is a signal action a script set, which a forked child sets
// again after its exec.
type sigState struct {
	Sig     int    `json:"sig"`
	Handler int    `json:"handler"`
	Flags   int    `json:"flags"`
	Mask    uint64 `json:"mask,omitempty"` // sa_mask
}

// sigTable is the signal actions a script set, by signal.
type sigTable map[int]sigState

func signalAPI(a *sides.API) sides.Signal { return a.Signal }

// Signal is the table of the signal calls.
var Signal = newTable(func(t *Table) {
	for name, v := range map[string]int64{
		"SIG_DFL": sides.SigDfl, "SIG_IGN": sides.SigIgn,
		"SA_RESTART": 0x10000000, "SA_RESETHAND": 0x80000000, "SA_NODEFER": 0x40000000,
		"SIG_BLOCK": unix.SIG_BLOCK, "SIG_UNBLOCK": unix.SIG_UNBLOCK, "SIG_SETMASK": unix.SIG_SETMASK,
	} {
		t.symbols[name] = v
	}
	maskCalls(t)
	// sigaction(SIG, {sa_handler=H, sa_flags=F}, NULL)
	sided(t, signalAPI, "sigaction", func(c *Call, api sides.Signal) (int64, error) {
		if err := c.Arity(3); err != nil {
			return 0, err
		}
		sig, err := c.scriptSignal(0)
		if err != nil {
			return 0, err
		}
		e, err := c.arg(1)
		if err != nil {
			return 0, err
		}
		if e.Kind != ExprStruct {
			return 0, fmt.Errorf("%s: expected {sa_handler=..., sa_flags=...}", e.Src)
		}
		handler, flags := -1, 0
		var mask *unix.Sigset_t
		for _, f := range e.Elems {
			switch {
			case f.Field == "sa_handler":
				if handler, err = c.handler(f); err != nil {
					return 0, err
				}
			case f.Field == "sa_flags":
				v, err := c.evalInt(f)
				if err != nil {
					return 0, err
				}
				flags = int(v)
			case f.Field == "sa_mask":
				if mask, err = c.sigmask(f); err != nil {
					return 0, err
				}
			default:
				return 0, fmt.Errorf("%s: sa_handler is SIG_DFL, SIG_IGN or record, and sa_mask and sa_flags the only other fields", f.Src)
			}
		}
		if handler < 0 {
			return 0, fmt.Errorf("%s: no sa_handler", e.Src)
		}
		if !c.IsNull(2) {
			return 0, fmt.Errorf("sigaction's oldact is NULL: the old action is the Go runtime's on both sides")
		}
		if err := api.Sigaction(int(sig), handler, flags, mask); err != nil {
			return -1, err
		}
		c.st.sigs[int(sig)] = sigState{Sig: int(sig), Handler: handler, Flags: flags}
		if mask != nil {
			c.st.sigs[int(sig)] = sigState{Sig: int(sig), Handler: handler, Flags: flags, Mask: mask.Val[0]}
		}
		return 0, nil
	})
	// signal(SIG, H): glibc's BSD semantics, sigaction with SA_RESTART.
	// The old action shows by its name as the script set it, or as the
	// runtime's, whose address differs from run to run.
	sided(t, signalAPI, "signal", func(c *Call, api sides.Signal) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		sig, err := c.scriptSignal(0)
		if err != nil {
			return 0, err
		}
		e, _ := c.arg(1)
		handler, err := c.handler(e)
		if err != nil {
			return 0, err
		}
		const saRestart = 0x10000000
		if err := api.Sigaction(int(sig), handler, saRestart, nil); err != nil {
			return -1, err // SIG_ERR
		}
		old, set := c.st.sigs[int(sig)]
		c.st.sigs[int(sig)] = sigState{Sig: int(sig), Handler: handler, Flags: saRestart}
		if !set {
			c.Ret = "(the Go runtime's handler)"
			return 0, nil
		}
		c.Ret = handlerNames[old.Handler]
		return int64(old.Handler), nil
	})
	// alarm(SECONDS): the seconds an earlier alarm had left.
	sided(t, signalAPI, "alarm", func(c *Call, api sides.Signal) (int64, error) {
		a, err := c.Ints(1)
		if err != nil {
			return 0, err
		}
		if a[0] < 0 || a[0] > 5 {
			return 0, fmt.Errorf("alarm %d out of range (0 to 5: the run's deadline is 10 s)", a[0])
		}
		return int64(api.Alarm(uint(a[0]))), nil
	})
	// ualarm(USECS, INTERVAL): whether an earlier timer had time left
	// shows as ">0", since how much varies.
	sided(t, signalAPI, "ualarm", func(c *Call, api sides.Signal) (int64, error) {
		a, err := c.Ints(2)
		if err != nil {
			return 0, err
		}
		if a[0] < 0 || a[0] > 5_000_000 || a[1] < 0 || a[1] > 5_000_000 || a[1] > 0 && a[1] < 1000 {
			return 0, fmt.Errorf("ualarm(%d, %d) out of range (0 to 5000000, an interval of 1000 at least)", a[0], a[1])
		}
		left := api.Ualarm(uint(a[0]), uint(a[1]))
		if left > 0 {
			c.Ret = ">0"
		}
		return int64(left), nil
	})
})

// maskCalls adds the mask calls to the table of the signal calls.
func maskCalls(t *Table) {
	// sigprocmask(HOW, [SIGNALS] | NULL, old | NULL | BADPTR): glibc's
	// reads the new set itself (to leave out its own signals 32 and 33),
	// so a bad one is SIGSEGV in C, no errno: the script's error.
	sided(t, signalAPI, "sigprocmask", func(c *Call, api sides.Signal) (int64, error) {
		if err := c.Arity(3); err != nil {
			return 0, err
		}
		how, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		var set *unix.Sigset_t
		if !c.IsNull(1) {
			e, _ := c.arg(1)
			if e.Kind == ExprName && e.Name == badPtrName {
				return 0, fmt.Errorf("%s: glibc's sigprocmask reads the set before the call: a C program dies of SIGSEGV, with no errno to compare", e.Src)
			}
			if set, err = c.sigmask(e); err != nil {
				return 0, err
			}
		}
		var old unix.Sigset_t
		oldp, err := c.sigsetOut(2, &old)
		if err != nil {
			return 0, err
		}
		err = api.Sigprocmask(int(how), set, oldp)
		if err == nil && oldp == &old {
			c.Show(2, showSigset(&old))
		}
		return status(err)
	})
	// sigpending(set | NULL | BADPTR)
	sided(t, signalAPI, "sigpending", func(c *Call, api sides.Signal) (int64, error) {
		if err := c.Arity(1); err != nil {
			return 0, err
		}
		var set unix.Sigset_t
		p, err := c.sigsetOut(0, &set)
		if err != nil {
			return 0, err
		}
		err = api.Sigpending(p)
		if err == nil && p == &set {
			c.Show(0, showSigset(&set))
		}
		return status(err)
	})
	// sigsuspend([SIGNALS] | NULL | BADPTR): -1 EINTR after a handler.
	sided(t, signalAPI, "sigsuspend", func(c *Call, api sides.Signal) (int64, error) {
		if err := c.Arity(1); err != nil {
			return 0, err
		}
		p, raw, err := pointerArg(c, 0)
		if err != nil {
			return 0, err
		}
		mask := (*unix.Sigset_t)(p)
		if !raw {
			e, _ := c.arg(0)
			if mask, err = c.sigmask(e); err != nil {
				return 0, err
			}
		}
		return -1, api.Sigsuspend(mask)
	})
	// raise(SIG): to the script's thread, where kill's goes to the process.
	sided(t, signalAPI, "raise", func(c *Call, api sides.Signal) (int64, error) {
		if err := c.Arity(1); err != nil {
			return 0, err
		}
		sig, err := c.scriptSignal(0)
		if err != nil {
			return 0, err
		}
		return status(api.Raise(int(sig)))
	})
	// pause(): -1 EINTR after a handler.
	sided(t, signalAPI, "pause", func(c *Call, api sides.Signal) (int64, error) {
		if err := c.Arity(0); err != nil {
			return 0, err
		}
		return -1, api.Pause()
	})
}

// sigmask evaluates e, a mask a script may set: an array of the signals 1
// to 31 but those the Go runtime needs (realtime signals are glibc's own
// and goipc.Caught's).
func (c *Call) sigmask(e *Expr) (*unix.Sigset_t, error) {
	set, err := c.sigset(e, 31)
	if err != nil {
		return nil, err
	}
	for _, s := range refusedSignals {
		if set.Val[0]&(1<<(s-1)) != 0 {
			return nil, fmt.Errorf("%s: %s: the Go runtime of both interpreters needs it", e.Src, unix.SignalName(s))
		}
	}
	return set, nil
}

// sigsetOut evaluates argument i, a signal set the call writes: a
// lower-case name (the transcript shows the set), NULL or BADPTR.
func (c *Call) sigsetOut(i int, set *unix.Sigset_t) (*unix.Sigset_t, error) {
	p, raw, err := pointerArg(c, i)
	if err != nil || raw {
		return (*unix.Sigset_t)(p), err
	}
	if e, _ := c.arg(i); e.Kind != ExprOut {
		return nil, fmt.Errorf("%s: expected a name (set), NULL or BADPTR", e.Src)
	}
	return set, nil
}

// showSigset shows a set as a script writes it: [SIGUSR1, SIGALRM].
func showSigset(set *unix.Sigset_t) string {
	var names []string
	for w, v := range set.Val {
		for b := 0; b < 64; b++ {
			if v&(1<<b) == 0 {
				continue
			}
			s := unix.Signal(w*64 + b + 1)
			name := unix.SignalName(s)
			if name == "" {
				name = fmt.Sprint(int(s))
			}
			names = append(names, name)
		}
	}
	return "[" + strings.Join(names, ", ") + "]"
}

// handlerNames are the names of the handlers a script gives.
var handlerNames = map[int]string{sides.SigDfl: "SIG_DFL", sides.SigIgn: "SIG_IGN", sides.SigRecord: "record"}

// handler evaluates a handler: SIG_DFL, SIG_IGN or record.
func (c *Call) handler(e *Expr) (int, error) {
	switch {
	case e.Kind == ExprOut && e.Name == "record":
		return sides.SigRecord, nil
	case e.Kind == ExprName && (e.Name == "SIG_DFL" || e.Name == "SIG_IGN"):
		return int(c.lang.symbols[e.Name]), nil
	}
	return 0, fmt.Errorf("%s: a handler is SIG_DFL, SIG_IGN or record", e.Src)
}

// signals lists the actions the script set, for a child.
func (st *execState) signals() []sigState {
	var out []sigState
	for _, s := range st.sigs {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b sigState) int { return a.Sig - b.Sig })
	return out
}

// restoreSignals sets again, in a child after its exec, the actions and
// the mask its parent had (a forked child keeps them; an exec'd one gets
// the mask of the runtime's first thread, and its own actions).
func (st *execState) restoreSignals(sigs []sigState, mask uint64) error {
	for _, s := range sigs {
		m := unix.Sigset_t{Val: [16]uint64{s.Mask}}
		if err := st.api.Signal.Sigaction(s.Sig, s.Handler, s.Flags, &m); err != nil {
			return fmt.Errorf("setting %s again in the child: %v", unix.SignalName(unix.Signal(s.Sig)), err)
		}
		st.sigs[s.Sig] = s
	}
	set := unix.Sigset_t{Val: [16]uint64{mask}}
	if err := st.api.Signal.Sigprocmask(unix.SIG_SETMASK, &set, nil); err != nil {
		return fmt.Errorf("setting the signal mask again in the child: %v", err)
	}
	return nil
}

// caught writes the signals the recording handler caught during the call
// just made: "--- SIGALRM ---".
func (st *execState) caught(ind string) {
	if !slices.ContainsFunc(st.signals(), func(s sigState) bool { return s.Handler == sides.SigRecord }) {
		return
	}
	sigs := st.api.Signal.Caught()
	slices.Sort(sigs)
	var b strings.Builder
	for _, s := range sigs {
		fmt.Fprintf(&b, "%s--- %s ---\n", ind, unix.SignalName(unix.Signal(s)))
	}
	if b.Len() > 0 {
		fmt.Fprint(st.w, b.String())
	}
}

// scriptSignal is argument i as a signal a script may set an action for:
// not one of refusedSignals, which the Go runtime of both interpreters
// needs.
func (c *Call) scriptSignal(i int) (int64, error) {
	sig, err := c.Int(i)
	if err != nil {
		return 0, err
	}
	if slices.Contains(refusedSignals, unix.Signal(sig)) {
		return 0, fmt.Errorf("%s: the Go runtime of both interpreters needs it", unix.SignalName(unix.Signal(sig)))
	}
	return sig, nil
}
