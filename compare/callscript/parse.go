//go:build linux

package callscript

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// A call script is a list of libc calls in strace-like notation, one a line:
//
//	# a comment
//	pipe([$r, $w]) = 0
//	write($r, "x", 1) = -1 EBADF
//	fcntl($w, F_GETPIPE_SZ) = $size
//	write($w, "x"*65536, 65536)
//
// Arguments are integers (42, -1, 0x10, 0600, and +20 or +-20, whose + a
// call may give a meaning: a relative deadline), names of constants joined
// with | (O_CREAT|O_RDWR), strings with C escapes ("a\n\xff"), a string
// repeated ("x"*65536), variables ($q), arrays ([$r, $w]), structures
// ({mq_maxmsg=1, mq_msgsize=16}), NULL, and a lower-case name (buf)
// where the call writes out a result, which the transcript then shows. Inside a string, $RUN stands
// for a token unique to the run, so that object names never collide:
// "/q$RUN".
//
// What follows = is optional: a variable binds the call's result (the call
// must succeed), a number is the result the call must return, and -1 with
// an errno name (= -1 EAGAIN) is the failure it must give. A variable that
// is not yet bound, in the place where a call returns a value through an
// argument (the array of pipe), is bound to that value.

// Script is a parsed call script.
type Script struct {
	File  string
	Text  string // the script as written, which a forked child parses again
	Lines []ScriptLine
	// Sysctls are the IPC namespace's sysctls the script's run sets
	// first, from its "#sysctl NAME=VALUE" lines (NAME below /proc/sys:
	// fs/mqueue/msg_max). The run's own IPC namespace holds them, so the
	// host's limits stay as they are and no privilege is needed.
	Sysctls map[string]string
	// Needs are what the script's run must have, from its "#needs WHAT"
	// lines: NeedSecondUID. A runner that cannot have it does not run the
	// script, and says so.
	Needs []string
}

// sysctlPrefix starts a line that sets a sysctl for the script's run.
const sysctlPrefix = "#sysctl "

// needsPrefix starts a line that names what the script's run must have.
const needsPrefix = "#needs "

// NeedSecondUID is the need of a script that changes its user (seteuid
// to 65534): a runner that is not root has that one user alone.
const NeedSecondUID = "second-uid"

// ScriptLine is one call of a script.
type ScriptLine struct {
	N    int // line number, from 1
	Col  int // column of the call's name, from 1
	Text string
	Call string
	Args []*Expr
	// Expect is what follows =: nil for nothing.
	Expect *Expect
	// Block is the lines of the block the line opens (blocks.go): a
	// fork's child, a loop's body.
	Block []ScriptLine
	// Loop is set on a repeat or until line, whose Call is "repeat" or
	// "until" and which has no arguments.
	Loop *Loop
}

// Expect is what a line says its call returns.
type Expect struct {
	Bind  string // a variable to bind, without $
	Value *int64 // the value the call must return
	Errno string // the errno the call must fail with
}

// ExprKind tells what an Expr is.
type ExprKind int

// Kinds of expressions.
const (
	ExprInt ExprKind = iota
	ExprName
	ExprString
	ExprVar
	ExprArray
	ExprStruct
	ExprNull
	ExprOr
	// ExprOut is a lower-case name standing where the call writes (buf).
	ExprOut
)

// Expr is one argument, or a part of one.
type Expr struct {
	Kind  ExprKind
	Int   int64
	Name  string // constant name, variable name (without $), field name
	Str   string
	Rep   int64   // for ExprString: the string is repeated Rep times (0: once)
	Elems []*Expr // ExprArray and ExprOr elements, ExprStruct fields
	// Field is set on the elements of a structure.
	Field string
	// Src is the argument as written.
	Src string
	// Col is the column where it starts, from 1.
	Col int
}

// ParseFile reads and parses a call script.
func (l *Lang) ParseFile(path string) (*Script, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return l.Parse(path, string(data))
}

