//go:build linux

package sidestest

import (
	"testing"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// TestAll runs every shared test on api, one subtest a mechanism (Pipe,
// FIFO, Mq, Shm, Sem, Sock, Errors, Proc, Raw, MqThread), one after the other; each runs its
// independent cases in parallel. -run 'TestSides/Mq/' narrows it, for a
// caller whose test is TestSides.
func TestAll(t *testing.T, api sides.API) {
	for _, m := range []struct {
		name string
		test func(*testing.T, sides.API)
	}{
		{"Pipe", TestPipe}, {"FIFO", TestFIFO}, {"Mq", TestMq}, {"Shm", TestShm},
		{"Sem", TestSem}, {"Sock", TestSock}, {"FD", TestFD}, {"Mem", TestMem}, {"Files", TestFiles}, {"Errors", TestErrors}, {"Proc", TestProc}, {"Raw", TestRaw}, {"MqThread", TestMqThread},
	} {
		t.Run(m.name, func(t *testing.T) { m.test(t, api) })
	}
}
