//go:build linux

package htmlreport

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ipcparity/ipcparity/compare/explain"
	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// A Page is what the report shows: the results of a check and what they
// are read with.
type Page struct {
	// Command is the command line that made the page.
	Command string
	Results []judge.Result
	Scripts []judge.ScriptResult
	// Sources are the programs' steps in each form (explain.Load); a
	// program missing from them is said to have no sources.
	Sources []explain.Program
	// SourcesProblem says what was wrong in reading the sources' step
	// markers (explain.Load's error), if anything.
	SourcesProblem string
	// Scenarios are the catalogue (compare.Scenarios), for the command
	// lines that rerun a scenario.
	Scenarios []runner.Scenario
}

// Forms are the matrix's columns: the forms of `ipcparity check`.
var Forms = []string{runner.FormC, runner.FormCgo, runner.FormGo, runner.FormIdiom}

//go:embed page.html.tmpl
var pageText string

var page = template.Must(template.New("page").Parse(pageText))

// Write writes p as one HTML page.
func Write(w io.Writer, p Page) error {
	var b bytes.Buffer
	if err := page.Execute(&b, build(p)); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Verdict classes, which the page's CSS colours.
const (
	classAgree  = "agree"
	classKnown  = "known"
	classDiffer = "differ"
	classRef    = "ref"
	classNone   = "none"
)

type view struct {
	Command        string
	Summary        string
	SourcesProblem string
	Agree          bool
	Forms          []string
	Matrix         []matrixRow
	Mechs          []mechView
	Known          []knownView
}

type matrixRow struct {
	Program, Href string
	Cells         []matrixCell
}

type matrixCell struct {
	Class, Text, Href, Title string
}

type mechView struct {
	Name, ID  string
	Programs  []progView
	Scenarios []scView
	Scripts   []scriptView
}

type progView struct {
	Name, ID string
	Files    []string
	Note     string // why there are no steps
	Problem  string // where the forms' steps disagree
	Forms    []string
	Steps    []stepView
}

type stepView struct {
	N     int
	ID    string
	Class string
	Known []ref
	Cells []codeCell
}

type codeCell struct {
	Form, Code, None, Where string
}

type ref struct {
	Text, Href string
}

type scView struct {
	ID, Name, About, Class, Verdict string
	Rerun                           []string
	Notes                           []string
	Groups                          []groupView
}

type groupView struct {
	ID, Class, Verdict string
	Pairings           []string
	Known              *ref
	Rerun              []string
	Err                string
	Procs              []procView
	Leftovers, Limits  field
}

type procView struct {
	Role           string
	Stdout, Stderr text
	End, Errno     field
}

type text struct {
	Lines     []line
	Changed   bool
	NoNewline bool
}

type line struct {
	Text    string
	Changed bool
}

type field struct {
	Text    string
	Changed bool
}

type scriptView struct {
	ID, File, Class, Verdict, Error string
	Sides                           []sideView
}

type sideView struct {
	Name     string
	Text     text
	Problems []string
}

type knownView struct {
	ID, Langs, Reason string
	Scenarios         []ref
	Seen              int
}

func build(p Page) view {
	v := view{Command: p.Command, Forms: Forms, SourcesProblem: p.SourcesProblem}
	agree, notRun := 0, 0 // a case not run (judge.NotRun) counts apart
	for _, r := range p.Results {
		switch {
		case judge.NotRun(r) != "":
			notRun++
		case r.Agree:
			agree++
		}
	}
	scriptsAgree, scriptsNotRun := 0, 0
	for _, s := range p.Scripts {
		switch {
		case s.NotRun != "":
			scriptsNotRun++
		case s.Agree && s.Error == "":
			scriptsAgree++
		}
	}
	v.Agree = agree+notRun == len(p.Results) && scriptsAgree+scriptsNotRun == len(p.Scripts)
	v.Summary = fmt.Sprintf("%d of %d scenarios agree across all pairings; %d of %d call scripts agree on cipc and goipc", agree, len(p.Results), scriptsAgree, len(p.Scripts))
	if notRun+scriptsNotRun > 0 {
		v.Summary += fmt.Sprintf("; %d scenarios and %d call scripts not run", notRun, scriptsNotRun)
	}

	present := map[string]bool{} // scenario IDs on the page
	for _, r := range p.Results {
		present[r.Mechanism+"/"+r.Scenario] = true
	}
	groups := map[string]string{} // runKey → the anchor of the run's column
	for _, mech := range mechanisms(p) {
		mv := mechView{Name: mech, ID: "mech-" + anchor(mech)}
		for _, prog := range explain.Programs {
			if mechOf(prog) == mech {
				mv.Programs = append(mv.Programs, program(p, prog))
			}
		}
		for _, r := range p.Results {
			if r.Mechanism == mech {
				mv.Scenarios = append(mv.Scenarios, scenario(p, r, groups))
			}
		}
		for _, s := range p.Scripts {
			if mechOf(baseName(s.File)) == mech {
				mv.Scripts = append(mv.Scripts, script(s))
			}
		}
		v.Mechs = append(v.Mechs, mv)
	}
	v.Matrix = matrix(p, groups)

	seen := map[string]int{}
	for _, r := range p.Results {
		for _, rr := range r.Runs {
			if rr.Verdict == judge.VerdictKnown {
				seen[rr.Known]++
			}
		}
	}
	for _, kd := range judge.KnownDifferences {
		kv := knownView{ID: kd.ID, Langs: strings.Join(kd.Langs, ", "), Reason: kd.Reason, Seen: seen[kd.ID]}
		for _, id := range kd.Scenarios {
			r := ref{Text: id}
			if present[id] {
				r.Href = "#" + scenarioID(id)
			}
			kv.Scenarios = append(kv.Scenarios, r)
		}
		v.Known = append(v.Known, kv)
	}
	return v
}

// mechanisms are the mechanisms of the results and scripts, in the order
// of the notes.
func mechanisms(p Page) []string {
	var in []string
	for _, r := range p.Results {
		in = append(in, r.Mechanism)
	}
	for _, s := range p.Scripts {
		in = append(in, mechOf(baseName(s.File)))
	}
	var out []string
	for _, prog := range explain.Programs {
		if m := mechOf(prog); slices.Contains(in, m) && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	for _, m := range in {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

func mechOf(name string) string {
	m, _, _ := strings.Cut(name, "_")
	return m
}

func baseName(file string) string {
	if i := strings.LastIndexByte(file, '/'); i >= 0 {
		file = file[i+1:]
	}
	return strings.TrimSuffix(file, ".calls")
}

// anchor makes s usable in an element's id: letters, digits, - and _.
func anchor(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
}

func scenarioID(id string) string { return "sc-" + anchor(id) }

func knownHref(id string) string { return "#known-" + anchor(id) }

// program is a program's steps side by side.
func program(p Page, name string) progView {
	pv := progView{Name: name, ID: "prog-" + anchor(name), Forms: explain.Forms}
	for i, f := range explain.Sources(name) {
		pv.Files = append(pv.Files, explain.Forms[i]+": "+f)
	}
	i := slices.IndexFunc(p.Sources, func(s explain.Program) bool { return s.Name == name })
	if i < 0 {
		pv.Note = "its sources were not read"
		return pv
	}
	prog := p.Sources[i]
	var ids []string
	for _, kd := range judge.KnownDifferences {
		ids = append(ids, kd.ID)
	}
	if err := explain.Check(prog, ids); errors.Is(err, explain.ErrUnmarked) {
		pv.Note = "its sources have no step markers yet, so its forms cannot be shown side by side"
		return pv
	} else if err != nil {
		pv.Problem = err.Error()
	}
	for i, s := range prog.Forms[0] {
		sv := stepView{N: s.N, ID: s.ID}
		for f := range prog.Forms {
			if i >= len(prog.Forms[f]) {
				sv.Cells = append(sv.Cells, codeCell{Form: explain.Forms[f], None: "(missing)"})
				continue
			}
			st := prog.Forms[f][i]
			c := codeCell{Form: explain.Forms[f], Code: st.Code, Where: fmt.Sprintf("%s:%d", st.File, st.Line)}
			if st.None != "" {
				c.None = "(" + st.None + ")"
			}
			sv.Cells = append(sv.Cells, c)
			for _, k := range st.Known {
				if !slices.ContainsFunc(sv.Known, func(r ref) bool { return r.Text == k }) {
					sv.Known = append(sv.Known, ref{Text: k, Href: knownHref(k)})
				}
			}
		}
		if len(sv.Known) > 0 {
			sv.Class = classKnown
		}
		pv.Steps = append(pv.Steps, sv)
	}
	return pv
}

// scenario is a scenario's outcomes, the runs that gave the same outcome
// in one column. groups gets each run's column anchor, by runKey.
func scenario(p Page, r judge.Result, groups map[string]string) scView {
	id := r.Mechanism + "/" + r.Scenario
	sv := scView{ID: scenarioID(id), Name: id, About: r.About, Notes: r.Notes, Class: classAgree, Verdict: "agree"}
	sv.Rerun = []string{fmt.Sprintf("ipcparity check --run '^%s$' %s", id, r.Mechanism)}
	sc, hasSc := catalogue(p, r.Mechanism, r.Scenario)
	if hasSc {
		sv.Rerun = append(sv.Rerun, runLines(sc, runner.FormC, r.Roles, "")...)
	}
	var c runner.Outcome // C's outcome, the reference
	keys := map[string]int{}
	for i, rr := range r.Runs {
		key := rr.Verdict + "\x00" + rr.Known + "\x00" + rr.Err
		switch rr.Verdict {
		case judge.VerdictReference, judge.VerdictSame:
			key = "agree"
		default:
			b, _ := json.Marshal(rr.Outcome)
			key += "\x00" + string(b)
		}
		if i == 0 {
			c = rr.Outcome
		}
		g, ok := keys[key]
		if !ok {
			g = len(sv.Groups)
			keys[key] = g
			sv.Groups = append(sv.Groups, group(sv.ID, g, rr, c))
			if hasSc && rr.Verdict != judge.VerdictSame && rr.Verdict != judge.VerdictReference {
				sv.Groups[g].Rerun = runLines(sc, "", r.Roles, rr.Pairing)
			}
		}
		sv.Groups[g].Pairings = append(sv.Groups[g].Pairings, pairingText(rr))
		groups[runKey(r, rr)] = sv.Groups[g].ID
		switch {
		case rr.Verdict == judge.VerdictDifferent || rr.Err != "":
			sv.Class, sv.Verdict = classDiffer, "differs"
		case rr.Verdict == judge.VerdictKnown && sv.Class == classAgree:
			sv.Class, sv.Verdict = classKnown, "known difference"
		}
	}
	if why := judge.NotRun(r); why != "" {
		sv.Class, sv.Verdict = classNone, "not run: "+why
	}
	return sv
}

func runKey(r judge.Result, rr judge.RunResult) string {
	return r.Mechanism + "/" + r.Scenario + "\x00" + rr.Pairing
}

func pairingText(rr judge.RunResult) string {
	if rr.Verdict == judge.VerdictReference {
		return rr.Pairing + " (reference)"
	}
	return rr.Pairing
}

func catalogue(p Page, mech, name string) (runner.Scenario, bool) {
	for _, sc := range p.Scenarios {
		if sc.Mechanism == mech && sc.Name == name {
			return sc, true
		}
	}
	return runner.Scenario{}, false
}

// group is one column of a scenario: the outcome of rr, each field marked
// where it differs from C's (want).
func group(scID string, g int, rr judge.RunResult, want runner.Outcome) groupView {
	gv := groupView{ID: fmt.Sprintf("%s-%d", scID, g), Err: visible(rr.Err)}
	switch rr.Verdict {
	case judge.VerdictReference, judge.VerdictSame:
		gv.Class, gv.Verdict = classAgree, "same as C"
		if rr.Err != "" {
			gv.Class, gv.Verdict = classDiffer, "could not run"
		}
	case judge.VerdictKnown:
		gv.Class, gv.Verdict = classKnown, "known difference"
		gv.Known = &ref{Text: rr.Known, Href: knownHref(rr.Known)}
	default:
		gv.Class, gv.Verdict = classDiffer, "differs from C"
		if rr.Err != "" {
			gv.Verdict = "could not run"
		}
		if rr.Known != "" {
			gv.Known = &ref{Text: rr.Known}
		}
	}
	if gv.Class == classAgree && rr.Err == "" {
		want = rr.Outcome // nothing is marked in C's own column
	}
	o := rr.Outcome
	for i, p := range o.Procs {
		var c runner.Proc
		if i < len(want.Procs) {
			c = want.Procs[i]
		}
		gv.Procs = append(gv.Procs, procView{
			Role:   p.Role,
			Stdout: textOf(string(p.Stdout), string(c.Stdout)),
			Stderr: textOf(string(p.Stderr), string(c.Stderr)),
			End:    field{judge.End(p), judge.End(p) != judge.End(c)},
			Errno:  field{p.Errno, p.Errno != c.Errno},
		})
	}
	gv.Leftovers = field{strings.Join(o.Leftovers, "\n"), !slices.Equal(o.Leftovers, want.Leftovers)}
	gv.Limits = field{strings.Join(o.Limits, "\n"), !slices.Equal(o.Limits, want.Limits)}
	return gv
}

// textOf is an output shown line by line, each line that is not C's line
// at the same place marked.
func textOf(s, c string) text {
	t := text{Changed: s != c, NoNewline: s != "" && !strings.HasSuffix(s, "\n")}
	lines := strings.SplitAfter(s, "\n")
	cl := strings.SplitAfter(c, "\n")
	for i, l := range lines {
		if l == "" {
			continue
		}
		t.Lines = append(t.Lines, line{Text: visible(strings.TrimSuffix(l, "\n")), Changed: i >= len(cl) || cl[i] != l})
	}
	if len(lines) < len(cl) && t.Changed && len(t.Lines) > 0 {
		t.Lines[len(t.Lines)-1].Changed = true // lines of C's are missing after it
	}
	return t
}

// visible shows what a process wrote as text: bytes that are not UTF-8 as
// \xNN, control characters other than tab and newline with Go's escapes.
func visible(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r != '\t' && r != '\n' && (unicode.IsControl(r) || r == 0x2028 || r == 0x2029):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// runLines are the command lines that run sc by hand with ipcparity run
// (judge.Repro's, with ipcparity run for each program): every program as
// form, or as the pairing labelled pairing gives it.
func runLines(sc runner.Scenario, form string, roles []string, pairing string) []string {
	p := make(runner.Pairing, len(roles))
	for i := range roles {
		f := form
		if f == "" {
			f = formIn(pairing, i)
		}
		p[i] = runner.Form{Name: f, Command: func(program string) ([]string, error) {
			argv := []string{"ipcparity", "run", "--form", f, program}
			if len(sc.Steps) > 1 {
				// The processes meet in one directory.
				argv = slices.Insert(argv, 4, "--here")
			}
			if slices.ContainsFunc(sc.Steps, func(st runner.Step) bool {
				return st.Program == program && len(st.Args) > 0 && strings.HasPrefix(st.Args[0], "-")
			}) {
				argv = append(argv, "--")
			}
			return argv, nil
		}}
	}
	var out []string
	for _, l := range judge.Repro(sc, p) {
		if l != "umask 022" {
			out = append(out, visible(l))
		}
	}
	return out
}

// formIn is the form of the i-th role in a pairing's label ("go", or
// "reader=go writer=c").
func formIn(label string, i int) string {
	parts := strings.Fields(label)
	if len(parts) == 1 && !strings.Contains(label, "=") {
		return label
	}
	if i < len(parts) {
		_, f, _ := strings.Cut(parts[i], "=")
		return f
	}
	return "?"
}

// matrix is the programs by forms: for each form in each program's role,
// the worst verdict of the runs it took part in, linked to the first run
// with that verdict.
func matrix(p Page, groups map[string]string) []matrixRow {
	type tally struct {
		n, known, differ int
		href             string
		worst            int
	}
	cells := map[[2]string]*tally{}
	for _, r := range p.Results {
		for _, rr := range r.Runs {
			if rr.Verdict == judge.VerdictReference && rr.Err == "" {
				continue
			}
			g := groups[runKey(r, rr)]
			for i, role := range r.Roles {
				f := formIn(rr.Pairing, i)
				if f == runner.FormC && rr.Verdict != judge.VerdictReference {
					continue // C is the reference: a crossing's difference is its partner's
				}
				k := [2]string{role, f}
				t := cells[k]
				if t == nil {
					t = &tally{}
					cells[k] = t
				}
				t.n++
				level := 0
				switch {
				case rr.Verdict == judge.VerdictDifferent || rr.Err != "":
					t.differ++
					level = 2
				case rr.Verdict == judge.VerdictKnown:
					t.known++
					level = 1
				}
				if (level > t.worst || t.href == "") && g != "" {
					t.href = "#" + g
				}
				t.worst = max(t.worst, level)
			}
		}
	}
	var rows []matrixRow
	for _, mech := range mechanisms(p) {
		for _, prog := range explain.Programs {
			if mechOf(prog) != mech {
				continue
			}
			row := matrixRow{Program: prog, Href: "#prog-" + anchor(prog)}
			for _, f := range Forms {
				t := cells[[2]string{prog, f}]
				switch {
				case f == runner.FormC && (t == nil || t.differ == 0):
					if t != nil || ran(p, prog) {
						row.Cells = append(row.Cells, matrixCell{Class: classRef, Text: "reference", Href: row.Href})
					} else {
						row.Cells = append(row.Cells, matrixCell{Class: classNone, Text: "not run"})
					}
				case t == nil:
					row.Cells = append(row.Cells, matrixCell{Class: classNone, Text: "not run"})
				case t.differ > 0:
					row.Cells = append(row.Cells, matrixCell{Class: classDiffer, Text: fmt.Sprintf("differs %d/%d", t.differ, t.n), Href: t.href, Title: fmt.Sprintf("%d of its %d runs differ from C: the first", t.differ, t.n)})
				case t.known > 0:
					row.Cells = append(row.Cells, matrixCell{Class: classKnown, Text: fmt.Sprintf("known %d/%d", t.known, t.n), Href: t.href, Title: fmt.Sprintf("%d of its %d runs show a known difference: the first", t.known, t.n)})
				default:
					row.Cells = append(row.Cells, matrixCell{Class: classAgree, Text: fmt.Sprintf("agrees %d/%d", t.n, t.n), Href: row.Href, Title: fmt.Sprintf("all its %d runs agree with C", t.n)})
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// ran reports whether a scenario with prog in a role is among the results.
func ran(p Page, prog string) bool {
	return slices.ContainsFunc(p.Results, func(r judge.Result) bool { return slices.Contains(r.Roles, prog) })
}

// script is a call script's transcripts side by side, goipc's lines that
// are not cipc's marked.
func script(s judge.ScriptResult) scriptView {
	sv := scriptView{ID: "calls-" + anchor(baseName(s.File)), File: s.File, Error: s.Error, Class: classAgree, Verdict: "agree"}
	switch {
	case s.NotRun != "":
		sv.Class, sv.Verdict = classNone, "not run: "+s.NotRun
	case s.Error != "":
		sv.Class, sv.Verdict = classDiffer, "wrong script"
	case !s.Agree:
		sv.Class, sv.Verdict = classDiffer, "differ"
	}
	for _, side := range []string{runner.SideC, runner.SideGo} {
		t, c := s.Transcripts[side], s.Transcripts[runner.SideC]
		if side == runner.SideC {
			c = t // nothing is marked in cipc's own column
		}
		sd := sideView{Name: side, Text: textOf(t, c)}
		for _, p := range s.Problems[side] {
			sd.Problems = append(sd.Problems, visible(p))
		}
		sv.Sides = append(sv.Sides, sd)
	}
	return sv
}
