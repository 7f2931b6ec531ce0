// Package htmlreport writes the results of a check as one self-contained
// HTML page, for `ipcparity report --html FILE`: a matrix of programs by
// forms, each program's C and Go forms side by side step by step (from
// package explain) with the steps that show a known difference marked and
// linked to it, every scenario's outcomes by form in columns with what
// differs from C highlighted in place, the call scripts' transcripts of
// cipc and goipc side by side, and the known differences with their
// reasons. The page has its CSS inline, loads nothing, and needs no script.
//
// Linux only.
package htmlreport
