//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestList checks that every mutant of the list applies: its old text
// occurs exactly once in its file, so that an edit of the sources cannot
// turn a mutant into nothing without the list saying so.
func TestList(t *testing.T) {
	mutants, err := ParseList("../../testdata/mutants.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(mutants) < 50 {
		t.Errorf("%d mutants, want at least 50", len(mutants))
	}
	for _, m := range mutants {
		if err := m.Check("../.."); err != nil {
			t.Error(err)
		}
	}
}

// TestCheckCatches holds Check to the wrong lists it must refuse: an old
// text that occurs twice, one that occurs nowhere, a missing file.
func TestCheckCatches(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f.c"), []byte("a = 1;\nb = 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, m := range []Mutant{
		{Name: "twice", File: "f.c", Old: " = 1;", New: " = 2;"},
		{Name: "nowhere", File: "f.c", Old: "c = 1;", New: "c = 2;"},
		{Name: "no file", File: "g.c", Old: "a", New: "b"},
	} {
		if err := m.Check(dir); err == nil {
			t.Errorf("%s: Check passes", m.Name)
		}
	}
	m := Mutant{Name: "once", File: "f.c", Old: "a = 1;", New: "a = 0;"}
	undo, err := m.Apply(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "f.c")); !strings.Contains(string(got), "a = 0;") {
		t.Errorf("after Apply: %q", got)
	}
	if err := undo(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "f.c")); string(got) != "a = 1;\nb = 1;\n" {
		t.Errorf("after undo: %q", got)
	}
}

// TestParseRefuses holds the parser to malformed lines.
func TestParseRefuses(t *testing.T) {
	for _, line := range []string{
		`name kind file "old"`,
		`name kind file old "new"`,
		`name kind file "same" "same"`,
		`name kind file "old" "new" extra`,
		`name kind file "old" "new" equivalent`,
		`name kind file "old" "new" equivalent ""`,
		`name kind file "old" "new" equivalent "why" extra`,
		`name kind file "old" "new" equivalent why`,
	} {
		if _, err := parseMutant(line); err == nil {
			t.Errorf("%s: parses", line)
		}
	}
	m, err := parseMutant(`mode-0644 mode goipc/mq.go "0o600, nil" "0o644, nil"`)
	if err != nil || m.Old != "0o600, nil" || m.New != "0o644, nil" || m.File != "goipc/mq.go" {
		t.Errorf("got %+v, %v", m, err)
	}
	m, err = parseMutant(`same-call mode goipc/mq.go "0o600, nil" "0600, nil" equivalent "the same constant"`)
	if err != nil || m.Equivalent != "the same constant" || m.New != "0600, nil" {
		t.Errorf("got %+v, %v", m, err)
	}
}
