//go:build linux

package runner

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// A readiness check runs again as soon as the process writes output, not
// at the poll's next interval: a server's ready line starts the next step
// at once. With intervals of an hour, only the output wakes poll.
func TestPollWakesOnOutput(t *testing.T) {
	saved := pollFirst
	pollFirst = time.Hour
	defer func() { pollFirst = saved }()
	p := &Process{label: "server", done: make(chan struct{}), wrote: make(chan struct{}, 1)}
	var line atomic.Bool
	ready := Ready{What: "a line", Check: func(*Run, *Process) (bool, error) { return line.Load(), nil }}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		time.Sleep(20 * time.Millisecond)
		line.Store(true)
		notifying{&p.stdout, p.wrote}.Write([]byte("ready\n"))
	}()
	start := time.Now()
	if err := (&Run{}).poll(ctx, p, ready); err != nil {
		t.Fatalf("poll: %v after %v; want the line seen once written", err, time.Since(start))
	}
}
