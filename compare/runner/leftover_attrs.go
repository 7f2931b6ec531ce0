//go:build linux

package runner

import (
	"bytes"
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Attrs says what a program chose for a file it made: its permission bits,
// owner and group, and for a regular file (a shared-memory object, a
// semaphore's file) its size: "mode 0644 uid 0 gid 0", "mode 0600 uid 0
// gid 0 size 100".
func Attrs(st *unix.Stat_t) string {
	s := Perms(st)
	if st.Mode&unix.S_IFMT == unix.S_IFREG {
		s += fmt.Sprintf(" size %d", st.Size)
	}
	return s
}

// Perms is Attrs without the size, for a queue (whose file in the queue
// file system has a size of its own, the same for every queue):
// "mode 0600 uid 0 gid 0".
func Perms(st *unix.Stat_t) string {
	return fmt.Sprintf("mode %04o uid %d gid %d", st.Mode&0o7777, st.Uid, st.Gid)
}

// describeLeftover is a leftover as Outcome.Leftovers writes it: its
// kind, its name as shown, and the Attrs of the file at path, when it can
// be looked at ("fifo named_pipe mode 0644 uid 0 gid 0").
func describeLeftover(kind, shown, path string) string {
	var st unix.Stat_t
	if unix.Lstat(path, &st) != nil {
		return kind + " " + shown
	}
	return kind + " " + shown + " " + Attrs(&st)
}

// mqAttr is the kernel's struct mq_attr (four longs and four reserved).
type mqAttr struct {
	flags, maxmsg, msgsize, curmsgs int
	_                               [4]int
}

// DescribeQueue describes the queue name ("/q") left behind, shown as
// shown: a line with its Perms and attributes ("mqueue $IPC_NAME mode
// 0600 uid 0 gid 0 maxmsg 10 msgsize 128"), then a line for each message
// on it, which it takes off the queue, numbered in the order received
// (priority first, then the order sent): "mqueue $IPC_NAME message 01: 64
// bytes prio 1 \"hello\" and 59 NUL". It uses the system calls
// themselves (the runner does not use the code it judges), and returns
// nil when there is no such queue.
func DescribeQueue(name, shown string) []string {
	p, err := unix.BytePtrFromString(strings.TrimPrefix(name, "/"))
	if err != nil {
		return nil
	}
	r, _, e := unix.Syscall6(unix.SYS_MQ_OPEN, uintptr(unsafe.Pointer(p)), unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0, 0, 0, 0)
	switch e {
	case 0:
	case unix.ENOENT, unix.EINVAL, unix.ENAMETOOLONG:
		return nil
	default: // there, but closed to the runner (EACCES)
		return []string{"mqueue " + shown + " (" + e.Error() + ")"}
	}
	mqd := int(r)
	defer unix.Close(mqd)
	head := "mqueue " + shown
	var st unix.Stat_t
	if unix.Fstat(mqd, &st) == nil {
		head += " " + Perms(&st)
	}
	var a mqAttr
	if _, _, e := unix.Syscall(unix.SYS_MQ_GETSETATTR, uintptr(mqd), 0, uintptr(unsafe.Pointer(&a))); e != 0 {
		return []string{head + " (mq_getattr: " + e.Error() + ")"}
	}
	lines := []string{fmt.Sprintf("%s maxmsg %d msgsize %d", head, a.maxmsg, a.msgsize)}
	buf := make([]byte, max(a.msgsize, 1))
	for i := 1; ; i++ {
		var prio uint32
		n, _, e := unix.Syscall6(unix.SYS_MQ_TIMEDRECEIVE, uintptr(mqd), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)),
			uintptr(unsafe.Pointer(&prio)), 0, 0)
		if e != 0 {
			if e != unix.EAGAIN {
				lines = append(lines, "mqueue "+shown+" mq_receive: "+e.Error())
			}
			return lines
		}
		lines = append(lines, fmt.Sprintf("mqueue %s message %02d: %d bytes prio %d %s", shown, i, n, prio, DescribeBytes(buf[:n])))
	}
}

// DescribeBytes quotes b, writing a run of NULs at its end as a count:
// "\"hello\" and 59 NUL".
func DescribeBytes(b []byte) string {
	text := bytes.TrimRight(b, "\x00")
	s := fmt.Sprintf("%q", text)
	if n := len(b) - len(text); n > 0 {
		s += fmt.Sprintf(" and %d NUL", n)
	}
	return s
}
