//go:build linux

package explain

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Forms are the columns, in order: the C, the literal Go translation and
// the idiomatic Go.
var Forms = []string{"C", "goipc", "goidiom"}

// Programs are the nine programs, in the order of the notes.
var Programs = []string{"pipe", "fifo_reader", "fifo_writer", "mq_server", "mq_client", "shm_writer", "shm_reader", "sock_server", "sock_client"}

// Sources are the files, relative to the module's directory, that hold a
// program's steps in each form (Forms' order).
func Sources(program string) []string {
	mech, _, _ := strings.Cut(program, "_")
	g := map[string]string{"pipe": "pipe.go", "fifo": "fifo.go", "mq": "mq_programs.go", "shm": "shm_programs.go", "sock": "sock.go"}[mech]
	return []string{
		filepath.Join("c_reference", mech+".c"),
		filepath.Join("goipc", g),
		filepath.Join("goidiom", "cmd", program, "main.go"),
	}
}

// A Step is one marked line of one form.
type Step struct {
	N     int
	ID    string
	Code  string   // the line's code, trimmed; empty for a step the form has not
	None  string   // why the form has no such step ("none: WHY")
	Known []string // the known differences it shows
	Line  int      // where it is in File
	File  string
}

// A Program is a program's steps in each form, in the order of their
// numbers.
type Program struct {
	Name  string
	Forms [][]Step // by Forms' order
}

var (
	regionRE = regexp.MustCompile(`\bsteps: ([a-z_]+)`)
	stepRE   = regexp.MustCompile(`\bstep (\d+): ([a-z][a-z0-9-]*)(.*)`)
)

// Parse reads the steps of every program in the file text src (named file
// in messages): a map from program to its steps in the order of the file.
func Parse(file, src string) (map[string][]Step, error) {
	out := map[string][]Step{}
	var errs []error
	region := ""
	type at struct {
		region string
		i      int
	}
	var pending []at // markers alone on their line, waiting for code
	sc := bufio.NewScanner(strings.NewReader(src))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		code, comment := split(sc.Text())
		code = strings.TrimSpace(code)
		if code != "" {
			for _, p := range pending {
				out[p.region][p.i].Code = code
			}
			pending = nil
		}
		if !strings.Contains(comment, "step") {
			continue // most lines: no marker, and no regexp to run
		}
		if m := regionRE.FindStringSubmatch(comment); m != nil && !stepRE.MatchString(comment) {
			region = m[1]
			continue
		}
		m := stepRE.FindStringSubmatch(comment)
		if m == nil {
			continue
		}
		if region == "" {
			errs = append(errs, fmt.Errorf("%s:%d: step %s outside a \"steps: PROGRAM\" part", file, n, m[2]))
			continue
		}
		num, _ := strconv.Atoi(m[1])
		st := Step{N: num, ID: m[2], Line: n, File: file, Code: code}
		rest := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(m[3]), "*/"))
		for rest != "" {
			word, after, _ := strings.Cut(rest, " ")
			switch {
			case strings.HasPrefix(word, "known:"):
				st.Known = append(st.Known, strings.Split(strings.TrimPrefix(word, "known:"), ",")...)
				rest = strings.TrimSpace(after)
				continue
			case word == "none:" || word == "none":
				st.None = strings.TrimSpace(after)
				if st.None == "" {
					st.None = "none"
				}
				st.Code = ""
			default:
				errs = append(errs, fmt.Errorf("%s:%d: step %s: %q is neither known:ID nor none: WHY", file, n, st.ID, word))
			}
			break
		}
		out[region] = append(out[region], st)
		if st.Code == "" && st.None == "" {
			pending = append(pending, at{region, len(out[region]) - 1})
		}
	}
	if len(pending) > 0 {
		st := out[pending[0].region][pending[0].i]
		errs = append(errs, fmt.Errorf("%s:%d: step %s: no code after it", file, st.Line, st.ID))
	}
	return out, errors.Join(errs...)
}

// split cuts a line of C or Go at its comment: the code before it and the
// comment's text (empty when there is none). String and character
// literals are skipped.
func split(line string) (code, comment string) {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '/' && i+1 < len(line) && (line[i+1] == '/' || line[i+1] == '*'):
			return line[:i], line[i+2:]
		}
	}
	return line, ""
}

