//go:build linux

package callscript

import (
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
	"github.com/ipcparity/ipcparity/report"
)

// A callFunc carries out one call on the side c.Side and returns its result
// as the C function would: the value, or the errno it failed with.
type callFunc func(c *Call) (int64, error)

// A Table is the calls of one mechanism that a script may use, each with
// its interpreter, and the constants they take.
type Table struct {
	calls   map[string]callFunc
	symbols map[string]int64
}

func newTable(fill func(t *Table)) Table {
	t := Table{calls: map[string]callFunc{}, symbols: map[string]int64{}}
	fill(&t)
	return t
}

// Calls returns the names of the table's calls, sorted.
func (t Table) Calls() []string {
	names := make([]string, 0, len(t.calls))
	for n := range t.calls {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// A Lang is what scripts may use: the calls and constants of several
// tables (package compare's list of mechanisms names one per mechanism).
type Lang struct{ Table }

// NewLang joins tables, and Common, which every mechanism shares; a call or
// constant defined twice with different values is an error.
func NewLang(tables ...Table) (*Lang, error) {
	l := &Lang{Table{calls: map[string]callFunc{}, symbols: map[string]int64{}}}
	for _, t := range append([]Table{Common}, tables...) {
		for n, f := range t.calls {
			if _, dup := l.calls[n]; dup {
				return nil, fmt.Errorf("call %s is defined twice", n)
			}
			l.calls[n] = f
		}
		for n, v := range t.symbols {
			if old, dup := l.symbols[n]; dup && old != v {
				return nil, fmt.Errorf("constant %s is defined twice, as %d and %d", n, old, v)
			}
			l.symbols[n] = v
		}
	}
	return l, nil
}

// straceNames are strace's names for the errnos that x/sys/unix names
// otherwise (95 is ENOTSUP there, 117 EFSCORRUPTED): transcripts name
// every errno as strace does, on both sides.
var straceNames = map[unix.Errno]string{
	unix.EOPNOTSUPP: "EOPNOTSUPP",
	unix.EUCLEAN:    "EUCLEAN",
}

// errnoAliases are the second names that glibc's headers give errnos
// (<bits/errno.h>, <asm-generic/errno.h>). A script may expect an errno by
// either name; the transcript shows strace's. The values are this
// architecture's (EDEADLOCK is an errno of its own on MIPS and SPARC).
var errnoAliases = map[string]unix.Errno{
	"EWOULDBLOCK": unix.EWOULDBLOCK,
	"EDEADLOCK":   unix.EDEADLOCK,
	"ENOTSUP":     unix.ENOTSUP,
}

// ErrnoName is the name strace gives e, as transcripts show it.
func ErrnoName(e unix.Errno) string {
	if n, ok := straceNames[e]; ok {
		return n
	}
	return report.ErrnoName(e)
}

// errnoNumbers maps every name a script may expect (strace's and glibc's
// aliases) to its errno.
var errnoNumbers = sync.OnceValue(func() map[string]unix.Errno {
	m := map[string]unix.Errno{}
	for e := unix.Errno(1); e < 4096; e++ {
		if n := unix.ErrnoName(e); n != "" {
			m[ErrnoName(e)] = e
		}
	}
	for n, e := range errnoAliases {
		m[n] = e
	}
	return m
})

// errnoByName is the errno named name (strace's name or one of glibc's
// aliases), or 0.
func errnoByName(name string) unix.Errno {
	return errnoNumbers()[name]
}

// Call is one call being carried out: its arguments, the variables of the
// script, and how the transcript shows each argument.
type Call struct {
	lang *Lang
	api  *sides.API
	Line *ScriptLine
	vars map[string]any
	run  string
	// shown is each argument as the transcript shows it.
	shown []string
	// Ret, when set by the call, replaces the number after = in the
	// transcript (for results that are addresses, say).
	Ret string
	// Bound is what a "= $var" binds when the call set it, instead of the
	// returned number (a mapping, a semaphore).
	Bound any
	// at is the argument last looked at, -1 before any: a script error
	// names its column.
	at int
	// st is the run, ind the indentation of the call's transcript line
	// (inside a loop): the calls of processes need them (proc.go).
	st  *execState
	ind string
}

// column is the column of the argument last looked at, or of the call.
func (c *Call) column() int {
	if c.at >= 0 && c.at < len(c.Line.Args) {
		return c.Line.Args[c.at].Col
	}
	return c.Line.Col
}

// NArgs is the number of arguments given.
func (c *Call) NArgs() int { return len(c.Line.Args) }

func (c *Call) arg(i int) (*Expr, error) {
	c.at = i
	if i >= len(c.Line.Args) {
		return nil, fmt.Errorf("%s takes at least %d arguments", c.Line.Call, i+1)
	}
	return c.Line.Args[i], nil
}

// Arity checks the number of arguments.
func (c *Call) Arity(n int) error {
	if len(c.Line.Args) != n {
		return fmt.Errorf("%s takes %d arguments, not %d", c.Line.Call, n, len(c.Line.Args))
	}
	return nil
}

// Int evaluates argument i as an integer: a number, constants joined by |,
// or a bound variable.
func (c *Call) Int(i int) (int64, error) {
	e, err := c.arg(i)
	if err != nil {
		return 0, err
	}
	return c.evalInt(e)
}

func (c *Call) evalInt(e *Expr) (int64, error) {
	switch e.Kind {
	case ExprInt:
		return e.Int, nil
	case ExprName:
		if e.Name == badPtrName {
			return 0, fmt.Errorf("%s is a pointer, not a number (mem.go)", e.Src)
		}
		return c.lang.symbols[e.Name], nil
	case ExprOr:
		var v int64
		for _, el := range e.Elems {
			x, err := c.evalInt(el)
			if err != nil {
				return 0, err
			}
			v |= x
		}
		return v, nil
	case ExprVar:
		v, ok := c.vars[e.Name]
		if !ok {
			return 0, unboundError(e.Name)
		}
		n, ok := v.(int64)
		if !ok {
			return 0, fmt.Errorf("$%s is not a number", e.Name)
		}
		return n, nil
	case ExprNull:
		return 0, nil
	}
	return 0, fmt.Errorf("%s: expected a number", e.Src)
}

// unboundError is the error of a call whose argument is a variable not
// bound: the script's error, unless an earlier line that should have bound
// the variable failed (then the call is skipped).
type unboundError string

func (e unboundError) Error() string { return "$" + string(e) + " is not bound" }

// Ints checks that the call has n arguments and evaluates each as an
// integer, as Int does.
func (c *Call) Ints(n int) ([]int, error) {
	if err := c.Arity(n); err != nil {
		return nil, err
	}
	v := make([]int, n)
	for i := range v {
		x, err := c.Int(i)
		if err != nil {
			return nil, err
		}
		v[i] = int(x)
	}
	return v, nil
}

// sided adds to the table a call of one mechanism, whose interpreter gets
// that mechanism's primitives (get) of the side the script runs on.
func sided[API any](t *Table, get func(*sides.API) API, name string, call func(c *Call, api API) (int64, error)) {
	t.calls[name] = func(c *Call) (int64, error) { return call(c, get(c.api)) }
}

// nameCall is a call of one argument, a name or path, that returns 0, or
// -1 and an errno: unlink, rmdir, mq_unlink, shm_unlink, sem_unlink. rawOp
// makes it with NULL or BADPTR (mem.go's rawName; glibcReads as there).
func nameCall(op func(api *sides.API, name string) error, rawOp func(api *sides.API, name unsafe.Pointer) error, glibcReads bool) callFunc {
	return func(c *Call) (int64, error) {
		if err := c.Arity(1); err != nil {
			return 0, err
		}
		if p, raw, err := rawName(c, 0, glibcReads); err != nil || raw {
			if err != nil {
				return 0, err
			}
			return status(rawOp(c.api, p))
		}
		name, err := c.String(0)
		if err != nil {
			return 0, err
		}
		return status(op(c.api, name))
	}
}

// status is the result of a call that returns 0, or -1 and an errno.
func status(err error) (int64, error) {
	if err != nil {
		return -1, err
	}
	return 0, nil
}

// count is the result of a call that returns a count or a descriptor: the
// number as the side returned it, also with an errno (C's -1; a side that
// returns another number on error shows it in the transcript).
func count(n int, err error) (int64, error) {
	return int64(n), err
}

// Bytes evaluates argument i as a string; $RUN inside it becomes the run's
// token.
func (c *Call) Bytes(i int) ([]byte, error) {
	e, err := c.arg(i)
	if err != nil {
		return nil, err
	}
	if e.Kind != ExprString {
		return nil, fmt.Errorf("%s: expected a string", e.Src)
	}
	s := strings.ReplaceAll(e.Str, "$RUN", c.run)
	if e.Rep > 0 && int64(len(s))*e.Rep > maxBuffer {
		// The parser checked the string as written; $RUN may be longer.
		return nil, fmt.Errorf("%s: repeated string of %d bytes: at most %d (16 MiB)", e.Src, int64(len(s))*e.Rep, maxBuffer)
	}
	if e.Rep > 0 {
		s = strings.Repeat(s, int(e.Rep))
	}
	return []byte(s), nil
}

// Counted evaluates argument i, a string, and argument i+1, the count of
// its bytes that the call takes (write's buffer and count), and returns
// those bytes. A count outside the string is the script's error.
func (c *Call) Counted(i int) ([]byte, error) {
	data, err := c.Bytes(i)
	if err != nil {
		return nil, err
	}
	n, err := c.Int(i + 1)
	if err != nil {
		return nil, err
	}
	if n < 0 || n > int64(len(data)) {
		return nil, fmt.Errorf("%s count %d is not within the %d bytes given", c.Line.Call, n, len(data))
	}
	return data[:n], nil
}

// maxBuffer bounds the buffers and repeated strings a script may ask for,
// in bytes (16 MiB).
const maxBuffer = 1 << 24

// Buffer evaluates argument i, the size of the buffer that a call fills
// (read's count), and returns a buffer of that size.
func (c *Call) Buffer(i int) ([]byte, error) {
	n, err := c.Int(i)
	if err != nil {
		return nil, err
	}
	if n < 0 || n > maxBuffer {
		return nil, fmt.Errorf("%s: buffer size %d out of range (0 to %d)", c.Line.Call, n, maxBuffer)
	}
	return make([]byte, n), nil
}

// String is Bytes as a string.
func (c *Call) String(i int) (string, error) {
	b, err := c.Bytes(i)
	return string(b), err
}

// IsNull reports whether argument i is NULL.
func (c *Call) IsNull(i int) bool {
	e, err := c.arg(i)
	return err == nil && e.Kind == ExprNull
}

// Handle returns the value bound to the variable in argument i (a mapping,
// a semaphore).
func (c *Call) Handle(i int) (any, error) {
	e, err := c.arg(i)
	if err != nil {
		return nil, err
	}
	if e.Kind != ExprVar {
		return nil, fmt.Errorf("%s: expected a variable", e.Src)
	}
	v, ok := c.vars[e.Name]
	if !ok {
		return nil, unboundError(e.Name)
	}
	return v, nil
}

// Fields evaluates argument i, a structure, into its integer fields; only
// the names in allowed may appear.
func (c *Call) Fields(i int, allowed ...string) (map[string]int64, error) {
	e, err := c.arg(i)
	if err != nil {
		return nil, err
	}
	if e.Kind != ExprStruct {
		return nil, fmt.Errorf("%s: expected a structure { }", e.Src)
	}
	out := map[string]int64{}
	for _, f := range e.Elems {
		if !slices.Contains(allowed, f.Field) {
			return nil, fmt.Errorf("%s has no field %s (fields: %s)", e.Src, f.Field, strings.Join(allowed, ", "))
		}
		v, err := c.evalInt(f)
		if err != nil {
			return nil, err
		}
		out[f.Field] = v
	}
	return out, nil
}

// OutVars returns the variable names of argument i, an array of variables
// that the call fills ([$r, $w]).
func (c *Call) OutVars(i, n int) ([]string, error) {
	e, err := c.arg(i)
	if err != nil {
		return nil, err
	}
	if e.Kind != ExprArray || len(e.Elems) != n {
		return nil, fmt.Errorf("%s: expected an array of %d variables", e.Src, n)
	}
	names := make([]string, n)
	for k, el := range e.Elems {
		if el.Kind != ExprVar {
			return nil, fmt.Errorf("%s: expected a variable", el.Src)
		}
		names[k] = el.Name
	}
	return names, nil
}

// Bind sets a variable.
func (c *Call) Bind(name string, v any) { c.vars[name] = v }

// Show replaces how argument i appears in the transcript (an output
// argument shows what the call wrote there).
func (c *Call) Show(i int, s string) { c.shown[i] = s }

// Quote renders bytes as strace does: a C string, cut after 32 bytes.
func Quote(b []byte) string {
	const max = 32
	var sb strings.Builder
	sb.WriteByte('"')
	for i, ch := range b {
		if i == max {
			sb.WriteString(`"...`)
			return sb.String()
		}
		switch {
		case ch == '"' || ch == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(ch)
		case ch == '\n':
			sb.WriteString(`\n`)
		case ch == '\t':
			sb.WriteString(`\t`)
		case ch >= 0x20 && ch < 0x7f:
			sb.WriteByte(ch)
		default:
			fmt.Fprintf(&sb, `\x%02x`, ch)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}

// render shows an argument with bound variables replaced by their values.
func (c *Call) render(e *Expr) string {
	switch e.Kind {
	case ExprVar:
		if v, ok := c.vars[e.Name]; ok {
			if n, ok := v.(int64); ok {
				return strconv.FormatInt(n, 10)
			}
		}
		return e.Src
	case ExprArray:
		parts := make([]string, len(e.Elems))
		for i, el := range e.Elems {
			parts[i] = c.render(el)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case ExprStruct:
		parts := make([]string, len(e.Elems))
		for i, el := range e.Elems {
			parts[i] = el.Field + "=" + c.render(el)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return e.Src
}

// Outcome is what Exec found besides the transcript.
type Outcome struct {
	// Mismatches are the lines whose result was not the one the script
	// expects: "file:N: TEXT: expected ..., got ...".
	Mismatches []string
	// Skipped are the lines not run because a variable they use was not
	// bound, since the line that should have bound it failed or was
	// skipped: "file:N: TEXT: skipped ($q not bound: line 7 failed)".
	Skipped []string
	// Calls counts the calls made (the lines not skipped).
	Calls int
}

// Exec runs a script on one side and writes its transcript to w, a line
// for each line of the script. A line that uses a variable which an
// earlier line failed to bind is not run: its transcript line says
// "= skipped ($q not bound: line 7 failed)", and the rest of the script
// runs. Exec returns the mismatches and skipped lines, and an error if the
// script itself is wrong (a variable never bound, a bad argument), naming
// the file, line and column. Blocks run as blocks.go and proc.go say; the
// children a script forks and did not wait for are waited for at its end.
func (l *Lang) Exec(s *Script, api sides.API, run string, w io.Writer) (out Outcome, err error) {
	st := l.newExec(s, api, run, w)
	err = st.lines(s.Lines, "")
	if err == nil {
		err = st.reapAll()
	}
	st.notified(nil, "")
	return st.out, err
}

// execState is a script being run on one side.
type execState struct {
	lang *Lang
	s    *Script
	api  sides.API
	run  string
	w    io.Writer
	vars map[string]any
	// unbound says why a variable that a line should have bound is not.
	unbound map[string]string
	out     Outcome
	// children are the forked children not yet waited for, by pid.
	children map[int]*child
	// exit is set once exit(N) ran (in a child): the lines stop.
	exit *int
	// order is the pids of children, in the order of their forks.
	order []int
	// inherited is set in a forked child, whose variables came from
	// its parent.
	inherited bool
	// sigs is the signal actions the script set (signal.go).
	sigs sigTable
	// notifyThreads is set once a SIGEV_THREAD mq_notify ran (mq.go).
	notifyThreads bool
}

func (l *Lang) newExec(s *Script, api sides.API, run string, w io.Writer) *execState {
	return &execState{lang: l, s: s, api: api, run: run, w: w, vars: map[string]any{},
		unbound: map[string]string{}, children: map[int]*child{}, sigs: sigTable{}}
}

// lines runs lines, their transcript lines indented by ind.
func (st *execState) lines(lines []ScriptLine, ind string) error {
	for i := range lines {
		if st.exit != nil {
			return nil
		}
		line := &lines[i]
		var err error
		if line.Loop != nil {
			err = st.loop(line, ind)
		} else {
			_, err = st.line(line, ind, "")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// line makes one line's call and writes its transcript line(s). It
// returns the call's errno, if it failed; a failure with the errno until
// ends its loop on is no mismatch.
func (st *execState) line(line *ScriptLine, ind, until string) (unix.Errno, error) {
	s, vars, unbound, w := st.s, st.vars, st.unbound, st.w
	c := &Call{lang: st.lang, api: &st.api, st: st, ind: ind, Line: line, vars: vars, run: st.run, shown: make([]string, len(line.Args)), at: -1}
	// A call evaluates its arguments before it makes the call: one
	// that is a variable an earlier line failed to bind skips it.
	ret, callErr := st.lang.calls[line.Call](c)
	if name, ok := callErr.(unboundError); ok && unbound[string(name)] != "" {
		why := fmt.Sprintf("$%s not bound: %s", string(name), unbound[string(name)])
		fmt.Fprintf(w, "%s%s(%s) = skipped (%s)\n", ind, line.Call, c.renderArgs(), why)
		st.out.Skipped = append(st.out.Skipped, fmt.Sprintf("%s:%d: %s: skipped (%s)", s.File, line.N, line.Text, why))
		c.markUnbound(unbound, fmt.Sprintf("line %d was skipped", line.N))
		return 0, nil
	}
	st.out.Calls++
	if callErr != nil {
		if _, isErrno := callErr.(unix.Errno); !isErrno {
			if ce, ok := callErr.(childError); ok {
				return 0, ce
			}
			if _, ok := callErr.(unboundError); ok && st.inherited {
				callErr = fmt.Errorf("%v in the child (a child gets its parent's numbers, not its mappings, semaphores or processes)", callErr)
			}
			return 0, fmt.Errorf("%s:%d:%d: %v", s.File, line.N, c.column(), callErr)
		}
	}
	result := strconv.FormatInt(ret, 10)
	if c.Ret != "" {
		result = c.Ret
	}
	var errno unix.Errno
	if callErr != nil {
		errno = callErr.(unix.Errno)
		// The number is the side's own (C's -1): a port that returns
		// another on error differs.
		result = fmt.Sprintf("%d %s (%s)", ret, ErrnoName(errno), st.api.Errors.Strerror(errno))
	}
	fmt.Fprintf(w, "%s%s(%s) = %s\n", ind, line.Call, c.renderArgs(), result)
	if x := line.Expect; x != nil && !(until != "" && errno == errnoByName(until)) {
		var problem string
		switch {
		case x.Bind != "" && callErr != nil:
			problem = "expected success, got " + result
		case x.Bind != "":
			if c.Bound != nil {
				vars[x.Bind] = c.Bound
			} else {
				vars[x.Bind] = ret
			}
		case x.Errno != "" && (callErr == nil || errno != errnoByName(x.Errno) || ret != -1):
			problem = "expected -1 " + x.Errno + ", got " + result
		case x.Value != nil && (callErr != nil || ret != *x.Value):
			problem = fmt.Sprintf("expected %d, got %s", *x.Value, result)
		}
		if problem != "" {
			st.out.Mismatches = append(st.out.Mismatches, fmt.Sprintf("%s:%d: %s: %s", s.File, line.N, line.Text, problem))
		}
	}
	// A failure that ends an until loop leaves the variables as the last
	// round bound them.
	if callErr != nil && !(until != "" && errno == errnoByName(until)) {
		c.markUnbound(unbound, fmt.Sprintf("line %d failed", line.N))
	}
	st.caught(ind)         // signal.go
	st.notified(line, ind) // mq.go
	return errno, nil
}

// loop runs a repeat or until line: its head, each round's lines
// indented, and "} = N rounds".
func (st *execState) loop(line *ScriptLine, ind string) error {
	fmt.Fprintf(st.w, "%s%s {\n", ind, line.Text)
	rounds, found := int64(0), false
	for rounds < line.Loop.Rounds && !found && st.exit == nil {
		rounds++
		for i := range line.Block {
			b := &line.Block[i]
			var errno unix.Errno
			var err error
			if b.Loop != nil {
				err = st.loop(b, ind+"  ")
			} else {
				errno, err = st.line(b, ind+"  ", line.Loop.Until)
			}
			if err != nil {
				return err
			}
			if line.Loop.Until != "" && errno != 0 && errno == errnoByName(line.Loop.Until) {
				found = true
				break
			}
			if st.exit != nil {
				return nil
			}
		}
	}
	fmt.Fprintf(st.w, "%s} = %d rounds\n", ind, rounds)
	if line.Loop.Until != "" && !found {
		st.out.Mismatches = append(st.out.Mismatches, fmt.Sprintf("%s:%d: %s: no %s in %d rounds", st.s.File, line.N, line.Text, line.Loop.Until, rounds))
	}
	return nil
}

// markUnbound records, for each variable the call's line names that is
// not bound after it (the array pipe fills, the $var after =), why: the
// line failed or was skipped. A variable the line should have bound anew
// (= $q) loses its old value.
func (c *Call) markUnbound(unbound map[string]string, why string) {
	if x := c.Line.Expect; x != nil && x.Bind != "" {
		delete(c.vars, x.Bind)
		unbound[x.Bind] = why
	}
	walkVars(c.Line.Args, func(name string) {
		if _, ok := c.vars[name]; !ok && unbound[name] == "" {
			unbound[name] = why
		}
	})
}

// walkVars calls f with the name of each variable in es, nested ones too.
func walkVars(es []*Expr, f func(name string)) {
	for _, e := range es {
		if e.Kind == ExprVar {
			f(e.Name)
		}
		walkVars(e.Elems, f)
	}
}

// renderArgs is the call's arguments as the transcript shows them.
func (c *Call) renderArgs() string {
	parts := make([]string, len(c.Line.Args))
	for k, a := range c.Line.Args {
		if c.shown[k] != "" {
			parts[k] = c.shown[k]
		} else {
			parts[k] = c.render(a)
		}
	}
	return strings.Join(parts, ", ")
}

// ScriptErrorPrefix starts the line on stderr with which Main says that
// the script is wrong (it does not parse, a variable was never bound, an
// argument is not what the call takes), and exits 2: what follows is
// "file:line:column: what".
const ScriptErrorPrefix = "script error: "

// Main interprets the call script named by its one command-line argument
// (with --stdin, the text comes on stdin and the argument only names it)
// on one side (cipc's or goipc's API), prints its transcript on stdout and
// exits: 0 when every call gave the result the script expects, 1 when one
// did not or calls were skipped (each named on stderr), 2 when the script
// is wrong (said on stderr after ScriptErrorPrefix). The commands
// ipccalls of cipc and goipc are this function. IPC_NAME, when set, is the
// token that replaces $RUN in names.
func Main(api sides.API, l *Lang) {
	noteStartFds() // proc.go
	if js, ok := os.LookupEnv(childEnv); ok {
		runChild(api, l, js) // proc.go: a forked child
	}
	args := os.Args[1:]
	stdin := len(args) == 2 && args[0] == "--stdin"
	if len(args) != 1 && !stdin {
		fmt.Fprintln(os.Stderr, "usage: ipccalls [--stdin] FILE")
		os.Exit(2)
	}
	file := args[len(args)-1]
	var s *Script
	var err error
	if stdin {
		// The runner sends the text: the file may be where a sandboxed
		// run cannot see it (the host's /tmp). FILE names it.
		var text []byte
		if text, err = readStdin(); err == nil {
			s, err = l.Parse(file, string(text))
		}
	} else {
		s, err = l.ParseFile(file)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, ScriptErrorPrefix+err.Error())
		os.Exit(2)
	}
	run := strings.TrimPrefix(os.Getenv("IPC_NAME"), "/")
	out, err := l.Exec(s, api, run, os.Stdout)
	for _, m := range out.Mismatches {
		fmt.Fprintln(os.Stderr, m)
	}
	if n := len(out.Skipped); n > 0 {
		fmt.Fprintf(os.Stderr, "%d of %d calls skipped, their variables not bound; the first: %s\n", n, len(s.Lines), out.Skipped[0])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, ScriptErrorPrefix+err.Error())
		os.Exit(2)
	}
	if len(out.Mismatches) > 0 || len(out.Skipped) > 0 {
		os.Exit(1)
	}
	os.Exit(0)
}

// readStdin reads descriptor 0 to its end with plain read(2) calls: the
// scripts' descriptor numbers are compared, and os.Stdin may bring the Go
// runtime's poller (and its descriptors) to life on one side and not the
// other.
func readStdin() ([]byte, error) {
	var text []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := unix.Read(0, buf)
		if n > 0 {
			text = append(text, buf[:n]...)
		}
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return nil, err
		case n == 0:
			return text, nil
		}
	}
}
