// Package genunsupported generates goipc's unsupported.go: for systems
// other than Linux, the exported API of goipc's Linux-only files, with
// bodies that fail with ErrNotSupported.
//
// It reads the package's source with go/parser and writes the stubs with
// go/printer and go/format, without type-checking. The rules:
//
//   - A function or method (on an exported type) keeps its signature and
//     returns ErrNotSupported for its error results. Its other results are
//     zero values, except that signed integers are -1 when the function
//     has an error result (the C convention), and are 1 in a program
//     (a function named ...Main: an exit status).
//   - A struct type keeps its exported fields when their types exist on
//     every system (predeclared types and the package's own exported
//     types); otherwise it is an opaque struct{}. Unexported fields go.
//   - A constant is copied when its value is a literal, or an expression of
//     literals and constants copied before it.
//   - A variable is declared with its type (and its zero value).
//
// Anything it cannot translate faithfully is an error, never a silent gap
// in the API.
package genunsupported

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Output is the name of the generated file.
const Output = "unsupported.go"

// Build contexts: a file is Linux-only when some Linux architecture builds
// it and no build for another system does.
var (
	linuxArchs = []string{"amd64", "arm64", "386", "riscv64"}
	otherOSes  = []string{"darwin", "freebsd", "openbsd", "netbsd", "windows"}
)

func context(goos, goarch string) *build.Context {
	ctx := build.Default
	ctx.GOOS, ctx.GOARCH, ctx.CgoEnabled = goos, goarch, false
	return &ctx
}

// Generate returns the source of unsupported.go for the package in dir.
func Generate(dir string) ([]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	g := &generator{
		fset:       token.NewFileSet(),
		localTypes: map[string]ast.Expr{},
		consts:     map[string]bool{},
		imports:    map[string]string{},
		used:       map[string]string{},
	}
	var linuxFiles []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == Output {
			continue
		}
		onLinux, elsewhere, err := classify(dir, name)
		if err != nil {
			return nil, err
		}
		if !onLinux {
			continue // the output itself, a //go:build ignore file, ...
		}
		f, err := parser.ParseFile(g.fset, filepath.Join(dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		if g.pkg == "" {
			g.pkg = f.Name.Name
		}
		// Types declared in files built everywhere exist in the stub's
		// build too; those of Linux-only files are redeclared by it.
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, s := range gd.Specs {
					ts := s.(*ast.TypeSpec)
					if ast.IsExported(ts.Name.Name) || elsewhere {
						g.localTypes[ts.Name.Name] = ts.Type
					}
				}
			}
		}
		if !elsewhere {
			linuxFiles = append(linuxFiles, f)
		}
	}
	if len(linuxFiles) == 0 {
		return nil, fmt.Errorf("genunsupported: no Linux-only Go files in %s", dir)
	}
	for _, f := range linuxFiles {
		if err := g.file(f); err != nil {
			return nil, err
		}
	}
	return g.finish()
}

// classify reports whether some Linux build includes file name, and
// whether some build for another system does.
func classify(dir, name string) (onLinux, elsewhere bool, err error) {
	for _, arch := range linuxArchs {
		ok, err := context("linux", arch).MatchFile(dir, name)
		if err != nil {
			return false, false, err
		}
		onLinux = onLinux || ok
	}
	for _, goos := range otherOSes {
		ok, err := context(goos, "amd64").MatchFile(dir, name)
		if err != nil {
			return false, false, err
		}
		elsewhere = elsewhere || ok
	}
	return onLinux, elsewhere, nil
}

// spec is one spec of a declaration: its doc comment and its text; gap
// asks for a blank line before it, as in the source.
type spec struct {
	doc, text string
	gap       bool
}

type generator struct {
	fset       *token.FileSet
	pkg        string
	localTypes map[string]ast.Expr // type name -> its type expression
	consts     map[string]bool     // constants copied so far
	imports    map[string]string   // package name -> path, of the file at hand
	used       map[string]string   // package name -> path, used by the stub
	body       bytes.Buffer
}