// Parse parses the text of a call script. Errors name the file, line and
// column: "pipe.calls:3:17: ...".
func (l *Lang) Parse(file, text string) (*Script, error) {
	s := &Script{File: file, Text: text}
	// open holds the lines whose block is being read, innermost last.
	var open []*ScriptLine
	add := func(line ScriptLine) {
		if len(open) == 0 {
			s.Lines = append(s.Lines, line)
		} else {
			b := open[len(open)-1]
			b.Block = append(b.Block, line)
		}
	}
	for i, raw := range strings.Split(text, "\n") {
		col := len(raw) - len(strings.TrimLeft(raw, " \t")) + 1
		if rest, ok := strings.CutPrefix(strings.TrimSpace(raw), sysctlPrefix); ok {
			name, value, ok := strings.Cut(strings.TrimSpace(rest), "=")
			name, value = strings.TrimSpace(name), strings.TrimSpace(value)
			if !ok || name == "" || value == "" || strings.Contains(name, "..") {
				return nil, fmt.Errorf("%s:%d:%d: expected %sNAME=VALUE (fs/mqueue/msg_max=64)", file, i+1, col, sysctlPrefix)
			}
			if len(open) > 0 {
				return nil, fmt.Errorf("%s:%d:%d: %s inside a block: it is for the whole run", file, i+1, col, strings.TrimSpace(sysctlPrefix))
			}
			if s.Sysctls == nil {
				s.Sysctls = map[string]string{}
			}
			s.Sysctls[name] = value
			continue
		}
		if rest, ok := strings.CutPrefix(strings.TrimSpace(raw), needsPrefix); ok {
			if need := strings.TrimSpace(rest); need != NeedSecondUID {
				col := len(raw) - len(strings.TrimLeft(raw, " \t")) + 1
				return nil, fmt.Errorf("%s:%d:%d: %s%q: the only need is %s", file, i+1, col, needsPrefix, need, NeedSecondUID)
			}
			s.Needs = append(s.Needs, NeedSecondUID)
			continue
		}
		p := &parser{lang: l, src: raw}
		if p.peek() == '}' {
			p.pos++
			if p.peek() != 0 {
				return nil, fmt.Errorf("%s:%d:%v", file, i+1, p.errorf("unexpected %q after }", p.src[p.pos:]))
			}
			if len(open) == 0 {
				return nil, fmt.Errorf("%s:%d:%d: } closes no block", file, i+1, col)
			}
			b := open[len(open)-1]
			open = open[:len(open)-1]
			if len(b.Block) == 0 {
				return nil, fmt.Errorf("%s:%d:%d: the block of line %d is empty", file, i+1, col, b.N)
			}
			add(*b)
			continue
		}
		line, opens, err := p.line()
		if err != nil {
			return nil, fmt.Errorf("%s:%d:%v", file, i+1, err)
		}
		if line == nil {
			continue
		}
		inFork := slices.ContainsFunc(open, func(b *ScriptLine) bool { return b.Call == "fork" })
		if err := l.check(file, i+1, line, opens, inFork); err != nil {
			return nil, err
		}
		if opens && line.Block == nil {
			open = append(open, line)
			continue
		}
		add(*line)
	}
	if len(open) > 0 {
		b := open[len(open)-1]
		return nil, fmt.Errorf("%s:%d:%d: the block that line %d opens is not closed with }", file, b.N, b.Col, b.N)
	}
	if len(s.Lines) == 0 {
		return nil, fmt.Errorf("%s: no calls", file)
	}
	return s, nil
}

// check completes a parsed line (numbers it and, on a one-line block,
// its inner line) and checks its call names and blocks. opens says
// whether the line opens a block, inFork whether it is inside a fork's.
func (l *Lang) check(file string, n int, line *ScriptLine, opens, inFork bool) error {
	line.N = n
	if line.Loop == nil {
		if _, ok := l.calls[line.Call]; !ok {
			return fmt.Errorf("%s:%d:%d: unknown call %q (known: %s)", file, n, line.Col, line.Call, strings.Join(l.Calls(), ", "))
		}
	}
	switch {
	case blockCalls[line.Call] && !opens:
		return fmt.Errorf("%s:%d:%d: %s needs a block: %s { ... }", file, n, line.Col, line.Call, line.Text)
	case opens && !blockCalls[line.Call] && line.Loop == nil:
		return fmt.Errorf("%s:%d:%d: %s takes no block", file, n, line.Col, line.Call)
	case line.Call == "exit" && !inFork:
		return fmt.Errorf("%s:%d:%d: exit ends a child: it belongs in a fork's block", file, n, line.Col)
	}
	for k := range line.Block { // a one-line block: { CALL }
		b := &line.Block[k]
		if err := l.check(file, n, b, b.Block != nil, inFork || line.Call == "fork"); err != nil {
			return err
		}
	}
	return nil
}

type parser struct {
	lang *Lang
	src  string
	pos  int
	end  int // where the code ends and a comment begins
}

func (p *parser) skip() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t' || p.src[p.pos] == '\r') {
		p.pos++
	}
}

func (p *parser) peek() byte {
	p.skip()
	if p.pos >= len(p.src) || p.src[p.pos] == '#' {
		return 0
	}
	return p.src[p.pos]
}

func (p *parser) errorf(format string, args ...any) error {
	// Parse puts "file:line:" before it.
	return fmt.Errorf("%d: "+format, append([]any{p.pos + 1}, args...)...)
}

func (p *parser) expect(c byte) error {
	if p.peek() != c {
		if p.peek() == 0 {
			return p.errorf("expected %q, found the end of the line", c)
		}
		return p.errorf("expected %q, found %q", c, p.src[p.pos])
	}
	p.pos++
	return nil
}

