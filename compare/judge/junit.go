//go:build linux

package judge

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// JUnit XML, as CI servers read it (Jenkins, GitLab, GitHub's test
// reporters): testsuites > testsuite > testcase, a failure or an error
// inside a case that did not pass. One testsuite per program (the report's
// tables) and per call-script file; one testcase per scenario and pairing,
// or per script. compare/judge/testdata/junit.xsd is the schema that the
// tests hold the output to.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name       string         `xml:"name,attr"`
	Classname  string         `xml:"classname,attr"`
	Properties *junitProps    `xml:"properties,omitempty"`
	Skipped    *junitProblem  `xml:"skipped,omitempty"`
	Failure    *junitProblem  `xml:"failure,omitempty"`
	Error      *junitProblem  `xml:"error,omitempty"`
	SystemOut  *junitCharData `xml:"system-out,omitempty"`
}

type junitProps struct {
	Props []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitCharData struct {
	Text string `xml:",chardata"`
}

// WriteJUnit writes scenario and call-script results as JUnit XML. A run
// that differs from C is a failure whose text is the readable report; a
// run that could not start is an error; a known difference is a case that
// passed, with a property naming the difference.
func WriteJUnit(w io.Writer, results []Result, scripts []ScriptResult) error {
	all := junitSuites{Name: "ipcparity"}
	bySuite := map[string]int{}
	for _, r := range results {
		name := r.Mechanism + " (" + strings.Join(r.Roles, ", ") + ")"
		i, ok := bySuite[name]
		if !ok {
			i = len(all.Suites)
			bySuite[name] = i
			all.Suites = append(all.Suites, junitSuite{Name: name})
		}
		s := &all.Suites[i]
		for _, rr := range r.Runs {
			c := junitCase{Name: r.Scenario + " [" + rr.Pairing + "]", Classname: "ipcparity." + r.Mechanism}
			var b strings.Builder
			switch {
			case rr.Err != "":
				ExplainRun(&b, r, rr)
				c.Error = &junitProblem{Message: "could not run: " + firstLine(rr.Err), Type: "error", Text: xmlText(b.String())}
			case rr.Verdict == VerdictDifferent:
				ExplainRun(&b, r, rr)
				c.Failure = &junitProblem{Message: "differs from C: " + r.About, Type: "difference", Text: xmlText(b.String())}
			case rr.Verdict == VerdictSkipped:
				c.Skipped = &junitProblem{Message: "skipped: " + rr.Skipped, Type: "skipped"}
			case rr.Verdict == VerdictKnown:
				c.Properties = &junitProps{[]junitProp{{Name: "known-difference", Value: rr.Known}}}
				c.SystemOut = &junitCharData{xmlText("differs from C as known difference " + rr.Known + " says (ipcparity list)")}
			}
			s.add(c)
		}
	}
	for _, sr := range scripts {
		s := junitSuite{Name: sr.File}
		c := junitCase{Name: sr.File, Classname: "ipcparity.calls"}
		var b strings.Builder
		switch {
		case sr.NotRun != "":
			c.Skipped = &junitProblem{Message: "not run: " + sr.NotRun, Type: "skipped"}
		case sr.Error != "":
			ReportScripts(&b, []ScriptResult{sr})
			c.Error = &junitProblem{Message: "the script is wrong: " + firstLine(sr.Error), Type: "error", Text: xmlText(b.String())}
		case !sr.Agree:
			ReportScripts(&b, []ScriptResult{sr})
			c.Failure = &junitProblem{Message: "cipc and goipc disagree", Type: "difference", Text: xmlText(b.String())}
		}
		s.add(c)
		all.Suites = append(all.Suites, s)
	}
	for _, s := range all.Suites {
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w)
	return err
}

func (s *junitSuite) add(c junitCase) {
	s.Cases = append(s.Cases, c)
	s.Tests++
	if c.Failure != nil {
		s.Failures++
	}
	if c.Error != nil {
		s.Errors++
	}
	if c.Skipped != nil {
		s.Skipped++
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// xmlText keeps what XML 1.0 can carry: a program's output may hold bytes
// that no XML document may (NUL, most control characters, invalid UTF-8),
// which are shown as Go escapes.
func xmlText(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xfffe && r != 0xffff:
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, `\x%02x`, r)
		}
		s = s[n:]
	}
	return b.String()
}
