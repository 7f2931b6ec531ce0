//go:build linux

package judge

import (
	"slices"
	"strings"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// A KnownDifference is a way in which programs in a language truly differ
// from C, with its reason and the scenarios that show it. It belongs to its
// cause (the Go runtime's SIGPIPE handler, no fork, stdio buffering), and so
// to every form in that language: the built-in ones and a user's port alike
// (runner.Form.Lang). It does not loosen a comparison: Expect says exactly
// what the differing form gives instead, and anything else still fails.
type KnownDifference struct {
	ID     string
	Reason string
	// Scenarios are "mechanism/name" of the scenarios that show it.
	Scenarios []string
	// Langs are the languages (runner.Form.Lang) whose forms show it; a
	// pairing shows it when a form in one of these languages has a role
	// that Applies names.
	Langs []string
	// Applies tells whether the difference concerns the pairing, from the
	// languages of its roles' forms; nil means any pairing with a form in
	// one of Langs in any role.
	Applies func(sc runner.Scenario, p runner.Pairing) bool
	// Expect turns the reference outcome into the one the pairing gives.
	// It is nil for a difference that no outcome shows (the processes
	// differ underneath, the runner sees the same): such an entry is there
	// to be read, and excuses nothing.
	Expect func(sc runner.Scenario, p runner.Pairing, ref runner.Outcome) runner.Outcome
	// Required is set when the difference must show: in a pairing of
	// built-in forms (runner.Form.Builtin), a run that agrees with C then
	// means the list is out of date. For a user's port it is an allowed
	// alternative: C's outcome passes too.
	Required bool
}

// KnownDifferences is the one list of the differences between C and Go
// that the parity check accepts, each with its reason.
var KnownDifferences []KnownDifference

// knownFor returns the known differences that apply to sc under the
// pairing, by the languages of its forms.
func knownFor(sc runner.Scenario, p runner.Pairing) []KnownDifference {
	var out []KnownDifference
	id := sc.Mechanism + "/" + sc.Name
	for _, kd := range KnownDifferences {
		if kd.Expect == nil || !slices.Contains(kd.Scenarios, id) {
			continue
		}
		if kd.Applies != nil {
			if kd.Applies(sc, p) {
				out = append(out, kd)
			}
			continue
		}
		for _, f := range p {
			if f.Lang != "" && slices.Contains(kd.Langs, f.Lang) {
				out = append(out, kd)
				break
			}
		}
	}
	return out
}

// builtin reports whether every form of the pairing is a built-in one.
func builtin(p runner.Pairing) bool {
	for _, f := range p {
		if !f.Builtin {
			return false
		}
	}
	return true
}

// langOf is the language of program's form in the pairing.
func langOf(sc runner.Scenario, p runner.Pairing, program string) string {
	return p.FormFor(sc.Roles, program).Lang
}

// sigpipeWriter names, per scenario, the process that writes into a pipe
// or FIFO whose reader has gone.
var sigpipeWriter = map[string]string{
	"pipe/stdout-broken-long": "pipe",
	"fifo/reader-gone-long":   "fifo_writer",
}

// survivesSigpipe turns the SIGPIPE deaths of the named process into exit
// status 0.
func survivesSigpipe(role string, ref runner.Outcome) runner.Outcome {
	out := runner.Outcome{Leftovers: ref.Leftovers, Procs: append([]runner.Proc(nil), ref.Procs...)}
	for i := range out.Procs {
		if out.Procs[i].Role == role && out.Procs[i].Signal == "SIGPIPE" {
			out.Procs[i].Signal, out.Procs[i].Exit = "", 0
		}
	}
	return out
}

func init() {
	KnownDifferences = append(KnownDifferences,
		KnownDifference{
			ID: "fork",
			Reason: "Go cannot fork: a forked copy of the Go runtime keeps one thread of many, and locks held by " +
				"the others. The pure-Go pipe program runs its own binary again as the child, which inherits the " +
				"pipe's descriptors as a forked child would (goipc/pipe.go). The child therefore shares no memory " +
				"with the parent and starts with Go's signal handlers. The cgo form does call fork in C; its child " +
				"keeps the Go runtime's SIGPIPE handler (see sigpipe-cgo-stdout), so with stdout gone it goes on " +
				"reading where a C child dies of SIGPIPE. The parent's outcome, which is what the runner sees, is " +
				"the same.",
			Scenarios: []string{"pipe/default", "pipe/stdout-broken", "pipe/stdout-broken-long"},
			Langs:     []string{runner.LangCgo, runner.LangGo},
		},
		KnownDifference{
			ID: "sigpipe-other-fd",
			Reason: "A write to a pipe or FIFO whose reader has gone raises SIGPIPE, whose default action ends a C " +
				"process. A Go process has the runtime's SIGPIPE handler instead: a write on a descriptor other " +
				"than 1 and 2 fails with EPIPE and the program goes on (see os/signal). That holds for the pure-Go " +
				"form and for the C code of the cgo form alike. The programs do not check that write, so they " +
				"finish with status 0 where C dies of SIGPIPE.",
			Scenarios: []string{"pipe/stdout-broken-long", "fifo/reader-gone-long"},
			Langs:     []string{runner.LangCgo, runner.LangGo},
			Applies: func(sc runner.Scenario, p runner.Pairing) bool {
				w := langOf(sc, p, sigpipeWriter[sc.Mechanism+"/"+sc.Name])
				// A cgo FIFO reader never goes (sigpipe-cgo-stdout).
				return (w == runner.LangCgo || w == runner.LangGo) && !(sc.Mechanism == "fifo" && langOf(sc, p, "fifo_reader") == runner.LangCgo)
			},
			Required: true,
			Expect: func(sc runner.Scenario, p runner.Pairing, ref runner.Outcome) runner.Outcome {
				return survivesSigpipe(sigpipeWriter[sc.Mechanism+"/"+sc.Name], ref)
			},
		},
		KnownDifference{
			ID: "sigpipe-cgo-stdout",
			Reason: "In the cgo form the C code runs inside a Go process, whose runtime has a SIGPIPE handler. " +
				"Go ends a process on SIGPIPE for descriptors 1 and 2 only when the failing write went through " +
				"os.File (see os/signal); C's write(2) goes around it, so the SIGPIPE that a write to a stdout " +
				"without a reader raises is taken by the handler and the write fails with EPIPE. The notes' FIFO " +
				"reader does not check that write: it reads the FIFO to its end, closes it, unlinks it and exits 0 " +
				"where C dies of SIGPIPE at its first byte and leaves the FIFO behind. Its writer, C or Go, then " +
				"never meets a reader that has gone, and exits 0 too. (goipc.Write keeps C's behaviour on 1 and 2 " +
				"by going through os.File.)",
			Scenarios: []string{"fifo/reader-stdout-broken", "fifo/reader-gone-long"},
			Langs:     []string{runner.LangCgo},
			Applies: func(sc runner.Scenario, p runner.Pairing) bool {
				return langOf(sc, p, "fifo_reader") == runner.LangCgo
			},
			Required: true,
			Expect: func(sc runner.Scenario, p runner.Pairing, ref runner.Outcome) runner.Outcome {
				out := runner.Outcome{Leftovers: []string{}, Procs: append([]runner.Proc(nil), ref.Procs...)}
				for _, l := range ref.Leftovers {
					if !strings.HasPrefix(l, "fifo named_pipe ") {
						out.Leftovers = append(out.Leftovers, l)
					}
				}
				for i := range out.Procs {
					if out.Procs[i].Signal == "SIGPIPE" {
						out.Procs[i].Signal, out.Procs[i].Exit = "", 0
					}
				}
				return out
			},
		},
		KnownDifference{
			ID: "stdio-buffer-lost-on-kill",
			Reason: "C's stdout is fully buffered when it is a pipe: the lines a C server printed after its " +
				"flushed ready line are still in its stdio buffer when a signal ends it, and are lost; the cgo " +
				"form runs the same C stdio. The pure-Go server writes each line when it prints it, so its " +
				"output keeps them.",
			Scenarios: []string{"mq/server-killed", "sock/unix-server-killed-after-client"},
			Langs:     []string{runner.LangGo},
			Applies: func(sc runner.Scenario, p runner.Pairing) bool {
				return langOf(sc, p, killedServer[sc.Mechanism]) == runner.LangGo
			},
			Required: true,
			Expect: func(sc runner.Scenario, p runner.Pairing, ref runner.Outcome) runner.Outcome {
				// Both scenarios have the server receive "hello" before the
				// signal.
				out := runner.Outcome{Leftovers: ref.Leftovers, Procs: append([]runner.Proc(nil), ref.Procs...)}
				for i := range out.Procs {
					if programOf(sc, out.Procs[i].Role) == killedServer[sc.Mechanism] {
						out.Procs[i].Stdout += "hello\n"
					}
				}
				return out
			},
		},
		KnownDifference{
			ID: "copy-in-chunks",
			Reason: "A Go program copies a stream with io.Copy, which reads up to 32 KiB at a time; the notes' C " +
				"reads one byte per read(2). A FIFO reader whose stdout has gone dies of SIGPIPE at its first write " +
				"either way, but the C reader has taken one byte, so a writer of more than the FIFO holds stays " +
				"blocked and dies of SIGPIPE too; a Go reader has taken what its first read found, up to 32 KiB, " +
				"and when the rest fits in the FIFO the writer's write completes and it exits 0. How much the first " +
				"read finds depends on timing, so C's outcome shows as well: the entry is not required. goipc's " +
				"reader reads one byte at a time, as the notes do, and gives C's outcome.",
			Scenarios: []string{"fifo/reader-gone-long"},
			Langs:     []string{runner.LangGo},
			Applies: func(sc runner.Scenario, p runner.Pairing) bool {
				return langOf(sc, p, "fifo_reader") == runner.LangGo
			},
			Expect: func(sc runner.Scenario, p runner.Pairing, ref runner.Outcome) runner.Outcome {
				return survivesSigpipe("fifo_writer", ref)
			},
		},
	)
}

// killedServer names the server that the stdio-buffer-lost-on-kill
// scenarios kill.
var killedServer = map[string]string{"mq": "mq_server", "sock": "sock_server"}
