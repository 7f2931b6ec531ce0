//go:build linux

package sidestest

import (
	"fmt"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// TestMqThread runs the SIGEV_THREAD cases on api: one after the other,
// since the values recorded are the process's.
func TestMqThread(t *testing.T, api sides.API) {
	s := api.MqThread
	if err := s.Notify(-1, 1); err != unix.EBADF {
		t.Errorf("%s: notify on -1: %v, want EBADF", api.Name, err)
	}
	name := fmt.Sprintf("/ipcparity-sidestest-thread-%d-%s", os.Getpid(), api.Name)
	q, err := api.Mq.Open(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, &sides.MqAttr{Maxmsg: 1, Msgsize: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer api.Mq.Unlink(name)
	defer api.Mq.Close(q)
	s.Notified()
	if err := s.Notify(q, 42); err != nil {
		t.Fatalf("%s: notify: %v", api.Name, err)
	}
	if err := s.Notify(q, 43); err != unix.EBUSY {
		t.Errorf("%s: a second registration: %v, want EBUSY", api.Name, err)
	}
	if err := api.Mq.Send(q, []byte("m"), 0); err != nil {
		t.Fatal(err)
	}
	var got []int
	for deadline := time.Now().Add(5 * time.Second); len(got) == 0 && time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		got = s.Notified()
	}
	if len(got) != 1 || got[0] != 42 {
		t.Errorf("%s: recorded %v, want [42]", api.Name, got)
	}
}
