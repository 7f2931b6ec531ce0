// Package explain shows a program's C and its two Go forms (the literal
// goipc translation and the idiomatic goidiom one) side by side, aligned
// step by step, for `ipcparity explain PROGRAM`.
//
// The alignment comes from step markers in the sources themselves. A
// comment "steps: PROGRAM" starts the part of a file that holds PROGRAM's
// steps; in it, a comment "step N: ID" marks the line it ends (or, alone on
// its line, the next line of code) as step ID, the Nth of the program.
// After the ID, "known:KD" names a known difference (judge.KnownDifferences)
// that the step shows, and "none: WHY" says that the form has no such step.
// Every form of a program has the same steps with the same numbers: Check
// says where not.
//
// Linux only.
package explain
