//go:build linux

package compare

import (
	"context"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// BenchmarkExecute measures one sandboxed run of a scenario under one
// pairing, as check makes some nine hundred of them: its wall time per
// op, and the CPU time of everything the run started (the init, the
// programs; the runner's own share is not in it) as cpu-ms/op. Run it on
// one CPU, as check's figures are compared:
//
//	go test -run '^$' -bench Execute -cpu 1 ./compare
func BenchmarkExecute(b *testing.B) {
	forms := runner.BuiltinForms(binDir)
	for _, c := range []struct {
		mech, name string
		form       int // one form in every role: 0 c, 1 cgo, 2 go
	}{
		{"pipe", "default", 0},
		{"pipe", "default", 1},
		{"pipe", "default", 2},
		{"fifo", "default", 0},
		{"mq", "default", 0},
		{"sock", "unix-default", 0},
		{"sock", "tcp-default", 2},
		{"fifo", "reader-no-writer", 0},
		{"shm", "writer-no-reader", 0},
	} {
		sc := scenario(c.mech, c.name)
		pairing := make(runner.Pairing, len(sc.Roles))
		for i := range pairing {
			pairing[i] = forms[c.form]
		}
		b.Run(c.mech+"/"+c.name+"/"+forms[c.form].Name, func(b *testing.B) {
			var before, after unix.Rusage
			unix.Getrusage(unix.RUSAGE_CHILDREN, &before)
			for b.Loop() {
				if _, err := runner.Execute(context.Background(), sc, pairing); err != nil {
					b.Fatal(err)
				}
			}
			unix.Getrusage(unix.RUSAGE_CHILDREN, &after)
			cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
			b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}