func (g *generator) file(f *ast.File) error {
	g.imports = map[string]string{}
	for _, im := range f.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			return err
		}
		name := path.Base(p)
		if im.Name != nil {
			name = im.Name.Name
		}
		g.imports[name] = p
	}
	for _, d := range f.Decls {
		var err error
		switch d := d.(type) {
		case *ast.GenDecl:
			switch d.Tok {
			case token.CONST:
				err = g.constDecl(d)
			case token.VAR:
				err = g.varDecl(d)
			case token.TYPE:
				err = g.typeDecl(d)
			}
		case *ast.FuncDecl:
			err = g.funcDecl(d)
		}
		if err != nil {
			return fmt.Errorf("genunsupported: %s: %v", g.fset.Position(d.Pos()), err)
		}
	}
	return nil
}

func (g *generator) finish() ([]byte, error) {
	var out bytes.Buffer
	out.WriteString("// Code generated by gen_unsupported.go (goipc/internal/genunsupported); DO NOT EDIT.\n\n")
	out.WriteString("//go:build !linux\n\n")
	fmt.Fprintf(&out, "package %s\n\n", g.pkg)
	out.WriteString("// This file declares, for systems other than Linux, the exported API of the\n")
	out.WriteString("// package's Linux files, which are built on Linux only: every function\n")
	out.WriteString("// fails with ErrNotSupported. go generate rewrites it from those files.\n\n")
	if len(g.used) > 0 {
		names := make([]string, 0, len(g.used))
		for name := range g.used {
			names = append(names, name)
		}
		sort.Slice(names, func(i, j int) bool { return g.used[names[i]] < g.used[names[j]] })
		specs := make([]string, len(names))
		for i, name := range names {
			specs[i] = strconv.Quote(g.used[name])
			if path.Base(g.used[name]) != name {
				specs[i] = name + " " + specs[i]
			}
		}
		if len(specs) == 1 {
			fmt.Fprintf(&out, "import %s\n\n", specs[0])
		} else {
			fmt.Fprintf(&out, "import (\n\t%s\n)\n\n", strings.Join(specs, "\n\t"))
		}
	}
	out.Write(g.body.Bytes())
	src, err := format.Source(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("genunsupported: formatting the output: %v\n%s", err, out.Bytes())
	}
	return src, nil
}

// expr prints an expression as it is in the source.
func (g *generator) expr(e ast.Expr) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, g.fset, e); err != nil {
		panic(err) // printing to a buffer does not fail
	}
	return b.String()
}

