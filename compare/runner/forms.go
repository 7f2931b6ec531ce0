//go:build linux

package runner

import (
	"debug/buildinfo"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A Form is one way of running the programs: the native C binaries, the
// cgo binaries, the pure-Go binaries, or a user's command.
type Form struct {
	Name string
	// Command returns the command line that runs program as this form.
	Command func(program string) ([]string, error)
	// ReportsErrno tells whether the form reports the errno of a failing
	// call on the side channel (see package report). Where it does not,
	// errno is left out of its comparison and the report says so.
	ReportsErrno bool
	// Lang is the language the form's programs run in, which says the
	// known differences that apply to it (package judge): LangC, LangCgo
	// (C code inside a Go process), LangGo, or "" for none.
	Lang string
	// Builtin is set for the forms of BuiltinForms and ScriptSides. A
	// known difference that must show (judge.KnownDifference.Required) is
	// held to it only in pairings of built-in forms: for a user's port, it
	// is an alternative to C's outcome.
	Builtin bool
}

// The languages of forms (Form.Lang).
const (
	LangC   = "c"
	LangCgo = "cgo"
	LangGo  = "go"
)

// The built-in forms, by name.
const (
	FormC   = "c"
	FormCgo = "cgo"
	FormGo  = "go"
	// FormIdiom is the notes' programs as Go programmers write them
	// (goidiom: os/exec, net, os; goipc only where the standard library
	// has nothing). It is Go: Go's known differences are its own.
	FormIdiom = "idiom"
)

// BuiltinForms returns the forms c, cgo and go, whose binaries are in
// binDir/c, binDir/cgo and binDir/go (as `make build` lays them out).
func BuiltinForms(binDir string) []Form {
	if abs, err := filepath.Abs(binDir); err == nil {
		binDir = abs
	}
	var forms []Form
	for _, name := range []string{FormC, FormCgo, FormGo, FormIdiom} {
		dir := filepath.Join(binDir, name)
		lang := name // the forms c, cgo and go are in the languages of their names
		if name == FormIdiom {
			lang = LangGo
		}
		forms = append(forms, Form{
			Name:         name,
			ReportsErrno: true,
			Lang:         lang,
			Builtin:      true,
			Command: func(program string) ([]string, error) {
				path := filepath.Join(dir, program)
				if _, err := os.Stat(path); err != nil {
					return nil, fmt.Errorf("form %s: no binary for %s (run make build): %w", name, program, err)
				}
				return []string{path}, nil
			},
		})
	}
	return forms
}

// The sides a call script runs on, and the program that interprets
// scripts: each side's form runs it, bin/cgo/ipccalls on cipc and
// bin/go/ipccalls (built without cgo) on goipc.
const (
	SideC         = "cipc"
	SideGo        = "goipc"
	ScriptProgram = "ipccalls"
)

// ScriptSides returns the forms that run call scripts on cipc and on goipc,
// from the binaries in binDir/cgo and binDir/go.
func ScriptSides(binDir string) []Form {
	forms := BuiltinForms(binDir)
	cgo, golang := forms[1], forms[2]
	cgo.Name, golang.Name = SideC, SideGo
	return []Form{cgo, golang}
}

// CommandForm is a user's command for one program: argv is run with the
// scenario's arguments appended. It reports no errno, and no known
// difference applies to it, until the caller sets ReportsErrno and Lang.
func CommandForm(program string, argv []string) Form {
	return Form{
		Name: "user",
		Command: func(p string) ([]string, error) {
			if p != program {
				return nil, fmt.Errorf("the user's command stands for %s, not %s", program, p)
			}
			return append([]string(nil), argv...), nil
		},
	}
}

// A Pairing gives each role of a scenario a form.
type Pairing []Form

// Label names the pairing: the form's name when every role has the same
// form, else role=form pairs in role order ("reader=c writer=go").
func (p Pairing) Label(roles []string) string {
	same := true
	for _, f := range p {
		same = same && f.Name == p[0].Name
	}
	if same || len(roles) == 1 {
		return p[0].Name
	}
	parts := make([]string, len(p))
	for i, f := range p {
		parts[i] = shortRole(roles[i]) + "=" + f.Name
	}
	return strings.Join(parts, " ")
}

// shortRole drops the mechanism from a program name: fifo_reader → reader.
func shortRole(program string) string {
	if _, after, ok := strings.Cut(program, "_"); ok {
		return after
	}
	return program
}

// FormFor returns the form of program within the pairing.
func (p Pairing) FormFor(roles []string, program string) Form {
	for i, r := range roles {
		if r == program {
			return p[i]
		}
	}
	return p[0]
}

// Pairings returns the reference pairing (the first form in every role)
// first, then every other assignment of forms to roles that crossed allows:
// for one role each form; for two roles every crossing of c, cgo and go,
// and a later form (idiom) alone and with the reference in each role.
func Pairings(roles []string, forms []Form) []Pairing {
	var out []Pairing
	var rec func(i int, cur Pairing)
	rec = func(i int, cur Pairing) {
		if i == len(roles) {
			if crossed(cur, forms) {
				out = append(out, append(Pairing(nil), cur...))
			}
			return
		}
		for _, f := range forms {
			rec(i+1, append(cur, f))
		}
	}
	rec(0, nil)
	return out
}

// FullyCrossed is how many of the forms (the first ones: c, cgo, go) meet
// every other in every role; a form after them (idiom) is crossed with the
// reference alone, which keeps a check's runs from growing as the square of
// the forms.
const FullyCrossed = 3

// crossed reports whether the pairing is one that Pairings makes: forms
// among the first FullyCrossed only, or one later form with the reference.
func crossed(p Pairing, forms []Form) bool {
	later := ""
	for _, f := range p {
		i := slices.IndexFunc(forms, func(g Form) bool { return g.Name == f.Name })
		if i < FullyCrossed {
			continue
		}
		if later != "" && later != f.Name {
			return false
		}
		later = f.Name
	}
	if later == "" {
		return true
	}
	for _, f := range p {
		if f.Name != later && f.Name != forms[0].Name {
			return false
		}
	}
	return true
}

// PortLang is the language whose known differences apply to a user's port
// at path: lang when it is given ("none" for none), else LangGo for a Go
// binary (debug/buildinfo finds its build information), else none. A Go
// binary built with cgo that does not call C behaves as Go does: the cgo
// entries are about C code running inside a Go process. The second result
// says in words what was taken, for the user to read.
func PortLang(lang, path string) (string, string) {
	switch lang {
	case "none":
		return "", "no known difference applies: the port is held to C"
	case "":
	default:
		return lang, "the known differences of " + lang + " apply"
	}
	if _, err := buildinfo.ReadFile(path); err != nil {
		return "", path + " is not a Go binary: no known difference applies, the port is held to C (a wrapper of a Go binary: say its language is go)"
	}
	return LangGo, path + " is a Go binary: the known differences of Go apply (C code in it: say its language is cgo)"
}
