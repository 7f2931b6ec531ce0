//go:build linux

package callscript

// sigState is a signal action a script set, which a forked child sets
// again after its exec.
type sigState struct {
	Sig    int `json:"sig"`
	Action int `json:"action"`
	Flags  int `json:"flags"`
}

// sigTable is the signal actions a script set, by signal.
type sigTable map[int]sigState

func (st *execState) signals() []sigState { return nil }

func (st *execState) restoreSignals(s []sigState) error { return nil }

func (st *execState) caught(ind string) {}
