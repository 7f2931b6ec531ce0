//go:build linux

package callscript

import "strings"

// Blocks: a line may open a block with {, closed by a line } of its own,
// or hold one call on the same line, { CALL }:
//
//	fork() = $c {             # the block is the child's
//	    write($w, "x", 1) = 1
//	    exit(3)
//	}
//	waitpid($c, status, 0) = $c
//	repeat 3 { write($w, "x", 1) = 1 }
//	until EMFILE max 64 { open("f", O_RDONLY) }
//
// repeat N runs its block N times; until ERRNO max N runs it until a call
// in it fails with ERRNO (the rest of that round is not run) and at most N
// times, and not seeing ERRNO in N rounds is a mismatch. N is 1 to
// maxRounds. The transcript shows the head, each round's lines indented by
// two spaces, and "} = N rounds".

// Loop is a repeat or until line.
type Loop struct {
	Until  string // the errno that ends an until loop; "" for repeat
	Rounds int64  // repeat's count, until's bound
}

// maxRounds bounds every loop, so that a script always ends.
const maxRounds = 100000

// blockCalls are the calls that take a block (and need one).
var blockCalls = map[string]bool{"fork": true}

// loop parses the head of a loop, "repeat N" or "until ERRNO max N", or
// returns nil (and leaves the position) for a line that is not one.
func (p *parser) loop() (*ScriptLine, error) {
	start := p.pos
	p.skip()
	col := p.pos + 1
	kw := p.ident()
	if kw != "repeat" && kw != "until" || p.peek() == '(' {
		p.pos = start
		return nil, nil
	}
	l := &ScriptLine{Call: kw, Col: col, Loop: &Loop{}}
	if kw == "until" {
		name := p.ident()
		if !strings.HasPrefix(name, "E") || errnoByName(name) == 0 {
			return nil, p.errorf("expected an errno name after until (until EMFILE max 64), found %q", name)
		}
		l.Loop.Until = name
		if p.ident() != "max" {
			return nil, p.errorf("expected max N after until %s: every loop has a bound", name)
		}
	}
	p.skip()
	n, err := p.number()
	if err != nil {
		return nil, err
	}
	if n < 1 || n > maxRounds {
		return nil, p.errorf("%s count %d out of range (1 to %d)", kw, n, maxRounds)
	}
	l.Loop.Rounds = n
	p.end = p.pos
	return l, nil
}