// line parses a line: a call, or the head of a block (a call that takes
// one, repeat, until) followed by {, and then either the end of the line
// or one call and }. It says whether the line opens a block; for a block
// on one line, Block holds its call.
func (p *parser) line() (l *ScriptLine, opens bool, err error) {
	if p.peek() == 0 {
		return nil, false, nil
	}
	if l, err = p.loop(); err == nil && l == nil {
		l, err = p.call()
	}
	if err != nil {
		return nil, false, err
	}
	l.Text = strings.TrimSpace(p.src[:p.end])
	if p.peek() == '{' {
		p.pos++
		opens = true
		if p.peek() != 0 {
			inner, err := p.inner()
			if err != nil {
				return nil, false, err
			}
			l.Block = []ScriptLine{*inner}
		}
	}
	if p.peek() != 0 {
		return nil, false, p.errorf("unexpected %q after the call", p.src[p.pos:])
	}
	if l.Loop != nil && !opens {
		return nil, false, p.errorf("%s needs a block: %s { ... }", l.Call, l.Text)
	}
	return l, opens, nil
}

// inner parses the one line of a block on one line, up to its }: a call,
// or a loop (or fork) with its own one-line block.
func (p *parser) inner() (*ScriptLine, error) {
	l, err := p.loop()
	if err == nil && l == nil {
		l, err = p.call()
	}
	if err != nil {
		return nil, err
	}
	l.Text = strings.TrimSpace(p.src[l.Col-1 : p.end])
	if p.peek() == '{' {
		p.pos++
		b, err := p.inner()
		if err != nil {
			return nil, err
		}
		l.Block = []ScriptLine{*b}
	} else if l.Loop != nil || blockCalls[l.Call] {
		return nil, p.errorf("%s needs a block: %s { ... }", l.Call, l.Text)
	}
	if err := p.expect('}'); err != nil {
		return nil, err
	}
	return l, nil
}

// call parses a call and what follows its =.
func (p *parser) call() (*ScriptLine, error) {
	p.skip()
	col := p.pos + 1
	name := p.ident()
	if name == "" {
		return nil, p.errorf("expected a call, found %q", p.src[p.pos])
	}
	l := &ScriptLine{Call: name, Col: col}
	if err := p.expect('('); err != nil {
		return nil, err
	}
	if p.peek() != ')' {
		for {
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			l.Args = append(l.Args, e)
			if p.peek() == ',' {
				p.pos++
				continue
			}
			break
		}
	}
	if err := p.expect(')'); err != nil {
		return nil, err
	}
	p.end = p.pos
	if p.peek() == '=' {
		p.pos++
		ex, err := p.expectation()
		if err != nil {
			return nil, err
		}
		l.Expect = ex
		p.end = p.pos
	}
	return l, nil
}

func (p *parser) expectation() (*Expect, error) {
	switch c := p.peek(); {
	case c == '$':
		p.pos++
		name := p.ident()
		if name == "" {
			return nil, p.errorf("expected a variable name after $")
		}
		return &Expect{Bind: name}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		v, err := p.number()
		if err != nil {
			return nil, err
		}
		if v == -1 && p.peek() != 0 {
			name := p.ident()
			if !strings.HasPrefix(name, "E") || errnoByName(name) == 0 {
				return nil, p.errorf("expected an errno name (EAGAIN) after -1, found %q", name)
			}
			return &Expect{Errno: name}, nil
		}
		return &Expect{Value: &v}, nil
	case c == 0:
		return nil, p.errorf("expected a result after =")
	default:
		return nil, p.errorf("expected $variable, a number or -1 ERRNO after =, found %q", p.src[p.pos:])
	}
}

func (p *parser) ident() string {
	p.skip()
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || p.pos > start && c >= '0' && c <= '9' {
			p.pos++
			continue
		}
		break
	}
	return p.src[start:p.pos]
}

func (p *parser) number() (int64, error) {
	p.skip()
	start := p.pos
	if p.pos < len(p.src) && p.src[p.pos] == '+' {
		p.pos++
	}
	// +-N: a relative value below zero (a deadline in the past).
	if p.pos < len(p.src) && p.src[p.pos] == '-' {
		p.pos++
	}
	for p.pos < len(p.src) && (p.src[p.pos] == 'x' || p.src[p.pos] == 'X' || strings.IndexByte("0123456789abcdefABCDEF", p.src[p.pos]) >= 0) {
		p.pos++
	}
	v, err := strconv.ParseInt(strings.TrimPrefix(p.src[start:p.pos], "+"), 0, 64)
	if err != nil {
		return 0, p.errorf("bad number %q", p.src[start:p.pos])
	}
	return v, nil
}

