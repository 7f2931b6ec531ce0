// Package trace compares what processes asked of the kernel: it reads the
// output of strace -f (runner.StraceArgs), keeps each process's
// IPC-relevant system calls, normalises what legitimately differs between
// two runs, and diffs them in strace's notation:
//
//   - listen(4, 4096) = 0
//   - listen(4, 5) = 0
//
// What it leaves out, and why, is listed in Filtered; what it rewrites is
// said in Normalize's documentation. Real differences between C and Go at
// this level are listed in Known, each with its reason.
//
// Linux only.
package trace
