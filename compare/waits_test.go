//go:build linux

package compare

import "testing"

// TestInterruptedWaitPorts runs Go ports that fail where a signal the Go
// runtime takes (SIGURG, SIGWINCH) interrupts a wait, and a socket server
// that stops on a word that only starts with "quit"; each must be caught
// by its scenario (the signal-in-* scenarios send those signals to every
// thread while the program waits).
func TestInterruptedWaitPorts(t *testing.T) {
	t.Parallel() // after the parity tests, alongside the other wrong ports
	checkWrongPorts(t, []wrongPort{
		{
			name: "goipc's socket server treats EINTR from poll as fatal", program: "sock_server",
			goEdits: map[string][][2]string{"goipc/sock.go": {{
				"\t\t\tif err == unix.EINTR { // step 9: eintr\n\t\t\t\tcontinue // a signal came: poll again\n\t\t\t}\n", ""}}},
			catches: "unix-signal-in-poll", want: "poll(): Interrupted system call",
		},
		{
			name: `"quit" compared as a 4-byte prefix ("quitter" stops the server)`, program: "sock_server",
			edits:   [][2]string{{`strncmp(messages[i].msg, "quit", 5)`, `strncmp(messages[i].msg, "quit", 4)`}},
			catches: "unix-near-quit", want: "connect(): No such file or directory",
		},
	})
}

// Not among the ports above, as no scenario can tell it from goipc: a
// goipc whose sem_wait returns EINTR from its futex wait instead of
// sleeping again (semWaitSlow). The untimed futex wait of sem_wait is
// restarted by the kernel after a handler installed with SA_RESTART
// (futex_wait's -ERESTARTSYS), and the Go runtime installs all its handlers
// so: signal-in-sem-wait interrupts that wait and the port still waits on
// (checked by hand with the port of goEdits below, 3 runs out of 3 "same").
//
//	"goipc/sem.go": {{"case unix.ETIMEDOUT, unix.EOVERFLOW:", "case unix.ETIMEDOUT, unix.EOVERFLOW, unix.EINTR:"},
//		{"case 0, unix.EAGAIN, unix.EINTR, unix.EINVAL:", "case 0, unix.EAGAIN, unix.EINVAL:"}}
