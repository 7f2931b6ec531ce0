// Package callscript parses call scripts (testdata/calls/*.calls: libc
// calls in strace-like notation, each with the result it must give; the
// notation is in testdata/calls/README.md) and interprets them on one side,
// cipc or goipc, printing a transcript. Each mechanism's calls are a Table
// (Pipe, FIFO, Mq, Shm, Sock); package compare's list of mechanisms joins
// them into a Lang. The commands ipccalls of cipc and goipc call Main, so
// that each side runs in a process of its own, goipc's without cgo.
//
// Linux only.
package callscript