func comment(cg *ast.CommentGroup) string {
	if cg == nil {
		return ""
	}
	var b strings.Builder
	for _, c := range cg.List {
		b.WriteString(c.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

func lineComment(cg *ast.CommentGroup) string {
	if cg == nil {
		return ""
	}
	return " " + strings.TrimSuffix(comment(cg), "\n")
}

// walkType calls ident for every type name in e and records the packages
// that e's qualified names use. It reports whether e is built of
// predeclared types and the package's own only (portable).
func (g *generator) walkType(e ast.Expr, typeParams map[string]bool) (portable bool, err error) {
	portable = true
	var walk func(e ast.Expr)
	walkFields := func(fl *ast.FieldList) {
		if fl != nil {
			for _, f := range fl.List {
				walk(f.Type)
			}
		}
	}
	walk = func(e ast.Expr) {
		if err != nil || e == nil {
			return
		}
		switch e := e.(type) {
		case *ast.Ident:
			switch {
			case typeParams[e.Name]:
			case g.localTypes[e.Name] != nil:
			case types.Universe.Lookup(e.Name) != nil:
			default:
				err = fmt.Errorf("type %s does not exist outside Linux", e.Name)
			}
		case *ast.SelectorExpr:
			pkg, ok := e.X.(*ast.Ident)
			if !ok || g.imports[pkg.Name] == "" {
				err = fmt.Errorf("cannot resolve %s", g.expr(e))
				return
			}
			g.used[pkg.Name] = g.imports[pkg.Name]
			portable = false
		case *ast.StarExpr:
			walk(e.X)
		case *ast.ParenExpr:
			walk(e.X)
		case *ast.ArrayType:
			if e.Len != nil {
				if _, ok := e.Len.(*ast.BasicLit); !ok {
					err = fmt.Errorf("array length %s is not a literal", g.expr(e.Len))
					return
				}
			}
			walk(e.Elt)
		case *ast.Ellipsis:
			walk(e.Elt)
		case *ast.MapType:
			walk(e.Key)
			walk(e.Value)
		case *ast.ChanType:
			walk(e.Value)
		case *ast.FuncType:
			walkFields(e.Params)
			walkFields(e.Results)
		case *ast.StructType:
			walkFields(e.Fields)
		case *ast.InterfaceType:
			walkFields(e.Methods)
		case *ast.IndexExpr:
			walk(e.X)
			walk(e.Index)
		case *ast.IndexListExpr:
			walk(e.X)
			for _, x := range e.Indices {
				walk(x)
			}
		default:
			err = fmt.Errorf("unexpected type expression %s", g.expr(e))
		}
	}
	walk(e)
	return portable, err
}

func (g *generator) constDecl(d *ast.GenDecl) error {
	var specs []spec
	for _, s := range d.Specs {
		vs := s.(*ast.ValueSpec)
		var names, values []string
		for i, n := range vs.Names {
			if !ast.IsExported(n.Name) {
				continue
			}
			if len(vs.Values) != len(vs.Names) {
				return fmt.Errorf("constant %s has no value of its own", n.Name)
			}
			if err := g.constValue(vs.Values[i]); err != nil {
				return fmt.Errorf("constant %s: %v", n.Name, err)
			}
			names = append(names, n.Name)
			values = append(values, g.expr(vs.Values[i]))
		}
		if len(names) == 0 {
			continue
		}
		typ := ""
		if vs.Type != nil {
			if portable, err := g.walkType(vs.Type, nil); err != nil || !portable {
				return fmt.Errorf("constant %s: its type %s does not exist everywhere", names[0], g.expr(vs.Type))
			}
			typ = " " + g.expr(vs.Type)
		}
		specs = append(specs, spec{
			doc:  comment(vs.Doc),
			text: strings.Join(names, ", ") + typ + " = " + strings.Join(values, ", ") + lineComment(vs.Comment),
			gap:  g.gapBefore(d, vs, vs.Doc),
		})
		for _, n := range names {
			g.consts[n] = true
		}
	}
	return g.write(d, "const", specs)
}

// constValue checks that e is made of literals and constants copied before.
func (g *generator) constValue(e ast.Expr) error {
	switch e := e.(type) {
	case *ast.BasicLit:
		return nil
	case *ast.Ident:
		if g.consts[e.Name] || e.Name == "true" || e.Name == "false" {
			return nil
		}
	case *ast.ParenExpr:
		return g.constValue(e.X)
	case *ast.UnaryExpr:
		return g.constValue(e.X)
	case *ast.BinaryExpr:
		if err := g.constValue(e.X); err != nil {
			return err
		}
		return g.constValue(e.Y)
	}
	return fmt.Errorf("value %s is not a literal", g.expr(e))
}

func (g *generator) varDecl(d *ast.GenDecl) error {
	var specs []spec
	for _, s := range d.Specs {
		vs := s.(*ast.ValueSpec)
		var names []string
		for _, n := range vs.Names {
			if ast.IsExported(n.Name) {
				names = append(names, n.Name)
			}
		}
		if len(names) == 0 {
			continue
		}
		if vs.Type == nil {
			return fmt.Errorf("variable %s has no explicit type", names[0])
		}
		if _, err := g.walkType(vs.Type, nil); err != nil {
			return fmt.Errorf("variable %s: %v", names[0], err)
		}
		specs = append(specs, spec{
			doc:  fmt.Sprintf("// %s is declared for the API only: it keeps its zero value.\n", names[0]),
			text: strings.Join(names, ", ") + " " + g.expr(vs.Type),
			gap:  len(specs) > 0,
		})
	}
	return g.write(d, "var", specs)
}

func (g *generator) typeDecl(d *ast.GenDecl) error {
	var specs []spec
	for _, s := range d.Specs {
		ts := s.(*ast.TypeSpec)
		name := ts.Name.Name
		if !ast.IsExported(name) {
			continue
		}
		tparams := map[string]bool{}
		head := name
		if ts.TypeParams != nil {
			for _, f := range ts.TypeParams.List {
				for _, n := range f.Names {
					tparams[n.Name] = true
				}
			}
			for _, f := range ts.TypeParams.List {
				if _, err := g.walkType(f.Type, tparams); err != nil {
					return fmt.Errorf("type %s: %v", name, err)
				}
			}
			var ps []string
			for _, f := range ts.TypeParams.List {
				ps = append(ps, identList(f.Names)+" "+g.expr(f.Type))
			}
			head += "[" + strings.Join(ps, ", ") + "]"
		}
		if ts.Assign.IsValid() {
			head += " ="
		}
		st, isStruct := ts.Type.(*ast.StructType)
		if !isStruct || ts.Assign.IsValid() {
			if portable, err := g.walkType(ts.Type, tparams); err != nil || !portable {
				return fmt.Errorf("type %s: %s does not exist everywhere", name, g.expr(ts.Type))
			}
			specs = append(specs, spec{
				doc:  fmt.Sprintf("// %s is as on Linux.\n", name),
				text: head + " " + g.expr(ts.Type),
				gap:  len(specs) > 0,
			})
			continue
		}
		var fields []string
		opaque := false
		for _, f := range st.Fields.List {
			var names []string
			for _, n := range f.Names {
				if ast.IsExported(n.Name) {
					names = append(names, n.Name)
				}
			}
			embedded := len(f.Names) == 0
			if embedded {
				t := f.Type
				if s, ok := t.(*ast.StarExpr); ok {
					t = s.X
				}
				if id, ok := t.(*ast.Ident); !ok || !ast.IsExported(id.Name) {
					continue // embedded non-exported or qualified type
				}
			} else if len(names) == 0 {
				continue
			}
			portable, err := g.walkType(f.Type, tparams)
			if err != nil || !portable {
				opaque = true
				break
			}
			field := g.expr(f.Type)
			if !embedded {
				field = strings.Join(names, ", ") + " " + field
			}
			fields = append(fields, comment(f.Doc)+field+lineComment(f.Comment))
		}
		if opaque || len(fields) == 0 {
			specs = append(specs, spec{
				doc:  fmt.Sprintf("// %s is opaque here.\n", name),
				text: head + " struct{}",
				gap:  len(specs) > 0,
			})
			continue
		}
		specs = append(specs, spec{
			doc:  fmt.Sprintf("// %s has the exported fields it has on Linux.\n", name),
			text: head + " struct {\n" + strings.Join(fields, "\n") + "\n}",
			gap:  len(specs) > 0,
		})
	}
	return g.write(d, "type", specs)
}

func identList(ids []*ast.Ident) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = id.Name
	}
	return strings.Join(names, ", ")
}

// write emits specs as one declaration, grouped as in the source.
func (g *generator) write(d *ast.GenDecl, tok string, specs []spec) error {
	if len(specs) == 0 {
		return nil
	}
	if !d.Lparen.IsValid() {
		doc := specs[0].doc
		if tok == "const" {
			doc = comment(d.Doc)
		}
		fmt.Fprintf(&g.body, "%s%s %s\n\n", doc, tok, specs[0].text)
		return nil
	}
	fmt.Fprintf(&g.body, "%s%s (\n", comment(d.Doc), tok)
	for i, s := range specs {
		if s.gap && i > 0 {
			g.body.WriteString("\n")
		}
		g.body.WriteString(s.doc + s.text + "\n")
	}
	g.body.WriteString(")\n\n")
	return nil
}

// gapBefore reports whether a blank line precedes spec s (or its doc) in
// the source declaration d.
func (g *generator) gapBefore(d *ast.GenDecl, s ast.Spec, doc *ast.CommentGroup) bool {
	start := s.Pos()
	if doc != nil {
		start = doc.Pos()
	}
	for i, x := range d.Specs {
		if x == s {
			if i == 0 {
				return false
			}
			return g.fset.Position(start).Line > g.fset.Position(d.Specs[i-1].End()).Line+1
		}
	}
	return false
}

func (g *generator) funcDecl(d *ast.FuncDecl) error {
	name := d.Name.Name
	if !ast.IsExported(name) {
		return nil
	}
	tparams := map[string]bool{}
	addParams := func(fl *ast.FieldList) {
		if fl != nil {
			for _, f := range fl.List {
				for _, n := range f.Names {
					tparams[n.Name] = true
				}
			}
		}
	}
	addParams(d.Type.TypeParams)
	if d.Recv != nil {
		t := d.Recv.List[0].Type
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
		}
		switch x := t.(type) {
		case *ast.IndexExpr:
			t = x.X
			if id, ok := x.Index.(*ast.Ident); ok {
				tparams[id.Name] = true
			}
		case *ast.IndexListExpr:
			t = x.X
			for _, i := range x.Indices {
				if id, ok := i.(*ast.Ident); ok {
					tparams[id.Name] = true
				}
			}
		}
		if id, ok := t.(*ast.Ident); !ok || !ast.IsExported(id.Name) {
			return nil // a method of an unexported type
		}
	}
	if _, err := g.walkType(d.Type, tparams); err != nil {
		return fmt.Errorf("func %s: %v", name, err)
	}
	var sig bytes.Buffer
	if err := printer.Fprint(&sig, g.fset, &ast.FuncDecl{Recv: d.Recv, Name: d.Name, Type: d.Type}); err != nil {
		return err
	}

	var results []ast.Expr
	hasError := false
	if d.Type.Results != nil {
		for _, f := range d.Type.Results.List {
			n := max(len(f.Names), 1)
			for range n {
				results = append(results, f.Type)
			}
			if id, ok := f.Type.(*ast.Ident); ok && id.Name == "error" {
				hasError = true
			}
		}
	}
	program := d.Recv == nil && strings.HasSuffix(name, "Main")
	values := make([]string, len(results))
	for i, t := range results {
		v, err := g.zero(t, tparams, hasError, program)
		if err != nil {
			return fmt.Errorf("func %s: %v", name, err)
		}
		values[i] = v
	}
	doc := fmt.Sprintf("// %s is Linux only: here it does nothing.\n", name)
	if len(values) > 0 {
		doc = fmt.Sprintf("// %s is Linux only: here it returns %s.\n", name, englishList(values))
	}
	g.body.WriteString(doc)
	g.body.Write(sig.Bytes())
	g.body.WriteString(" {\n")
	if len(values) > 0 {
		fmt.Fprintf(&g.body, "\treturn %s\n", strings.Join(values, ", "))
	}
	g.body.WriteString("}\n\n")
	return nil
}