// Load reads the steps of every program in every form from the module's
// directory dir.
func Load(dir string) ([]Program, error) {
	return load(func(path string) (string, error) {
		b, err := os.ReadFile(filepath.Join(dir, path))
		return string(b), err
	})
}

// LoadFrom is Load with the files given as a map from path to text.
func LoadFrom(files map[string]string) ([]Program, error) {
	return load(func(path string) (string, error) {
		s, ok := files[path]
		if !ok {
			return "", fmt.Errorf("%s: %w", path, os.ErrNotExist)
		}
		return s, nil
	})
}

func load(read func(string) (string, error)) ([]Program, error) {
	parsed := map[string]map[string][]Step{}
	var errs []error
	var out []Program
	for _, p := range Programs {
		prog := Program{Name: p}
		for _, f := range Sources(p) {
			steps, ok := parsed[f]
			if !ok {
				src, err := read(f)
				if err != nil {
					return nil, err
				}
				steps, err = Parse(f, src)
				if err != nil {
					errs = append(errs, err)
				}
				parsed[f] = steps
			}
			s := slices.Clone(steps[p])
			sort.SliceStable(s, func(i, j int) bool { return s[i].N < s[j].N })
			prog.Forms = append(prog.Forms, s)
		}
		out = append(out, prog)
	}
	return out, errors.Join(errs...)
}

// ErrUnmarked is Check's error for a program with no steps in any form.
var ErrUnmarked = errors.New("no step markers in its sources yet")

// Check says where the forms of a program do not have the same steps with
// the same numbers, and which known differences are not in known (the IDs
// of judge.KnownDifferences).
func Check(p Program, known []string) error {
	var errs []error
	if !slices.ContainsFunc(p.Forms, func(s []Step) bool { return len(s) > 0 }) {
		return fmt.Errorf("%s: %w", p.Name, ErrUnmarked)
	}
	for i, steps := range p.Forms {
		seenN, seenID := map[int]string{}, map[string]bool{}
		for _, s := range steps {
			if seenID[s.ID] {
				errs = append(errs, fmt.Errorf("%s:%d: %s: step %s twice in %s", s.File, s.Line, p.Name, s.ID, Forms[i]))
			}
			if id, ok := seenN[s.N]; ok && id != s.ID {
				errs = append(errs, fmt.Errorf("%s:%d: %s: step %d is both %s and %s", s.File, s.Line, p.Name, s.N, id, s.ID))
			}
			seenN[s.N], seenID[s.ID] = s.ID, true
			for _, k := range s.Known {
				if !slices.Contains(known, k) {
					errs = append(errs, fmt.Errorf("%s:%d: %s: step %s: known:%s is no known difference", s.File, s.Line, p.Name, s.ID, k))
				}
			}
		}
	}
	want := p.Forms[0]
	for i := 1; i < len(p.Forms); i++ {
		got := p.Forms[i]
		if !slices.EqualFunc(want, got, func(a, b Step) bool { return a.N == b.N && a.ID == b.ID }) {
			errs = append(errs, fmt.Errorf("%s: the steps differ: %s has %s, %s has %s", p.Name, Forms[0], list(want), Forms[i], list(got)))
		}
	}
	return errors.Join(errs...)
}

func list(steps []Step) string {
	var s []string
	for _, st := range steps {
		s = append(s, fmt.Sprintf("%d:%s", st.N, st.ID))
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, " ")
}

// ModuleDir finds the module's directory (where go.mod names this module
// and c_reference is) at or above each of dirs in turn.
func ModuleDir(dirs ...string) (string, error) {
	for _, d := range dirs {
		if d == "" {
			continue
		}
		d, err := filepath.Abs(d)
		if err != nil {
			continue
		}
		for {
			if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/ipcparity/ipcparity\n") {
				if _, err := os.Stat(filepath.Join(d, "c_reference")); err == nil {
					return d, nil
				}
			}
			up := filepath.Dir(d)
			if up == d {
				break
			}
			d = up
		}
	}
	return "", fmt.Errorf("the sources are not found: explain reads c_reference, goipc and goidiom from a checkout of the module, at or above %s (--src DIR says where)", strings.Join(slices.DeleteFunc(slices.Clone(dirs), func(s string) bool { return s == "" }), " or "))
}
