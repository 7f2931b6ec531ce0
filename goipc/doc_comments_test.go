//go:build linux

package goipc_test

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// cNames are the C that an exported primitive translates where its name
// does not say it (MqOpen says mq_open(3), Sem.Post sem_post(3)). The text
// must be in its doc comment.
var cNames = map[string]string{
	"FcntlInt":      "fcntl(2)",
	"SetsockoptInt": "setsockopt(2)",
	"MmapAt":        "mmap(2)",
	"SemAt":         "sem_t *", // a C program casts the address: no function
	"MqAttr":        "struct mq_attr",
	"Sigevent":      "struct sigevent",
	"Sem":           "sem_t",
	"ForkExec":      "fork(2)",
	"Caught":        "sigaction(2)",
	// The calls that take an address where the others take Go values.
	"RawPipe": "pipe(2)", "RawPipe2": "pipe2(2)", "RawMkfifo": "mkfifo(3)", "RawOpen": "open(2)",
	"RawUnlink": "unlink(2)", "RawMqOpen": "mq_open(3)", "RawMqUnlink": "mq_unlink(3)",
	"RawMqGetattr": "mq_getattr(3)", "RawMqSetattr": "mq_setattr(3)", "RawMqTimedsend": "mq_timedsend(2)",
	"RawMqTimedreceive": "mq_timedreceive(2)", "RawShmOpen": "shm_open(3)", "RawShmUnlink": "shm_unlink(3)",
	"RawSemUnlink": "sem_unlink(3)", "RawBind": "bind(2)", "RawConnect": "connect(2)",
	"RawSocketpair": "socketpair(2)", "RawGetrlimit": "getrlimit(2)", "RawSetrlimit": "setrlimit(2)",
	"RawChmod": "chmod(2)", "RawChown": "chown(2)", "RawMkdir": "mkdir(2)", "RawRmdir": "rmdir(2)",
	"RawSymlink": "symlink(2)", "RawMknod": "mknod(2)", "RawMknodat": "mknodat(2)", "RawOpenat": "openat(2)",
	"RawWaitpid": "waitpid(2)", "RawAccept": "accept(2)", "RawGetsockname": "getsockname(2)",
	"RawSemOpen": "sem_open(3)", "RawSetgroups": "setgroups(2)",
	// SIGEV_THREAD
	"MqNotifyFunc": "mq_notify(3)", "MqNotifyRecord": "mq_notify(3)", "MqNotified": "mq_notify(3)",
}

// differences are words that an exported name's doc comment must hold:
// where the Go differs from the C it translates, or where a Go program
// must do what C does another way.
var differences = map[string][]string{
	"Pipe":           {"fork", "PipeMain", "close-on-exec"},
	"PipeMain":       {"fork", "SIGPIPE"},
	"FifoWriterMain": {"SIGPIPE"},
	"FifoReaderMain": {"io.Copy"},
	"MqServerMain":   {"buffer"},
	"SockServerMain": {"buffer", "EINTR"},
	"Write":          {"SIGPIPE"},
	"Poll":           {"EINTR"},
	"Sem.Wait":       {"EINTR"},
	"Sem.Timedwait":  {"EINTR"},
	"MqNotify":       {"SIGEV_THREAD"},
	"MqNotifyFunc":   {"goroutine"},
}

// TestDocComments: every exported function, method and type of goipc has a
// doc comment that names the C it translates (a primitive: its function
// and man page section, as pipe(2); a program: its C program and file in
// c_reference), says where Go differs, refers to nothing go doc does not
// show, and every exported primitive has a runnable example.
func TestDocComments(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]any{}
	for _, name := range names {
		files[name] = nil // read from the file
	}
	for _, p := range parseProblems(t, files) {
		t.Error(p)
	}
}

// TestDocCommentsFail: docProblems, run on a small package with one of
// each fault, finds each.
func TestDocCommentsFail(t *testing.T) {
	src := `package goipc

// Pipe creates a pipe, as pipe(2), as the PipeMain example shows. Go has no fork, and the ends are not close-on-exec.
func Pipe(p []int) error { return nil }

func Close(fd int) error { return nil }

// Read reads from fd.
func Read(fd int, p []byte) (int, error) { return 0, nil }

// Unlink removes path, as unlink(2) (see below).
func Unlink(path string) error { return nil }

// Umask sets the mask, as umask(2); see umaskLocked and unlink_at.go.
func Umask(mask int) int { return umaskLocked(mask) }

func umaskLocked(mask int) int { return 0 }

// PipeMain is the pipe program of c_reference/pipe.c.
func PipeMain(args []string) (int, error) { return 0, nil }

// Sem is a semaphore.
type Sem struct{}

// Post adds one.
func (s *Sem) Post() error { return nil }
`
	test := `package goipc_test

func ExamplePipe() {
	// Output:
	// x
}

func ExampleRead() {
}

func ExampleUnlink() {
	// Output:
	// x
}

func ExampleUmask() {
	// Output:
	// x
}
`
	got := strings.Join(parseProblems(t, map[string]any{"x.go": src, "x_test.go": test}), "\n")
	for _, want := range []string{
		"Close: no doc comment",
		"Close: no runnable example",
		"Read: names no read(2) or read(3)",
		"Read: no runnable example",
		`Unlink: "see below"`,
		"Umask: umaskLocked, which go doc does not show",
		"Umask: unlink_at.go, which go doc does not show",
		"PipeMain: does not say fork",
		"Sem: names no sem_t",
		"Sem.Post: names no sem_post(2) or sem_post(3)",
		"Sem.Post: no runnable example",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("docProblems finds no %q in:\n%s", want, got)
		}
	}
	for _, notWant := range []string{"Pipe: ", "PipeMain: names", "PipeMain: no runnable example"} {
		if strings.Contains(got, "\n"+notWant) || strings.HasPrefix(got, notWant) {
			t.Errorf("docProblems finds %q, which is right:\n%s", notWant, got)
		}
	}
}