func englishList(xs []string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// zero returns the value that a stub returns for a result of type t.
func (g *generator) zero(t ast.Expr, tparams map[string]bool, hasError, program bool) (string, error) {
	for range 100 { // resolve the package's own named types
		id, ok := t.(*ast.Ident)
		if !ok || tparams[id.Name] {
			break
		}
		if id.Name == "error" {
			return "ErrNotSupported", nil
		}
		if u, ok := g.localTypes[id.Name]; ok {
			if _, isStruct := u.(*ast.StructType); isStruct {
				return id.Name + "{}", nil
			}
			t = u
			continue
		}
		switch id.Name {
		case "int", "int8", "int16", "int32", "int64", "rune":
			switch {
			case program:
				return "1", nil
			case hasError:
				return "-1", nil
			}
			return "0", nil
		case "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "byte",
			"float32", "float64", "complex64", "complex128":
			return "0", nil
		case "string":
			return `""`, nil
		case "bool":
			return "false", nil
		case "any":
			return "nil", nil
		}
		break
	}
	switch t := t.(type) {
	case *ast.StarExpr, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType:
		return "nil", nil
	case *ast.ArrayType:
		if t.Len == nil {
			return "nil", nil
		}
	case *ast.SelectorExpr:
		if knownInterfaces[g.expr(t)] {
			return "nil", nil
		}
	}
	// A type parameter, or a type of another package whose kind a
	// generator without type-checking cannot know.
	return "*new(" + g.expr(t) + ")", nil
}

// knownInterfaces are the interface types of other packages that the API
// returns, whose zero value is nil.
var knownInterfaces = map[string]bool{
	"unix.Sockaddr": true,
}
