// Package bench is the benchmark harness of ipcparity: it runs the C
// (bin/bench/ipcbench), cgo (bin/cgo/ipcbench) and pure-Go
// (bin/go/ipcbench) forms of every bench in c_reference/bench side by side,
// several times in rotated order, and reports the median of each figure,
// its spread, and the ratios of cgo and Go to C against the project's
// targets. ipcparity bench and make bench call Run. The method and the
// investigation behind the figures are in bench/README.md.
//
// Linux only.
package bench
