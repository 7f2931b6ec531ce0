//go:build linux

package runner

import (
	"encoding/base64"
	"encoding/json"
	"unicode/utf8"
)

// Text is what a process wrote, byte for byte. In JSON it is a string when
// it is valid UTF-8 and {"base64": ...} otherwise, so that nothing is lost.
type Text string

// MarshalJSON implements json.Marshaler.
func (t Text) MarshalJSON() ([]byte, error) {
	if utf8.ValidString(string(t)) {
		return json.Marshal(string(t))
	}
	return json.Marshal(struct {
		Base64 string `json:"base64"`
	}{base64.StdEncoding.EncodeToString([]byte(t))})
}

// UnmarshalJSON implements json.Unmarshaler: a string, or {"base64": ...}.
func (t *Text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = Text(s)
		return nil
	}
	var v struct {
		Base64 string `json:"base64"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	d, err := base64.StdEncoding.DecodeString(v.Base64)
	*t = Text(d)
	return err
}

// Proc is the outcome of one process of a run, as a user sees it.
type Proc struct {
	// Role names the process within its scenario: "pipe", "reader",
	// "client 2".
	Role   string `json:"role"`
	Stdout Text   `json:"stdout"`
	Stderr Text   `json:"stderr"`
	// Exit is the exit status, or -1 when the process was killed by a
	// signal or did not end by the deadline.
	Exit int `json:"exit"`
	// Signal is the name of the signal that ended the process ("SIGPIPE").
	Signal string `json:"signal,omitempty"`
	// Errno is the name of the errno the process reported on its side
	// channel: the call that made it fail. Empty when it reported none.
	Errno string `json:"errno,omitempty"`
	// Timeout is set when the process had not ended by the deadline and
	// was killed with its process group.
	Timeout bool `json:"timeout,omitempty"`
	// StdoutDropped and StderrDropped count what the process wrote beyond
	// the runner's OutputLimit: its output was truncated after that many
	// bytes, and the rest only counted.
	StdoutDropped int64 `json:"stdout_dropped,omitempty"`
	StderrDropped int64 `json:"stderr_dropped,omitempty"`
}

// Outcome is everything a run produced: each process's outcome, in the
// order the scenario started them, and what the run left behind.
type Outcome struct {
	Procs []Proc `json:"procs"`
	// Leftovers lists what remained after every process had ended, before
	// the runner cleaned up: files in the run's directory ("fifo
	// named_pipe mode 0644 uid 0 gid 0"), queues, shared-memory objects
	// and semaphores named after the run ("mqueue $IPC_NAME mode 0600 uid
	// 0 gid 0 maxmsg 10 msgsize 128", "shm $IPC_NAME mode 0600 uid 0 gid 0
	// size 100"), each message left on a queue ("mqueue $IPC_NAME message
	// 01: 64 bytes prio 1 \"hello\" and 59 NUL"; see DescribeQueue), and
	// processes still alive in a run's process groups ("process").
	Leftovers []string `json:"leftovers"`
	// Limits names the run's limits that its processes reached ("process
	// limit: 3 forks refused (limit 512)"); a process that ran out of
	// memory shows it in its own outcome.
	Limits []string `json:"limits,omitempty"`
	// NotReady names each wait of a step for a process to become ready
	// that the deadline ended ("server: no signal pending"): the steps
	// after it never ran, so the run did not do what its scenario says.
	NotReady []string `json:"not_ready,omitempty"`
	// Traces are the processes' system calls as strace -f wrote them, one
	// per started process in the order of Procs, when the scenario is
	// traced (Scenario.Trace); package trace reads them.
	Traces []Trace `json:"traces,omitempty"`
}