// parseProblems parses files (name to source, nil to read the file) and
// returns docProblems of them.
func parseProblems(t *testing.T, files map[string]any) []string {
	t.Helper()
	fset := token.NewFileSet()
	var parsed []*ast.File
	for name, src := range files {
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
	}
	problems, err := docProblems(fset, parsed)
	if err != nil {
		t.Fatal(err)
	}
	return problems
}

var (
	seeBelow = regexp.MustCompile(`(?i)\b(see|shown|described|defined) (below|above)\b|\b(below|above)\)`)
	goFile   = regexp.MustCompile(`\b[\w*]+\.go\b`)
)

// docProblems returns what is wrong with the doc comments and examples of
// the exported names of the package in files (its _test.go files give the
// examples).
func docProblems(fset *token.FileSet, files []*ast.File) ([]string, error) {
	pkg, err := doc.NewFromFiles(fset, files, "github.com/ipcparity/ipcparity/goipc")
	if err != nil {
		return nil, err
	}
	// The unexported names of the package, which go doc never shows; only
	// those with a capital letter in them (shmGetName), since lower-case
	// ones (poll, unlink) are also the C functions the comments name.
	hidden := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(fset.File(f.Pos()).Name(), "_test.go") {
			continue
		}
		for name := range f.Scope.Objects {
			if !ast.IsExported(name) && strings.ToLower(name) != name {
				hidden[name] = true
			}
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && !ast.IsExported(fd.Name.Name) && strings.ToLower(fd.Name.Name) != fd.Name.Name {
				hidden[fd.Name.Name] = true
			}
		}
	}
	var problems []string
	check := func(name, text string, examples []*doc.Example, primitive bool) {
		say := func(format string, args ...any) {
			problems = append(problems, name+": "+fmt.Sprintf(format, args...))
		}
		if strings.TrimSpace(text) == "" {
			say("no doc comment")
		}
		if m := seeBelow.FindString(text); m != "" {
			say("%q: the reader of go doc sees no code below or above", m)
		}
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' }) {
			if hidden[w] {
				say("%s, which go doc does not show", w)
			}
		}
		for _, m := range goFile.FindAllString(text, -1) {
			say("%s, which go doc does not show", m)
		}
		for _, w := range differences[name] {
			if !strings.Contains(text, w) {
				say("does not say %s", w)
			}
		}
		switch c, ok := cNames[name]; {
		case ok:
			if !strings.Contains(text, c) {
				say("names no %s", c)
			}
		case strings.HasSuffix(name, "Main"):
			prog := snake(strings.TrimSuffix(name, "Main"))
			mech, _, _ := strings.Cut(prog, "_")
			if !regexp.MustCompile(`\b`+prog+`\b`).MatchString(text) || !strings.Contains(text, "c_reference/"+mech+".c") {
				say("names no C program %s of c_reference/%s.c", prog, mech)
			}
		case primitive:
			fn := snake(strings.ReplaceAll(name, ".", ""))
			if !regexp.MustCompile(`\b` + fn + `\([23]\)`).MatchString(text) {
				say("names no %s(2) or %[1]s(3)", fn)
			}
		}
		if primitive && !strings.HasSuffix(name, "Main") && !slices.ContainsFunc(examples, func(e *doc.Example) bool { return e.Output != "" || e.EmptyOutput }) {
			say("no runnable example (an Example with an Output comment)")
		}
	}
	for _, f := range pkg.Funcs {
		check(f.Name, f.Doc, f.Examples, true)
	}
	for _, ty := range pkg.Types {
		check(ty.Name, ty.Doc, ty.Examples, false)
		for _, f := range ty.Funcs {
			check(f.Name, f.Doc, f.Examples, true)
		}
		for _, m := range ty.Methods {
			check(ty.Name+"."+m.Name, m.Doc, m.Examples, true)
		}
	}
	slices.Sort(problems)
	return slices.Compact(problems), nil
}

// snake turns a Go name into the C one: MqTimedreceive into
// mq_timedreceive, SemPost into sem_post, Pipe2 into pipe2.
func snake(name string) string {
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// TestSnake: the names that the check derives.
func TestSnake(t *testing.T) {
	for in, want := range map[string]string{"MqTimedreceive": "mq_timedreceive", "SemPost": "sem_post", "Pipe2": "pipe2", "FifoReader": "fifo_reader"} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}
