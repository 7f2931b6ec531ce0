//go:build linux

package runner

import (
	"context"
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
	ready := ReadyLine()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		time.Sleep(20 * time.Millisecond)
		notifying{&p.stdout, p.wrote}.Write([]byte("ready\n"))
	}()
	start := time.Now()
	if err := (&Run{}).poll(ctx, p, ready); err != nil {
		t.Fatalf("poll: %v after %v; want the line seen once written", err, time.Since(start))
	}
}

// A check other than a ready line does not run on each write: a process
// that writes on and on while the runner waits for something else would
// run it again and again.
func TestPollOtherChecksIgnoreOutput(t *testing.T) {
	saved := pollFirst
	pollFirst = time.Hour
	defer func() { pollFirst = saved }()
	p := &Process{label: "reader", done: make(chan struct{}), wrote: make(chan struct{}, 1)}
	checks := 0
	ready := Ready{What: "asleep somewhere", Check: func(*Run, *Process) (bool, error) { checks++; return false, nil }}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	go func() {
		for ctx.Err() == nil {
			notifying{&p.stdout, p.wrote}.Write([]byte("x"))
			time.Sleep(time.Millisecond)
		}
	}()
	(&Run{}).poll(ctx, p, ready)
	if checks > 1 {
		t.Errorf("the check ran %d times in 200 ms of output with an hour's interval: once is all", checks)
	}
}
