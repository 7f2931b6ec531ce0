//go:build linux

package main

import (
	"slices"
	"testing"

	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// unknown lists the scenarios of compare's catalogue that lookup, over
// cat, does not find as they are (a mechanism missing, a different list).
func unknown(cat map[string]func() []runner.Scenario) []string {
	saved := catalogue
	defer func() { catalogue = saved }()
	catalogue = cat
	var out []string
	for _, sc := range compare.Scenarios() {
		id := sc.Mechanism + "/" + sc.Name
		got, ok := lookup(id)
		if !ok || got.About != sc.About || len(got.Steps) != len(sc.Steps) {
			out = append(out, id)
		}
	}
	return out
}

// The init finds every scenario of compare.Mechanisms, and nothing else
// under a mechanism's name: the two lists are one catalogue. A catalogue
// without a mechanism fails the same check.
func TestCatalogueIsCompares(t *testing.T) {
	if missing := unknown(catalogue); missing != nil {
		t.Errorf("the init does not find %v: add their mechanism to catalogue", missing)
	}
	var names []string
	for _, m := range compare.Mechanisms {
		names = append(names, m.Name)
	}
	for mech := range catalogue {
		if !slices.Contains(names, mech) {
			t.Errorf("catalogue has %s, which compare.Mechanisms has not", mech)
		}
	}
	if _, ok := lookup("sockx/unix-default"); ok {
		t.Error("lookup finds sockx/unix-default: a mechanism's name is a prefix of the ID only up to its slash")
	}
	short := map[string]func() []runner.Scenario{}
	for k, v := range catalogue {
		if k != "shm" {
			short[k] = v
		}
	}
	if missing := unknown(short); len(missing) == 0 {
		t.Error("a catalogue without shm passes the check")
	}
}
