//go:build cgo && linux

package cipc_test

// The parity of the queue calls between cipc (glibc) and goipc is checked
// by the call scripts testdata/calls/mq_*.calls (bin/ipcparity check mq)
// and by the table in internal/sides/sidestest, which both packages run
// (sides_test.go). This file keeps what needs both sides at once: a queue
// passed between them.

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
	"github.com/ipcparity/ipcparity/internal/sides/cside"
	"github.com/ipcparity/ipcparity/internal/sides/goside"
)

// TestMqInterop passes messages between the sides through one queue: one
// side creates it, each sends, each receives the other's message.
func TestMqInterop(t *testing.T) {
	c, g := cside.API(), goside.API()
	for i, pair := range [][2]sides.API{{c, g}, {g, c}} {
		maker, other := pair[0], pair[1]
		t.Run(maker.Name+"-creates", func(t *testing.T) {
			t.Parallel()
			name := fmt.Sprintf("/cipc-test-interop-%d-%d", os.Getpid(), i)
			t.Cleanup(func() { maker.Mq.Unlink(name) })
			mqd, err := maker.Mq.Open(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, &sides.MqAttr{Maxmsg: 4, Msgsize: 16})
			if err != nil {
				t.Fatal(err)
			}
			defer maker.Mq.Close(mqd)
			omqd, err := other.Mq.Open(name, unix.O_RDWR, 0, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Mq.Close(omqd)
			if err := other.Mq.Send(omqd, []byte("from "+other.Name), 4); err != nil {
				t.Fatal(err)
			}
			if err := maker.Mq.Send(mqd, []byte("from "+maker.Name), 1); err != nil {
				t.Fatal(err)
			}
			for _, r := range []struct {
				s    sides.API
				mqd  int
				want string
			}{{maker, mqd, "from " + other.Name + "/4"}, {other, omqd, "from " + maker.Name + "/1"}} {
				buf := make([]byte, 16)
				var prio uint
				n, err := r.s.Mq.Receive(r.mqd, buf, &prio)
				if err != nil {
					t.Fatal(err)
				}
				if got := fmt.Sprintf("%s/%d", buf[:n], prio); got != r.want {
					t.Errorf("%s received %q, want %q", r.s.Name, got, r.want)
				}
			}
		})
	}
}
