// Package sides declares, once, the call API that cipc (glibc through cgo)
// and goipc (pure Go) both implement: one struct of function fields per
// mechanism (Pipe, FIFO, Mq, Shm, Sem, Sock, Errors) and API, which holds
// one of each and the side's Name. Package goside fills an API from goipc,
// package cside from cipc; package sidestest holds the unit tests that
// both sides share, written once against an API.
//
// Linux only: every other file of the package is built for Linux alone.
//
// # Types that differ per side
//
// Each side keeps its own MqAttr, Sigevent and Sem. This package declares
// its own MqAttr and Sigevent with the same fields, and Semaphore, the
// methods both *Sem types have. A side's filler writes no adapters: it
// hands its functions, unchanged, to MqOf and SemOf, small generic
// structs whose type parameters are the side's own types
// (MqOf[goipc.MqAttr, goipc.Sigevent], SemOf[*goipc.Sem]). Their
// constraints name the fields exactly (~mqAttrFields, the struct type
// that MqAttr is defined as), so a field that differs between a side and
// this package does not compile (goipc.MqAttr does not satisfy
// sides.mqAttr), and since the side's functions are assigned to typed
// fields as they are (Open: goipc.MqOpen), neither does a signature that
// differs. Adapt converts values with plain Go conversions (MqAttr(a)),
// which compile only because the fields are identical. Mq and Sem, what
// the tests use, are MqOf and SemOf at this package's own types.
//
// Why generics there and plain assignments everywhere else: the
// alternative, pointer conversions such as (*goipc.MqAttr)(attr) in each
// filler, would write the same dozen wrapper functions twice, once per
// side, and declare the queue and semaphore calls twice, once with each
// side's types and once with this package's; with MqOf and SemOf both are
// written once, here. The rest of the API has no side-specific types and
// is assigned directly (Pipe: goipc.Pipe).
package sides
