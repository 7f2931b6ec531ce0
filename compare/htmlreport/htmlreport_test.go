//go:build linux

package htmlreport

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	texttemplate "text/template"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/ipcparity/ipcparity/compare/explain"
	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
)

// hostile is what a port may print: markup, bytes that are not UTF-8, a
// NUL and a line separator.
const hostile = "<script>alert(1)</script>\xff\x00\u2028end\n"

// samplePage is a fifo scenario checked under four pairings (C, a crossing that
// differs with a hostile output, a crossing that agrees, cgo with a known
// difference), a call script whose sides differ, and the sources of
// fifo_reader but not of fifo_writer.
func samplePage() Page {
	ref := runner.Outcome{Procs: []runner.Proc{{Role: "fifo_reader", Stdout: "Hello World\n"}, {Role: "fifo_writer"}}, Leftovers: []string{}}
	bad := runner.Outcome{Procs: []runner.Proc{{Role: "fifo_reader", Stdout: hostile, Exit: 1, Errno: "ENOENT"}, {Role: "fifo_writer"}}, Leftovers: []string{"fifo named_pipe"}}
	known := runner.Outcome{Procs: []runner.Proc{{Role: "fifo_reader", Stdout: "Hello World\n"}, {Role: "fifo_writer", Signal: "SIGPIPE", Exit: -1}}, Leftovers: []string{}}
	return Page{
		Command: "ipcparity report --html x.html fifo",
		Results: []judge.Result{{
			Mechanism: "fifo", Scenario: "default", About: "the notes' <b>programs</b>", Roles: []string{"fifo_reader", "fifo_writer"},
			Runs: []judge.RunResult{
				{Pairing: "c", Outcome: ref, Verdict: judge.VerdictReference},
				{Pairing: "reader=go writer=c", Outcome: bad, Verdict: judge.VerdictDifferent, Diff: "x"},
				{Pairing: "reader=c writer=go", Outcome: ref, Verdict: judge.VerdictSame},
				{Pairing: "cgo", Outcome: known, Verdict: judge.VerdictKnown, Known: "sigpipe-other-fd"},
			},
		}},
		Scripts: []judge.ScriptResult{{
			File:        "testdata/calls/fifo_open.calls",
			Transcripts: map[string]string{runner.SideC: "open(\"f\") = 3\nclose(3) = 0\n", runner.SideGo: "open(\"f\") = 3\n" + hostile},
			Problems:    map[string][]string{runner.SideGo: {"line 2: <script> expected 0"}},
		}},
		Scenarios: []runner.Scenario{{Mechanism: "fifo", Name: "default", Roles: []string{"fifo_reader", "fifo_writer"}, Steps: []runner.Step{
			{Program: "fifo_reader", Args: []string{"-n", "\xff<script>"}, Background: true},
			{Program: "fifo_writer", Stdin: []byte("<b>\xfe\n")},
		}}},
		Sources: []explain.Program{{Name: "fifo_reader", Forms: [][]explain.Step{
			{{N: 1, ID: "open", Code: "open(name, O_RDONLY)", File: "c_reference/fifo.c", Line: 3}, {N: 2, ID: "copy", Code: "while(read(fd, &c, 1) > 0)", Known: []string{"copy-in-chunks"}, File: "c_reference/fifo.c", Line: 4}},
			{{N: 1, ID: "open", Code: "Open(name, O_RDONLY)"}, {N: 2, ID: "copy", Code: "Read(fd, buf[:])"}},
			{{N: 1, ID: "open", Code: "os.Open(name)"}, {N: 2, ID: "copy", Code: "io.Copy(os.Stdout, f)", Known: []string{"copy-in-chunks"}}},
		}}, {Name: "fifo_writer", Forms: [][]explain.Step{nil, nil, nil}}},
	}
}

// escaped says where a page shows a hostile output other than as text:
// markup that a browser would run, bytes that are not UTF-8, a NUL.
func escaped(html []byte) error {
	var errs []error
	if !utf8.Valid(html) {
		errs = append(errs, errors.New("the page is not UTF-8"))
	}
	if bytes.Contains(bytes.ToLower(html), []byte("<script")) || bytes.Contains(html, []byte("<b>")) {
		errs = append(errs, errors.New("the page has markup from the outputs"))
	}
	if bytes.ContainsRune(html, 0) || bytes.ContainsRune(html, '\u2028') {
		errs = append(errs, errors.New("the page has a control character of an output"))
	}
	for _, shown := range []string{`ipcparity run --form go --here fifo_reader -- -n &#39;\xff&lt;script&gt;&#39; &amp;`, "printf &#39;%s&#39; &#39;&lt;b&gt;\\xfe\n&#39; | ipcparity run --form c --here fifo_writer", `&lt;script&gt;alert(1)&lt;/script&gt;\xff\x00\u2028end`, "&lt;b&gt;programs&lt;/b&gt;", "line 2: &lt;script&gt; expected 0"} {
		if !bytes.Contains(html, []byte(shown)) {
			errs = append(errs, fmt.Errorf("the page does not show %s", shown))
		}
	}
	return errors.Join(errs...)
}

