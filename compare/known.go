package compare

// A KnownDifference is a way in which a form truly differs from C, with its
// reason and the scenarios that show it. It does not loosen a comparison:
// Expect says exactly what the differing form gives instead, and anything
// else still fails.
type KnownDifference struct {
	ID     string
	Reason string
	// Scenarios are "mechanism/name" of the scenarios that show it.
	Scenarios []string
	// Forms are the forms that show it; a pairing shows it when one of
	// these forms has a role that Applies names.
	Forms []string
	// Applies tells whether the difference concerns the pairing; nil means
	// any pairing with one of Forms in any role.
	Applies func(sc Scenario, p Pairing) bool
	// Expect turns the reference outcome into the one the pairing gives.
	// It is nil for a difference that no outcome shows (the processes
	// differ underneath, the runner sees the same): such an entry is there
	// to be read, and excuses nothing.
	Expect func(sc Scenario, p Pairing, ref Outcome) Outcome
	// Required is set when the difference must show: a run that agrees
	// with C then means the list is out of date.
	Required bool
}

// KnownDifferences is the one list of the differences between C and Go
// that the parity check accepts, each with its reason.
var KnownDifferences []KnownDifference

func knownFor(sc Scenario, p Pairing) []KnownDifference {
	var out []KnownDifference
	id := sc.Mechanism + "/" + sc.Name
	for _, kd := range KnownDifferences {
		if kd.Expect == nil || !contains(kd.Scenarios, id) {
			continue
		}
		if kd.Applies != nil {
			if kd.Applies(sc, p) {
				out = append(out, kd)
			}
			continue
		}
		for _, f := range p {
			if contains(kd.Forms, f.Name) {
				out = append(out, kd)
				break
			}
		}
	}
	return out
}

func init() {
	KnownDifferences = append(KnownDifferences, KnownDifference{
		ID: "fork",
		Reason: "Go cannot fork: a forked copy of the Go runtime keeps one thread of many, and locks held by " +
			"the others. The pure-Go pipe program runs its own binary again as the child, which inherits the " +
			"pipe's descriptors as a forked child would (goipc/pipe.go). The child therefore shares no memory " +
			"with the parent and starts with Go's signal handlers. The cgo form does call fork in C; its child " +
			"keeps the Go runtime's SIGPIPE handler, so with stdout gone it goes on reading where a C child " +
			"dies of SIGPIPE. The parent's outcome, which is what the runner sees, is the same.",
		Scenarios: []string{"pipe/default", "pipe/stdout-broken", "pipe/stdout-broken-long"},
		Forms:     []string{FormCgo, FormGo},
	})
	KnownDifferences = append(KnownDifferences, KnownDifference{
		ID: "sigpipe-other-fd",
		Reason: "A write to a pipe or socket whose reader has gone raises SIGPIPE, whose default action ends a C " +
			"process. A Go process (the pure-Go form, and the cgo form, whose C code runs inside one) has the " +
			"runtime's SIGPIPE handler: on descriptors 1 and 2 it ends the process as C would, on any other " +
			"descriptor the write fails with EPIPE and the program goes on (see os/signal). The programs do not " +
			"check that write, so they finish with status 0 where C dies of SIGPIPE.",
		Scenarios: []string{"pipe/stdout-broken-long"},
		Forms:     []string{FormCgo, FormGo},
		Required:  true,
		Expect: func(sc Scenario, p Pairing, ref Outcome) Outcome {
			// pipe: the parent's write into the pipe meets the dead child.
			out := Outcome{Leftovers: ref.Leftovers, Procs: append([]Proc(nil), ref.Procs...)}
			for i := range out.Procs {
				if out.Procs[i].Signal == "SIGPIPE" {
					out.Procs[i].Signal, out.Procs[i].Exit = "", 0
				}
			}
			return out
		},
	})
}
