//go:build linux

package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A Mutant is one translation mistake: a text replacement in one file of
// the module, which must occur exactly once there.
//
// The list (testdata/mutants.txt) has a mutant a line,
//
//	NAME KIND FILE "OLD" "NEW" [equivalent "REASON"]
//
// with OLD, NEW and REASON as Go string literals; # starts a comment
// line. A mutant marked equivalent makes no difference that a user could
// observe, not even in the system calls; REASON says why.
type Mutant struct {
	Name, Kind, File string
	Old, New         string
	Equivalent       string // the reason, for a mutant listed as equivalent
	Line             int    // in the list
}

// ParseList reads the list in file.
func ParseList(file string) ([]Mutant, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Mutant
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m, err := parseMutant(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", file, n, err)
		}
		if first, dup := seen[m.Name]; dup {
			return nil, fmt.Errorf("%s:%d: mutant %s is named on line %d too", file, n, m.Name, first)
		}
		seen[m.Name] = n
		m.Line = n
		out = append(out, m)
	}
	return out, sc.Err()
}

func parseMutant(line string) (Mutant, error) {
	var m Mutant
	f := strings.Fields(line)
	if len(f) < 5 {
		return m, fmt.Errorf(`want NAME KIND FILE "OLD" "NEW" [equivalent "REASON"]`)
	}
	m.Name, m.Kind, m.File = f[0], f[1], f[2]
	rest := strings.TrimSpace(line[strings.Index(line, m.File)+len(m.File):])
	for _, dst := range []*string{&m.Old, &m.New} {
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return m, fmt.Errorf("%s: expected a quoted string: %s", m.Name, rest)
		}
		*dst, _ = strconv.Unquote(q)
		rest = strings.TrimSpace(rest[len(q):])
	}
	if why, ok := strings.CutPrefix(rest, "equivalent "); ok {
		q, err := strconv.QuotedPrefix(strings.TrimSpace(why))
		if err != nil || strings.TrimSpace(why) != q {
			return m, fmt.Errorf("%s: want equivalent \"REASON\" after NEW: %s", m.Name, rest)
		}
		m.Equivalent, _ = strconv.Unquote(q)
		if strings.TrimSpace(m.Equivalent) == "" {
			return m, fmt.Errorf("%s: equivalent without a reason", m.Name)
		}
		rest = ""
	}
	if rest != "" {
		return m, fmt.Errorf("%s: text after NEW: %s", m.Name, rest)
	}
	if m.Old == m.New || m.Old == "" {
		return m, fmt.Errorf("%s: OLD is empty or the same as NEW", m.Name)
	}
	return m, nil
}

// Check says why the mutant cannot apply to the module in root: its file
// is missing or OLD does not occur exactly once; nil when it applies.
func (m Mutant) Check(root string) error {
	text, err := os.ReadFile(filepath.Join(root, m.File))
	if err != nil {
		return fmt.Errorf("%s: %v", m.Name, err)
	}
	if n := strings.Count(string(text), m.Old); n != 1 {
		return fmt.Errorf("%s: %q occurs %d times in %s, not once", m.Name, m.Old, n, m.File)
	}
	return nil
}

// Apply makes the replacement in root's copy of the file and returns a
// function that puts the file back.
func (m Mutant) Apply(root string) (undo func() error, err error) {
	if err := m.Check(root); err != nil {
		return nil, err
	}
	path := filepath.Join(root, m.File)
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(text), m.Old, m.New, 1)), 0o644); err != nil {
		return nil, err
	}
	return func() error { return os.WriteFile(path, text, 0o644) }, nil
}

// Mechanism is the mechanism the mutant's file belongs to (the first
// path element or file name that starts with one of mechs; sem is shm's),
// or "" for all.
func (m Mutant) Mechanism(mechs []string) string {
	for _, el := range strings.Split(m.File, "/") {
		if strings.HasPrefix(el, "sem") {
			el = "shm" // the semaphores are shared memory's (goipc/sem.go)
		}
		for _, mech := range mechs {
			if strings.HasPrefix(el, mech) {
				return mech
			}
		}
	}
	return ""
}

// Builds are the commands that rebuild every form of the programs of the
// mutant's mechanism (nil: of all), and the call interpreters: bin/c,
// bin/cgo (the C through cgo), bin/go and bin/idiom (goipc in both). All
// four are rebuilt for every mutant, so that none still holds the
// previous mutant of the same mechanism; other mechanisms' programs are
// not run by the mutant's check.
func (m Mutant) Builds(programs []string) [][]string {
	if programs == nil {
		return [][]string{{"make", "-s", "build"}}
	}
	pkgs := func(dir string, extra ...string) []string {
		var out []string
		for _, p := range append(append([]string(nil), programs...), extra...) {
			out = append(out, "./"+dir+"/cmd/"+p)
		}
		return out
	}
	var cbins []string
	for _, p := range programs {
		cbins = append(cbins, "bin/c/"+p)
	}
	return [][]string{
		append([]string{"make", "-s"}, cbins...),
		append([]string{"go", "build", "-o", "bin/cgo/"}, pkgs("cipc", "ipccalls")...),
		append([]string{"env", "CGO_ENABLED=0", "go", "build", "-o", "bin/go/"}, pkgs("goipc", "ipccalls")...),
		append([]string{"env", "CGO_ENABLED=0", "go", "build", "-o", "bin/idiom/"}, pkgs("goidiom")...),
	}
}

// Packages are the packages whose tests see the mutant's file: goipc is
// also held to glibc by cipc's cross-side tests (sidestest, strerror).
func (m Mutant) Packages() []string {
	switch strings.Split(m.File, "/")[0] {
	case "goipc":
		return []string{"./goipc", "./cipc"}
	case "c_reference", "cipc":
		return []string{"./cipc"}
	case "goidiom":
		return []string{"./goidiom"}
	}
	return []string{"./goipc", "./cipc", "./goidiom"}
}
