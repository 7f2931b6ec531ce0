//go:build linux

package sidestest

import (
	"os"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// TestRaw runs the cases of the calls that take an address (NULL here)
// where the others take Go values, each in a parallel subtest.
func TestRaw(t *testing.T, api sides.API) {
	runCases(t, api.Name, api.Raw, rawCases)
}

// cstr is s as a C string.
func cstr(s string) unsafe.Pointer { return unsafe.Pointer(unsafe.StringData(s + "\x00")) }

// badPage is the address of a page no one may read or write, unmapped
// when the test ends.
func badPage(t *testing.T) unsafe.Pointer {
	b, err := unix.Mmap(-1, 0, 4096, unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Munmap(b) })
	return unsafe.Pointer(&b[0])
}

// socketOf is a new socket, closed when the test ends.
func socketOf(t *testing.T, domain int) int {
	fd, err := unix.Socket(domain, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	closeAtEnd(t, fd)
	return fd
}

var rawCases = []fdCase[sides.Raw]{
	{"pipe-null", unix.EFAULT, func(t *testing.T, s sides.Raw) error { return s.Pipe(nil) }},
	{"pipe2-null", unix.EFAULT, func(t *testing.T, s sides.Raw) error { return s.Pipe2(nil, unix.O_CLOEXEC) }},
	{"pipe2-flags-first", unix.EINVAL, func(t *testing.T, s sides.Raw) error { return s.Pipe2(nil, 1) }},
	{"mkfifo-null", unix.EFAULT, func(t *testing.T, s sides.Raw) error { return s.Mkfifo(nil, 0600) }},
	{"open-null", unix.EFAULT, func(t *testing.T, s sides.Raw) error {
		_, err := s.Open(nil, unix.O_RDONLY, 0)
		return err
	}},
	{"open-path", 0, func(t *testing.T, s sides.Raw) error {
		return made(t)(s.Open(cstr("/dev/null"), unix.O_RDONLY|unix.O_CLOEXEC, 0))
	}},
	{"unlink-null", unix.EFAULT, func(t *testing.T, s sides.Raw) error { return s.Unlink(nil) }},
	{"mq_open-no-slash", unix.EINVAL, func(t *testing.T, s sides.Raw) error {
		_, err := s.MqOpen(cstr("q"), unix.O_RDONLY, 0, nil)
		return err
	}},
	{"mq_open-bad-attr", unix.EFAULT, func(t *testing.T, s sides.Raw) error {
		// Attributes where nothing may be read: nothing is made.
		_, err := s.MqOpen(cstr("/ipcparity-sidestest-raw"), unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, badPage(t))
		return err
	}},
	{"mq_unlink-none", unix.ENOENT, func(t *testing.T, s sides.Raw) error { return s.MqUnlink(cstr("/ipcparity-sidestest-none")) }},
	{"mq_getattr-badfd", unix.EBADF, func(t *testing.T, s sides.Raw) error { return s.MqGetattr(-1, nil) }},
	{"mq_timedsend-null-deadline-badfd", unix.EBADF, func(t *testing.T, s sides.Raw) error {
		return s.MqTimedsend(-1, []byte("m"), 0, nil)
	}},
	{"shm_open-none", unix.ENOENT, func(t *testing.T, s sides.Raw) error {
		_, err := s.ShmOpen(cstr("/ipcparity-sidestest-none"), unix.O_RDONLY, 0)
		return err
	}},
	{"shm_unlink-none", unix.ENOENT, func(t *testing.T, s sides.Raw) error { return s.ShmUnlink(cstr("/ipcparity-sidestest-none")) }},
	{"sem_unlink-none", unix.ENOENT, func(t *testing.T, s sides.Raw) error { return s.SemUnlink(cstr("/ipcparity-sidestest-none")) }},
	{"sem_open-none", unix.ENOENT, func(t *testing.T, s sides.Raw) error {
		return s.SemOpen(cstr("/ipcparity-sidestest-none"), 0, 0, 0)
	}},
	{"sem_open-value-over-max", unix.EINVAL, func(t *testing.T, s sides.Raw) error {
		return s.SemOpen(cstr("/ipcparity-sidestest-none"), unix.O_CREAT|unix.O_EXCL, 0600, 1<<31)
	}},
	{"bind-null", unix.EFAULT, func(t *testing.T, s sides.Raw) error {
		return s.Bind(socketOf(t, unix.AF_UNIX), nil, unix.SizeofSockaddrUnix)
	}},
	{"socketpair-null", unix.EFAULT, func(t *testing.T, s sides.Raw) error {
		return s.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0, nil)
	}},
	{"getrlimit-null", 0, func(t *testing.T, s sides.Raw) error { return s.Getrlimit(unix.RLIMIT_CORE, nil) }},
	{"getrlimit-bad", unix.EFAULT, func(t *testing.T, s sides.Raw) error { return s.Getrlimit(unix.RLIMIT_CORE, badPage(t)) }},
	{"setrlimit-bad-resource-read-first", unix.EFAULT, func(t *testing.T, s sides.Raw) error { return s.Setrlimit(99, badPage(t)) }},
	{"chmod-null", unix.EFAULT, func(t *testing.T, s sides.Raw) error { return s.Chmod(nil, 0600) }},
	{"chown-null-nothing-to-change", unix.EFAULT, func(t *testing.T, s sides.Raw) error { return s.Chown(nil, -1, -1) }},
	{"mkdir-bad", unix.EFAULT, func(t *testing.T, s sides.Raw) error { return s.Mkdir(badPage(t), 0700) }},
	{"mkdir-rmdir-path", 0, func(t *testing.T, s sides.Raw) error {
		d := cstr(t.TempDir() + "/d")
		if err := s.Mkdir(d, 0700); err != nil {
			return err
		}
		return s.Rmdir(d)
	}},
	{"rmdir-null", unix.EFAULT, func(t *testing.T, s sides.Raw) error { return s.Rmdir(nil) }},
	{"symlink-target-null", unix.EFAULT, func(t *testing.T, s sides.Raw) error { return s.Symlink(nil, cstr(t.TempDir()+"/l")) }},
	{"symlink-empty-target-first", unix.ENOENT, func(t *testing.T, s sides.Raw) error { return s.Symlink(cstr(""), badPage(t)) }},
	{"mknod-type-first", unix.EPERM, func(t *testing.T, s sides.Raw) error { return s.Mknod(badPage(t), unix.S_IFDIR|0700, 0) }},
	{"mknod-dev-over-32-bits-first", unix.EINVAL, func(t *testing.T, s sides.Raw) error {
		return s.Mknod(badPage(t), unix.S_IFIFO|0600, 1<<32)
	}},
	{"mknodat-path-before-dirfd", unix.EFAULT, func(t *testing.T, s sides.Raw) error { return s.Mknodat(-1, nil, unix.S_IFIFO|0600, 0) }},
	{"openat-path-before-dirfd", unix.EFAULT, func(t *testing.T, s sides.Raw) error {
		_, err := s.Openat(-1, badPage(t), unix.O_RDONLY, 0)
		return err
	}},
	{"openat-flags-first", unix.EINVAL, func(t *testing.T, s sides.Raw) error {
		_, err := s.Openat(unix.AT_FDCWD, nil, unix.O_TMPFILE|unix.O_RDONLY, 0)
		return err
	}},
	{"openat-path", 0, func(t *testing.T, s sides.Raw) error {
		return made(t)(s.Openat(unix.AT_FDCWD, cstr("/dev/null"), unix.O_RDONLY|unix.O_CLOEXEC, 0))
	}},
	{"waitpid-bad-status-reaps", unix.EFAULT, func(t *testing.T, s sides.Raw) error {
		pid, err := syscall.ForkExec("/bin/true", []string{"true"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, werr := s.Waitpid(pid, badPage(t), 0)
		if _, err := unix.Wait4(pid, nil, 0, nil); err != unix.ECHILD {
			t.Errorf("the child after EFAULT: wait4 gives %v, want ECHILD (reaped)", err)
		}
		return werr
	}},
	{"waitpid-not-a-child", unix.ECHILD, func(t *testing.T, s sides.Raw) error {
		_, err := s.Waitpid(1, badPage(t), unix.WNOHANG)
		return err
	}},
	{"accept-badfd-first", unix.EBADF, func(t *testing.T, s sides.Raw) error {
		_, err := s.Accept(-1, badPage(t), nil)
		return err
	}},
	{"accept-bad-address-takes-the-connection", unix.EFAULT, func(t *testing.T, s sides.Raw) error {
		l, c := socketOf(t, unix.AF_INET), socketOf(t, unix.AF_INET)
		if err := unix.Bind(l, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
			t.Fatal(err)
		}
		unix.Listen(l, 1)
		sa, _ := unix.Getsockname(l)
		if err := unix.Connect(c, sa); err != nil {
			t.Fatal(err)
		}
		n := uint32(unix.SizeofSockaddrAny)
		_, err := s.Accept(l, badPage(t), unsafe.Pointer(&n))
		if _, err := unix.Read(c, make([]byte, 1)); err != nil { // EOF: the connection is gone
			t.Errorf("the client after EFAULT: read gives %v, want the end (0)", err)
		}
		return err
	}},
	{"getsockname-badfd-first", unix.EBADF, func(t *testing.T, s sides.Raw) error { return s.Getsockname(-1, nil, nil) }},
	{"getsockname-null-length", unix.EFAULT, func(t *testing.T, s sides.Raw) error {
		var rsa unix.RawSockaddrAny
		return s.Getsockname(socketOf(t, unix.AF_UNIX), unsafe.Pointer(&rsa), nil)
	}},
	{"setgroups-size-before-list", unix.EINVAL, func(t *testing.T, s sides.Raw) error {
		if os.Geteuid() != 0 {
			t.Skip("needs root: the kernel says EPERM before it looks at the size")
		}
		setxid.Lock() // glibc's setgroups runs on every thread: see setxid
		defer setxid.Unlock()
		return s.Setgroups(70000, badPage(t))
	}},
	{"connect-null", unix.EFAULT, func(t *testing.T, s sides.Raw) error {
		return s.Connect(socketOf(t, unix.AF_INET), nil, unix.SizeofSockaddrInet4)
	}},
}
