//go:build linux

package compare

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ipcparity/ipcparity/compare/runner"
)

// owned is a leftover or note with the owner that the objects a run makes
// have: root of the sandbox (the runner's own user is mapped to it when it
// is not root), or the runner's user without a sandbox.
func owned(s string) string {
	uid, gid := 0, 0
	if runner.Sandboxed() != nil {
		uid, gid = os.Geteuid(), os.Getegid()
	}
	return fmt.Sprintf("%s uid %d gid %d", s, uid, gid)
}

// leftoverNamed reports whether left holds a leftover that is name or
// starts with it ("fifo named_pipe", "fifo named_pipe mode 0644"),
// whatever follows: mode, owner, size.
func leftoverNamed(left []string, name string) bool {
	for _, l := range left {
		if l == name || strings.HasPrefix(l, name+" ") {
			return true
		}
	}
	return false
}

// TestObjectAttributePorts runs ports that make their objects with another
// mode, size or attribute than C: each shows in the outcome, as a leftover
// (the runner lists mode, owner and size, a queue's attributes and the
// messages on it) or as what the runner saw while the program ran.
func TestObjectAttributePorts(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	checkWrongPorts(t, []wrongPort{
		{
			name: "the semaphore made with mode 0644", program: "shm_writer",
			edits:   [][2]string{{"sem_open(name, O_CREAT | O_EXCL, 0600, 0)", "sem_open(name, O_CREAT | O_EXCL, 0644, 0)"}},
			catches: "umask-000", want: "sem $IPC_NAME mode 0644",
		},
		{
			name: "the object sized 99 bytes, not 100", program: "shm_writer",
			edits:   [][2]string{{"ftruncate(fd, SHM_SIZE)", "ftruncate(fd, SHM_SIZE - 1)"}},
			catches: "umask-000", want: "size 99",
		},
		{
			name: "the object made with mode 0640 (left by a killed writer)", program: "shm_writer",
			edits:   [][2]string{{"shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600)", "shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0640)"}},
			catches: "writer-killed", want: "leftover shm $IPC_NAME mode 0640",
		},
		{
			name: "the queue made with mq_maxmsg 5 (left by a killed server)", program: "mq_server",
			edits:   [][2]string{{"attr.mq_maxmsg = 10;", "attr.mq_maxmsg = 5;"}},
			catches: "server-killed", want: "maxmsg 5 msgsize 128",
		},
		{
			name: "the queue made with mode 0640 (left by a killed server)", program: "mq_server",
			edits:   [][2]string{{"O_CREAT | O_RDONLY, 0600", "O_CREAT | O_RDONLY, 0640"}},
			catches: "server-killed", want: "mqueue $IPC_NAME mode 0640",
		},
		{
			name: "the client sends with priority 0 (the message left on the queue)", program: "mq_client",
			edits:   [][2]string{{"mq_send(mq, (const char*)&message, sizeof message, 1)", "mq_send(mq, (const char*)&message, sizeof message, 0)"}},
			catches: "server-killed", want: `64 bytes prio 0 "world"`,
		},
		{
			name: "the FIFO made with mode 0640 (left by a reader that waits)", program: "fifo_reader",
			edits:   [][2]string{{"S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH; // 644", "S_IRUSR | S_IWUSR | S_IRGRP; // 640"}},
			catches: "reader-no-writer", want: "leftover fifo named_pipe mode 0640",
		},
	})
}
