//go:build linux

package judge

import "github.com/ipcparity/ipcparity/compare/runner"

// The differences of the call scripts' process and signal calls
// (compare/callscript/proc.go, signal.go). No transcript shows them, so
// they excuse nothing (Expect is nil): they say what the call scripts
// cannot compare, and why.
func init() {
	KnownDifferences = append(KnownDifferences,
		KnownDifference{
			ID: "calls-fork-exec",
			Reason: "Neither interpreter can run Go code in a forked copy of the Go runtime, so a script's fork is " +
				"fork and exec of the interpreter on both sides (cipc forks in C and execs at once, goipc uses " +
				"syscall.ForkExec). The child gets every descriptor at its number, close-on-exec ones too, the " +
				"numbers bound so far, the soft RLIMIT_NOFILE and the signal actions the script set; it has none " +
				"of its parent's mappings, semaphores (sem_t) or processes, so a script cannot show a C child " +
				"writing into its parent's mapping or posting its unnamed semaphore. It opens them again by name " +
				"(proc_shm_sem.calls).",
			Scenarios: []string{"calls/testdata/calls/proc_fork_wait.calls", "calls/testdata/calls/proc_shm_sem.calls"},
			Langs:     []string{runner.LangCgo, runner.LangGo},
		},
		KnownDifference{
			ID: "calls-go-signal-handler",
			Reason: "Pure Go cannot install a signal handler of its own: goipc's recording handler is the Go " +
				"runtime's, given to the kernel again with the script's sa_flags and sa_mask (so no SA_RESTART means EINTR, " +
				"as in C), and the signal reaches goipc through os/signal after the handler has returned. " +
				"os/signal merges a signal that comes again before the first was taken: goipc.Caught therefore sends itself " +
				"a last signal and takes everything before it, after every call, and the interpreter shows the " +
				"signals caught during one call in the order of their numbers on both sides " +
				"(signal_sigpipe.calls, signal_eintr.calls, signal_restart.calls).",
			Scenarios: []string{"calls/testdata/calls/signal_sigpipe.calls", "calls/testdata/calls/signal_eintr.calls", "calls/testdata/calls/signal_restart.calls"},
			Langs:     []string{runner.LangGo},
		},
		KnownDifference{
			ID: "calls-go-runtime-signals",
			Reason: "Both interpreters are Go programs. The runtime needs SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGTRAP " +
				"(panics), SIGURG (preemption) and SIGPROF (profiling): a script cannot give them an action (a " +
				"script error). The runtime handles every other signal at start, and ignores some that end a C " +
				"program (SIGUSR1, SIGPIPE on most descriptors): a script starts so on both sides, and one that " +
				"wants C's default sets SIG_DFL (signal_sigpipe.calls, signal_restart.calls). sigaction's old action is not shown (it would be the runtime's). The Go " +
				"runtime also raises the soft RLIMIT_NOFILE to the hard one at start: a script sets the limit it " +
				"counts on (limits_nofile.calls). Two runtime behaviours would make a call differ at random, " +
				"under load: the SIGURG that preempts a goroutine can reach the main thread late, in a poll or " +
				"usleep that any handler ends with EINTR, and a process-directed SIGALRM can go to one of the " +
				"runtime's threads, so the main thread's call restarts and waits for ever. The interpreters " +
				"therefore execute themselves again with GODEBUG=asyncpreemptoff=1 and the script's signals " +
				"blocked on every thread but the main one (callscript.KeepSignalsOnMain); os/signal's thread " +
				"still unblocks those goipc records. A Go program of its own using goipc has both (signal_eintr.calls).",
			Scenarios: []string{"calls/testdata/calls/signal_restart.calls", "calls/testdata/calls/limits_nofile.calls", "calls/testdata/calls/signal_eintr.calls"},
			Langs:     []string{runner.LangCgo, runner.LangGo},
		},
	)
}