// The outputs are shown as text: markup escaped, other bytes as Go's
// escapes. The same page made without html/template's escaping is caught.
func TestEscaped(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, samplePage()); err != nil {
		t.Fatal(err)
	}
	if err := escaped(b.Bytes()); err != nil {
		t.Error(err)
	}

	// Wrong: text/template, and the outputs as they are.
	p := samplePage()
	p.Results[0].Runs[1].Outcome.Procs[0].Stdout = runner.Text(hostile)
	v := build(p)
	v.Mechs[0].Scenarios[0].Groups[1].Procs[0].Stdout.Lines[0].Text = hostile
	var w bytes.Buffer
	if err := texttemplate.Must(texttemplate.New("page").Parse(pageText)).Execute(&w, v); err != nil {
		t.Fatal(err)
	}
	if escaped(w.Bytes()) == nil {
		t.Error("a page that shows the outputs unescaped passed")
	}
}

// The matrix blames a crossing's difference on the form that is not C, and
// says which forms did not run.
func TestMatrix(t *testing.T) {
	v := build(samplePage())
	got := map[string][]string{}
	for _, r := range v.Matrix {
		for _, c := range r.Cells {
			got[r.Program] = append(got[r.Program], c.Class+" "+c.Text)
		}
	}
	want := map[string][]string{
		"fifo_reader": {"ref reference", "known known 1/1", "differ differs 1/1", "none not run"},
		"fifo_writer": {"ref reference", "known known 1/1", "agree agrees 1/1", "none not run"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("matrix (-want +got):\n%s", diff)
	}
	if href := v.Matrix[0].Cells[2].Href; href != "#"+v.Mechs[0].Scenarios[0].Groups[1].ID {
		t.Errorf("the differing cell links to %q, not to the differing column", href)
	}
}

// A scenario's runs with the same outcome share a column; what differs
// from C is marked, in the differing lines only.
func TestOutcomeColumns(t *testing.T) {
	sc := build(samplePage()).Mechs[0].Scenarios[0]
	var got []string
	for _, g := range sc.Groups {
		got = append(got, g.Verdict+": "+strings.Join(g.Pairings, ", "))
	}
	want := []string{"same as C: c (reference), reader=c writer=go", "differs from C: reader=go writer=c", "known difference: cgo"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
	bad := sc.Groups[1]
	if !bad.Procs[0].Stdout.Changed || !bad.Procs[0].End.Changed || !bad.Procs[0].Errno.Changed || !bad.Leftovers.Changed || bad.Procs[1].End.Changed {
		t.Errorf("the differing column is not marked where it differs, and only there: %+v", bad)
	}
	if diff := cmp.Diff(text{Changed: true, Lines: []line{{"a", false}, {"X", true}}}, textOf("a\nX\n", "a\nb\n")); diff != "" {
		t.Errorf("a changed line (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(text{Changed: true, NoNewline: true, Lines: []line{{"a", true}}}, textOf("a", "a\nb\n")); diff != "" {
		t.Errorf("lines missing at the end (-want +got):\n%s", diff)
	}
	if !strings.Contains(strings.Join(sc.Rerun, "\n"), "ipcparity check --run '^fifo/default$' fifo") {
		t.Errorf("no command line reruns the scenario: %q", sc.Rerun)
	}
}

// The sources are side by side, a step with a known difference marked and
// linked to it; a program without step markers says so.
func TestSources(t *testing.T) {
	progs := build(samplePage()).Mechs[0].Programs
	if len(progs) != 2 {
		t.Fatalf("programs: %+v", progs)
	}
	reader, writer := progs[0], progs[1]
	if reader.Note != "" || len(reader.Steps) != 2 || len(reader.Steps[1].Cells) != 3 {
		t.Fatalf("fifo_reader's steps: %+v", reader)
	}
	if s := reader.Steps[1]; s.Class != classKnown || len(s.Known) != 1 || s.Known[0].Href != "#known-copy-in-chunks" {
		t.Errorf("the step with a known difference is not marked and linked: %+v", s)
	}
	if !strings.Contains(writer.Note, "no step markers") || len(writer.Steps) != 0 {
		t.Errorf("fifo_writer, unmarked: %+v", writer)
	}
	var b bytes.Buffer
	if err := Write(&b, samplePage()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `id="known-copy-in-chunks"`) {
		t.Error("the known difference a step links to is not on the page")
	}
}