// expr parses term { "|" term }.
func (p *parser) expr() (*Expr, error) {
	start := p.pos
	first, err := p.term()
	if err != nil {
		return nil, err
	}
	if p.peek() != '|' {
		return first, nil
	}
	or := &Expr{Kind: ExprOr, Elems: []*Expr{first}, Col: first.Col}
	for p.peek() == '|' {
		p.pos++
		t, err := p.term()
		if err != nil {
			return nil, err
		}
		if t.Kind != ExprName && t.Kind != ExprInt {
			return nil, p.errorf("only constants and numbers combine with |")
		}
		or.Elems = append(or.Elems, t)
	}
	or.Src = strings.TrimSpace(p.src[start:p.pos])
	return or, nil
}

func (p *parser) term() (*Expr, error) {
	c := p.peek()
	start := p.pos
	var e *Expr
	switch {
	case c == 0:
		return nil, p.errorf("expected an argument, found the end of the line")
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		e = &Expr{Kind: ExprString, Str: s}
		if p.peek() == '*' {
			p.pos++
			n, err := p.number()
			if err != nil {
				return nil, err
			}
			if n < 0 || n > maxBuffer {
				return nil, p.errorf("repeat count %d out of range (0 to %d)", n, maxBuffer)
			}
			if size := n * int64(len(s)); size > maxBuffer {
				p.pos = start
				return nil, p.errorf("repeated string of %d bytes (%d × %d): at most %d (16 MiB)", size, len(s), n, maxBuffer)
			}
			e.Rep = n
			if n == 0 {
				e.Str = ""
			}
		}
	case c == '$':
		p.pos++
		name := p.ident()
		if name == "" {
			return nil, p.errorf("expected a variable name after $")
		}
		e = &Expr{Kind: ExprVar, Name: name}
	case c == '[':
		p.pos++
		e = &Expr{Kind: ExprArray}
		for p.peek() != ']' {
			el, err := p.expr()
			if err != nil {
				return nil, err
			}
			e.Elems = append(e.Elems, el)
			if p.peek() != ',' {
				break
			}
			p.pos++
		}
		if err := p.expect(']'); err != nil {
			return nil, err
		}
	case c == '{':
		p.pos++
		e = &Expr{Kind: ExprStruct}
		for p.peek() != '}' {
			field := p.ident()
			if field == "" {
				return nil, p.errorf("expected a field name in { }")
			}
			if err := p.expect('='); err != nil {
				return nil, err
			}
			v, err := p.expr()
			if err != nil {
				return nil, err
			}
			v.Field = field
			e.Elems = append(e.Elems, v)
			if p.peek() != ',' {
				break
			}
			p.pos++
		}
		if err := p.expect('}'); err != nil {
			return nil, err
		}
	case c == '-' || c == '+' || c >= '0' && c <= '9':
		v, err := p.number()
		if err != nil {
			return nil, err
		}
		e = &Expr{Kind: ExprInt, Int: v}
	default:
		name := p.ident()
		if name == "" {
			return nil, p.errorf("unexpected %q", c)
		}
		if name == "NULL" {
			e = &Expr{Kind: ExprNull}
			break
		}
		if name[0] >= 'a' && name[0] <= 'z' {
			// buf: where the call writes; the transcript shows what it wrote.
			e = &Expr{Kind: ExprOut, Name: name}
			break
		}
		if _, ok := p.lang.symbols[name]; !ok {
			p.pos = start // the column where the name starts
			return nil, p.errorf("unknown constant %s", name)
		}
		e = &Expr{Kind: ExprName, Name: name}
	}
	e.Src = strings.TrimSpace(p.src[start:p.pos])
	e.Col = start + 1
	return e, nil
}

// str parses a double-quoted string with C escapes.
func (p *parser) str() (string, error) {
	p.pos++ // the opening quote
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch c {
		case '"':
			p.pos++
			return b.String(), nil
		case '\\':
			p.pos++
			if p.pos >= len(p.src) {
				return "", p.errorf("unfinished escape")
			}
			e := p.src[p.pos]
			p.pos++
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '\\', '"', '\'':
				b.WriteByte(e)
			case 'x':
				if p.pos+2 > len(p.src) {
					return "", p.errorf("\\x needs two hex digits")
				}
				v, err := strconv.ParseUint(p.src[p.pos:p.pos+2], 16, 8)
				if err != nil {
					return "", p.errorf("\\x needs two hex digits")
				}
				b.WriteByte(byte(v))
				p.pos += 2
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v := int(e - '0')
				for k := 0; k < 2 && p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '7'; k++ {
					v = v*8 + int(p.src[p.pos]-'0')
					p.pos++
				}
				if v > 255 {
					return "", p.errorf("octal escape over \\377")
				}
				b.WriteByte(byte(v))
			default:
				return "", p.errorf("unknown escape \\%c", e)
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.errorf("unterminated string")
}
