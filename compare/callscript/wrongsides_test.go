//go:build linux

package callscript

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
	"github.com/ipcparity/ipcparity/internal/sides/goside"
)

// A wrongSide is goipc with one call changed as a careless port would have
// it, and the script of testdata/calls that must catch it: run on the
// wrong side, the script must report a mismatch on a line of the changed
// call (or of the call that sees its effect), as `ipcparity calls` then
// reports DIFF.
type wrongSide struct {
	name   string
	script string // in testdata/calls
	// line is a piece of the mismatch that must be reported.
	line  string
	wrong func(api *sides.API)
}

// scriptLang is every table, as package compare joins them.
var scriptLang = func() *Lang {
	l, err := NewLang(Pipe, FIFO, Mq, Shm, Sock, FD, Mem, Files, Proc, Limits)
	if err != nil {
		panic(err)
	}
	return l
}()

// dropFlag wraps a call that makes a descriptor so that it drops flag.
func dropFlag(f func(int) (int, error), flag int) func(int) (int, error) {
	return func(flags int) (int, error) { return f(flags &^ flag) }
}

var fdWrongSides = []wrongSide{
	{"dup: EINVAL for a closed descriptor", "fd_dup.calls", "dup(-1) = -1 EBADF", func(a *sides.API) {
		dup := a.FD.Dup
		a.FD.Dup = func(fd int) (int, error) {
			n, err := dup(fd)
			if err == unix.EBADF {
				err = unix.EINVAL
			}
			return n, err
		}
	}},
	{"dup2: dup3 for equal descriptors (x/sys/unix on arm64)", "fd_dup.calls", "dup2($r, $r) = $same", func(a *sides.API) {
		a.FD.Dup2 = func(oldfd, newfd int) (int, error) { return a.FD.Dup3(oldfd, newfd, 0) }
	}},
	{"dup3: O_CLOEXEC dropped", "fd_dup.calls", "fcntl(20, F_GETFD) = 1", func(a *sides.API) {
		dup3 := a.FD.Dup3
		a.FD.Dup3 = func(oldfd, newfd, flags int) (int, error) { return dup3(oldfd, newfd, flags&^unix.O_CLOEXEC) }
	}},
	{"socketpair: EAFNOSUPPORT for AF_INET", "fd_socketpair.calls", "socketpair(AF_INET", func(a *sides.API) {
		sp := a.FD.Socketpair
		a.FD.Socketpair = func(domain, typ, proto int, sv []int) error {
			if domain == unix.AF_INET {
				return unix.EAFNOSUPPORT
			}
			return sp(domain, typ, proto, sv)
		}
	}},
	{"eventfd: EFD_SEMAPHORE dropped", "fd_eventfd.calls", "read($s, buf, 8) = 8", func(a *sides.API) {
		ev := a.FD.Eventfd
		a.FD.Eventfd = func(initval uint, flags int) (int, error) { return ev(initval, flags&^unix.EFD_SEMAPHORE) }
	}},
	{"epoll_create1: EPOLL_CLOEXEC dropped", "fd_epoll.calls", "fcntl($ep, F_GETFD) = 1", func(a *sides.API) {
		a.FD.EpollCreate1 = dropFlag(a.FD.EpollCreate1, unix.EPOLL_CLOEXEC)
	}},
	{"epoll_ctl: an empty event for NULL", "fd_epoll.calls", "epoll_ctl($ep, EPOLL_CTL_MOD, $e, NULL) = -1 EFAULT", func(a *sides.API) {
		ctl := a.FD.EpollCtl
		a.FD.EpollCtl = func(epfd, op, fd int, ev *unix.EpollEvent) error {
			if ev == nil {
				ev = &unix.EpollEvent{}
			}
			return ctl(epfd, op, fd, ev)
		}
	}},
	{"epoll_wait: EBADF for a descriptor that is no epoll", "fd_epoll.calls", "epoll_wait($e, events, 4, 0) = -1 EINVAL", func(a *sides.API) {
		wait := a.FD.EpollWait
		a.FD.EpollWait = func(epfd int, evs []unix.EpollEvent, msec int) (int, error) {
			n, err := wait(epfd, evs, msec)
			if err == unix.EINVAL && len(evs) > 0 {
				err = unix.EBADF
			}
			return n, err
		}
	}},
	{"memfd_create: MFD_CLOEXEC dropped", "fd_memfd.calls", "fcntl($m, F_GETFD) = 1", func(a *sides.API) {
		mc := a.FD.MemfdCreate
		a.FD.MemfdCreate = func(name string, flags int) (int, error) { return mc(name, flags&^unix.MFD_CLOEXEC) }
	}},
	{"memfd_create: the name cut to 249 bytes", "fd_memfd.calls", `memfd_create("m"*250, 0) = -1 EINVAL`, func(a *sides.API) {
		mc := a.FD.MemfdCreate
		a.FD.MemfdCreate = func(name string, flags int) (int, error) { return mc(name[:min(len(name), 249)], flags) }
	}},
	{"timerfd_create: EINVAL as EBADF", "fd_timerfd.calls", "timerfd_create(12345, 0) = -1 EINVAL", func(a *sides.API) {
		tc := a.FD.TimerfdCreate
		a.FD.TimerfdCreate = func(clockid, flags int) (int, error) {
			fd, err := tc(clockid, flags)
			if err == unix.EINVAL {
				err = unix.EBADF
			}
			return fd, err
		}
	}},
	{"timerfd_settime: unknown flags masked", "fd_timerfd.calls", "timerfd_settime($t, 0x4,", func(a *sides.API) {
		ts := a.FD.TimerfdSettime
		a.FD.TimerfdSettime = func(fd, flags int, nv, ov *unix.ItimerSpec) error {
			return ts(fd, flags&unix.TFD_TIMER_ABSTIME, nv, ov)
		}
	}},
	{"signalfd: SFD_CLOEXEC dropped", "fd_signalfd.calls", "fcntl($s, F_GETFD) = 1", func(a *sides.API) {
		sf := a.FD.Signalfd
		a.FD.Signalfd = func(fd int, mask *unix.Sigset_t, flags int) (int, error) {
			return sf(fd, mask, flags&^unix.SFD_CLOEXEC)
		}
	}},
}

// TestFDWrongSides runs each script on goipc, where it must pass, and on
// each wrong side, where it must report the mismatch named.
func TestFDWrongSides(t *testing.T) {
	checkWrongSides(t, fdWrongSides)
}

// checkWrongSides runs each wrong side's script on goipc and on the wrong
// side, in a directory of the test's (the scripts make files there).
func checkWrongSides(t *testing.T, wrongs []wrongSide) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(wd, "..", "..", "testdata", "calls")
	transcripts := map[string]string{} // goipc's, by script
	for _, w := range wrongs {
		s, err := scriptLang.ParseFile(filepath.Join(dir, w.script))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := transcripts[w.script]; !ok {
			t.Chdir(t.TempDir())
			var out strings.Builder
			o, err := scriptLang.Exec(s, goside.API(), testToken, &out)
			if err != nil || len(o.Mismatches) > 0 || len(o.Skipped) > 0 {
				t.Fatalf("%s on goipc: %v %q %q\n%s", w.script, err, o.Mismatches, o.Skipped, out.String())
			}
			transcripts[w.script] = out.String()
		}
		t.Run(w.name, func(t *testing.T) {
			t.Chdir(t.TempDir()) // what a wrong side leaves stays there
			api := goside.API()
			w.wrong(&api)
			var out strings.Builder
			o, err := scriptLang.Exec(s, api, testToken, &out)
			if err != nil {
				t.Errorf("%s: %s gives a script error: %v", w.name, w.script, err)
				return
			}
			caught := false
			for _, m := range o.Mismatches {
				caught = caught || strings.Contains(m, w.line)
			}
			// Or a transcript line that shows it, where the call's result is
			// the same but what the transcript observes is not (creds).
			good := strings.Split(transcripts[w.script], "\n")
			for k, l := range strings.Split(out.String(), "\n") {
				caught = caught || k < len(good) && l != good[k] && strings.Contains(l, w.line)
			}
			if !caught {
				t.Errorf("%s: %s does not catch it at %q; mismatches %q", w.name, w.script, w.line, o.Mismatches)
			}
		})
	}
}

var memWrongSides = []wrongSide{
	{"write: EINVAL for a buffer it cannot read", "mem_efault.calls", "write($w, BADPTR, 4) = -1 EFAULT", func(a *sides.API) {
		w := a.Pipe.Write
		a.Pipe.Write = func(fd int, p []byte) (int, error) {
			n, err := w(fd, p)
			if err == unix.EFAULT {
				err = unix.EINVAL
			}
			return n, err
		}
	}},
	{"mq_send: EINVAL for a NULL message", "mem_efault.calls", "mq_send($q, NULL, 4, 0) = -1 EFAULT", func(a *sides.API) {
		send := a.Mq.Send
		a.Mq.Send = func(mqd int, msg []byte, prio uint) error {
			if len(msg) > 0 && unsafe.SliceData(msg) == nil {
				return unix.EINVAL
			}
			return send(mqd, msg, prio)
		}
	}},
	{"recv: a NULL buffer read as an empty one", "mem_efault.calls", "recv($b, NULL, 4, 0) = -1 EFAULT", func(a *sides.API) {
		recv := a.Sock.Recv
		a.Sock.Recv = func(fd int, p []byte, flags int) (int, error) {
			if unsafe.SliceData(p) == nil {
				p = nil
			}
			return recv(fd, p, flags)
		}
	}},
	{"timerfd_settime: the old value never asked for", "fd_efault.calls", "BADPTR) = -1 EFAULT", func(a *sides.API) {
		ts := a.FD.TimerfdSettime
		a.FD.TimerfdSettime = func(fd, flags int, nv, _ *unix.ItimerSpec) error { return ts(fd, flags, nv, nil) }
	}},
	{"epoll_wait: EINVAL for NULL events", "fd_efault.calls", "epoll_wait($ep, NULL, 4, 0) = -1 EFAULT", func(a *sides.API) {
		wait := a.FD.EpollWait
		a.FD.EpollWait = func(epfd int, evs []unix.EpollEvent, msec int) (int, error) {
			if unsafe.SliceData(evs) == nil {
				return -1, unix.EINVAL
			}
			return wait(epfd, evs, msec)
		}
	}},
	{"mmap: MAP_FIXED_NOREPLACE dropped", "mem_mmap_fixed.calls", "MAP_FIXED_NOREPLACE, $fd, 0) = -1 EEXIST", func(a *sides.API) {
		mm := a.Mem.MmapAt
		a.Mem.MmapAt = func(addr unsafe.Pointer, length int, prot, flags, fd int, offset int64) ([]byte, error) {
			return mm(addr, length, prot, flags&^unix.MAP_FIXED_NOREPLACE, fd, offset)
		}
	}},
	{"mmap: the address not passed", "mem_mmap_fixed.calls", "peek($area, 0, buf, 5) = 5", func(a *sides.API) {
		mm := a.Mem.MmapAt
		a.Mem.MmapAt = func(_ unsafe.Pointer, length int, prot, flags, fd int, offset int64) ([]byte, error) {
			return mm(nil, length, prot, flags&^(unix.MAP_FIXED|unix.MAP_FIXED_NOREPLACE), fd, offset)
		}
	}},
}

// TestMemWrongSides runs the EFAULT and mmap scripts on goipc and on each
// wrong side.
func TestMemWrongSides(t *testing.T) {
	checkWrongSides(t, memWrongSides)
}

var filesWrongSides = []wrongSide{
	{"setgroups: x/sys/unix.Setgroups, the calling thread only", "files_creds.calls", "threads differ", func(a *sides.API) {
		a.Files.Setgroups = unix.Setgroups
	}},
	{"setegid: -1 passed to the kernel", "files_creds.calls", "setegid(-1) = -1 EINVAL", func(a *sides.API) {
		a.Files.Setegid = func(egid int) error { return syscall.Setresgid(-1, egid, -1) }
	}},
	{"chown: -1 taken as root", "files_creds.calls", "owner(\"mine\") = 0 ({uid=0, gid=100})", func(a *sides.API) {
		chown := a.Files.Chown
		a.Files.Chown = func(path string, uid, gid int) error { return chown(path, max(uid, 0), gid) }
	}},
	{"mknod: a device number cut to 32 bits (x/sys/unix)", "files_dirs.calls", "0x100000000) = -1 EINVAL", func(a *sides.API) {
		a.Files.Mknod = func(path string, mode uint32, dev uint64) error { return unix.Mknod(path, mode, int(uint32(dev))) }
	}},
	{"mknodat: the directory descriptor ignored", "files_dirs.calls", "mode(\"d/p\") = 0600", func(a *sides.API) {
		mk := a.Files.Mknodat
		a.Files.Mknodat = func(_ int, path string, mode uint32, dev uint64) error { return mk(unix.AT_FDCWD, path, mode, dev) }
	}},
	{"openat: the directory descriptor ignored", "files_dirs.calls", "openat($d, \"p\"", func(a *sides.API) {
		open := a.Files.Openat
		a.Files.Openat = func(_ int, path string, flags int, mode uint32) (int, error) {
			return open(unix.AT_FDCWD, path, flags, mode)
		}
	}},
	{"chmod: the link itself, not its target", "files_dirs.calls", "chmod(\"link\", 0640) = 0", func(a *sides.API) {
		a.Files.Chmod = func(path string, mode uint32) error {
			return unix.Fchmodat(unix.AT_FDCWD, path, mode, unix.AT_SYMLINK_NOFOLLOW)
		}
	}},
	{"rmdir: unlink", "files_dirs.calls", "rmdir(\"d\") = -1 ENOTEMPTY", func(a *sides.API) {
		a.Files.Rmdir = func(path string) error { return unix.Unlinkat(unix.AT_FDCWD, path, 0) }
	}},
	{"symlink: its arguments swapped", "files_dirs.calls", "symlink(\"d/f\", \"link\") = 0", func(a *sides.API) {
		sl := a.Files.Symlink
		a.Files.Symlink = func(target, link string) error { return sl(link, target) }
	}},
	{"mkdir: EEXIST ignored", "files_dirs.calls", "mkdir(\"d\", 0755) = -1 EEXIST", func(a *sides.API) {
		mk := a.Files.Mkdir
		a.Files.Mkdir = func(path string, mode uint32) error {
			if err := mk(path, mode); err != unix.EEXIST {
				return err
			}
			return nil
		}
	}},
	{"mq_open: the mode not checked (O_RDONLY reopened as root)", "files_eacces.calls", "mq_open(\"/q$RUN\", O_RDONLY) = -1 EACCES", func(a *sides.API) {
		open := a.Mq.Open
		a.Mq.Open = func(name string, oflag int, mode uint32, attr *sides.MqAttr) (int, error) {
			a.Files.Seteuid(0)
			defer a.Files.Seteuid(65534)
			return open(name, oflag, mode, attr)
		}
	}},
	{"setgroups: the list tried before the privilege is checked", "files_creds.calls", "setgroups(1, BADPTR) = -1 EPERM", func(a *sides.API) {
		set := a.Raw.Setgroups
		a.Raw.Setgroups = func(size int, list unsafe.Pointer) error {
			if size > 0 && readFault(list) {
				return unix.EFAULT
			}
			return set(size, list)
		}
	}},
	{"setgroups of a list at an address: the calling thread only", "files_creds.calls", "threads differ", func(a *sides.API) {
		a.Raw.Setgroups = func(size int, list unsafe.Pointer) error {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			_, _, e := unix.RawSyscall(unix.SYS_SETGROUPS, uintptr(size), uintptr(list), 0)
			if e != 0 {
				return e
			}
			return nil
		}
	}},
}

// TestFilesWrongSides runs the file and credential scripts on goipc and
// on each wrong side. They change the test process's credentials and make
// a device node in the test's directory, so they need root.
func TestFilesWrongSides(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the credential scripts need root")
	}
	// A wrong side may leave the process as nobody: give root back.
	groups, err := syscall.Getgroups()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Setresuid(-1, 0, -1)
		syscall.Setresgid(-1, 0, -1)
		syscall.Setgroups(groups)
	})
	checkWrongSides(t, filesWrongSides)
}

// rawWrongSides are ports that take a name, structure or array as Go
// values and so get NULL or a bad address wrong.
var rawWrongSides = []wrongSide{
	{"pipe2: the array tried in Go before the flags", "pipe_efault.calls", "pipe2(BADPTR, 0x1) = -1 EINVAL", func(a *sides.API) {
		p2 := a.Raw.Pipe2
		a.Raw.Pipe2 = func(fds unsafe.Pointer, flags int) error {
			if _, err := unix.Dup(-1); fds != nil && err != nil {
				// What a port that writes the array first would see.
				return unix.EFAULT
			}
			return p2(fds, flags)
		}
	}},
	{"open: a NULL path taken as the empty string", "fifo_efault.calls", "open(NULL, O_RDONLY) = -1 EFAULT", func(a *sides.API) {
		o := a.Raw.Open
		a.Raw.Open = func(path unsafe.Pointer, flags int, mode uint32) (int, error) {
			if path == nil {
				return a.FIFO.Open("", flags, mode)
			}
			return o(path, flags, mode)
		}
	}},
	{"mq_open: attributes at a bad address left out", "mq_efault.calls", "0600, BADPTR) = -1 EFAULT", func(a *sides.API) {
		o := a.Raw.MqOpen
		a.Raw.MqOpen = func(name unsafe.Pointer, oflag int, mode uint32, attr unsafe.Pointer) (int, error) {
			return o(name, oflag, mode, nil)
		}
	}},
	{"mq_getattr: EFAULT for NULL", "mq_efault.calls", "mq_getattr($q, NULL) = 0", func(a *sides.API) {
		g := a.Mq.Getattr
		a.Mq.Getattr = func(mqd int, attr *sides.MqAttr) error {
			if attr == nil {
				return unix.EFAULT
			}
			return g(mqd, attr)
		}
	}},
	{"mq_setattr: the old attributes taken before the new are set", "mq_efault.calls", "{mq_flags=0, mq_maxmsg=1", func(a *sides.API) {
		set := a.Raw.MqSetattr
		a.Raw.MqSetattr = func(mqd int, newattr, oldattr unsafe.Pointer) error {
			if err := a.Raw.MqGetattr(mqd, oldattr); err != nil {
				return err
			}
			return set(mqd, newattr, nil)
		}
	}},
	{"mq_timedsend: the deadline read only when the queue is full", "mq_efault.calls", `mq_timedsend($q, "m", 1, 0, BADPTR) = -1 EFAULT`, func(a *sides.API) {
		ts := a.Raw.MqTimedsend
		a.Raw.MqTimedsend = func(mqd int, msg []byte, prio uint, abstime unsafe.Pointer) error {
			var attr sides.MqAttr
			if a.Mq.Getattr(mqd, &attr) == nil && attr.Curmsgs < attr.Maxmsg {
				return a.Mq.Send(mqd, msg, prio)
			}
			return ts(mqd, msg, prio, abstime)
		}
	}},
	{"bind: a NULL address taken as an unnamed one (autobind)", "sock_efault.calls", "bind($s, NULL, 110) = -1 EFAULT", func(a *sides.API) {
		b := a.Raw.Bind
		a.Raw.Bind = func(fd int, addr unsafe.Pointer, addrlen uint32) error {
			if addr == nil {
				family := uint16(unix.AF_UNIX)
				return b(fd, unsafe.Pointer(&family), 2)
			}
			return b(fd, addr, addrlen)
		}
	}},
}

// moreRawWrongSides are ports of socketpair, getrlimit and setrlimit.
var moreRawWrongSides = []wrongSide{
	{"socketpair: the pair made first, the array written after", "fd_efault.calls", "socketpair(AF_INET, SOCK_STREAM, 0, BADPTR) = -1 EFAULT", func(a *sides.API) {
		sp := a.Raw.Socketpair
		a.Raw.Socketpair = func(domain, typ, proto int, sv unsafe.Pointer) error {
			var pair [2]int
			if err := a.FD.Socketpair(domain, typ, proto, pair[:]); err != nil {
				return err
			}
			unix.Close(pair[0])
			unix.Close(pair[1])
			return sp(domain, typ, proto, sv)
		}
	}},
	{"getrlimit: EFAULT for NULL", "limits_efault.calls", "getrlimit(RLIMIT_NOFILE, NULL) = 0", func(a *sides.API) {
		g := a.Raw.Getrlimit
		a.Raw.Getrlimit = func(res int, rlim unsafe.Pointer) error {
			if rlim == nil {
				return unix.EFAULT
			}
			return g(res, rlim)
		}
	}},
	{"setrlimit: the resource checked before the limit is read", "limits_efault.calls", "setrlimit(99, BADPTR) = -1 EFAULT", func(a *sides.API) {
		set := a.Raw.Setrlimit
		a.Raw.Setrlimit = func(res int, rlim unsafe.Pointer) error {
			if res >= 16 { // RLIM_NLIMITS
				return unix.EINVAL
			}
			return set(res, rlim)
		}
	}},
}

// filesRawWrongSides are ports of the file calls that read a path, or
// check something else, in another order than the kernel.
var filesRawWrongSides = []wrongSide{
	{"mknod: the path looked up (lstat) before the type is checked", "files_efault.calls", "mknod(BADPTR, S_IFDIR|0700, 0) = -1 EPERM", func(a *sides.API) {
		mk := a.Raw.Mknod
		a.Raw.Mknod = func(path unsafe.Pointer, mode uint32, dev uint64) error {
			if lstatErr(path) == unix.EFAULT {
				return unix.EFAULT
			}
			return mk(path, mode, dev)
		}
	}},
	{"mknod: a device number over 32 bits passed on cut", "files_efault.calls", "0x100000000) = -1 EINVAL", func(a *sides.API) {
		mk := a.Raw.Mknod
		a.Raw.Mknod = func(path unsafe.Pointer, mode uint32, dev uint64) error {
			return mk(path, mode, uint64(uint32(dev)))
		}
	}},
	{"openat: the directory descriptor checked before the path", "files_efault.calls", "openat(-1, BADPTR, O_RDONLY) = -1 EFAULT", func(a *sides.API) {
		o := a.Raw.Openat
		a.Raw.Openat = func(dirfd int, path unsafe.Pointer, flags int, mode uint32) (int, error) {
			if _, err := unix.FcntlInt(uintptr(dirfd), unix.F_GETFD, 0); dirfd != unix.AT_FDCWD && err != nil {
				return -1, err
			}
			return o(dirfd, path, flags, mode)
		}
	}},
	{"symlink: EEXIST looked for (lstat of the link) before the target is read", "files_efault.calls", `symlink("", BADPTR) = -1 ENOENT`, func(a *sides.API) {
		sl := a.Raw.Symlink
		a.Raw.Symlink = func(target, linkpath unsafe.Pointer) error {
			switch err := lstatErr(linkpath); err {
			case nil:
				return unix.EEXIST
			case unix.EFAULT:
				return err
			}
			return sl(target, linkpath)
		}
	}},
	{"rmdir: a NULL path taken as the empty string", "files_efault.calls", "rmdir(NULL) = -1 EFAULT", func(a *sides.API) {
		rm := a.Raw.Rmdir
		a.Raw.Rmdir = func(path unsafe.Pointer) error {
			if path == nil {
				return a.Files.Rmdir("")
			}
			return rm(path)
		}
	}},
	{"chown: nothing to change (-1, -1) done without a system call", "files_efault.calls", "chown(NULL, -1, -1) = -1 EFAULT", func(a *sides.API) {
		ch := a.Raw.Chown
		a.Raw.Chown = func(path unsafe.Pointer, uid, gid int) error {
			if uid == -1 && gid == -1 {
				return nil
			}
			return ch(path, uid, gid)
		}
	}},
}

// procRawWrongSides are ports of waitpid with a bad status.
var procRawWrongSides = []wrongSide{
	{"waitpid: the status tried before the wait (EFAULT, the child left)", "proc_efault.calls", "waitpid($c, status, WNOHANG) = -1 ECHILD", func(a *sides.API) {
		w := a.Raw.Waitpid
		a.Raw.Waitpid = func(pid int, status unsafe.Pointer, options int) (int, error) {
			if readFault(status) {
				return -1, unix.EFAULT
			}
			return w(pid, status, options)
		}
	}},
	{"waitpid: the status waited into a Go int, a bad address left unwritten", "proc_efault.calls", "waitpid($c, BADPTR, 0) = -1 EFAULT", func(a *sides.API) {
		a.Raw.Waitpid = func(pid int, status unsafe.Pointer, options int) (int, error) {
			var ws int
			return a.Proc.Waitpid(pid, &ws, options)
		}
	}},
}

// sockRawWrongSides are ports of accept and getsockname with a bad
// address or length.
var sockRawWrongSides = []wrongSide{
	{"accept: the address tried before the connection is taken (the connection left)", "sock_efault.calls", "accept($l, addr, addrlen) = -1 EAGAIN", func(a *sides.API) {
		acc := a.Raw.Accept
		a.Raw.Accept = func(fd int, addr, addrlen unsafe.Pointer) (int, error) {
			if readFault(addr) {
				return -1, unix.EFAULT
			}
			return acc(fd, addr, addrlen)
		}
	}},
	{"accept: a NULL addrlen taken as no address wanted", "sock_efault.calls", "accept($l, addr, NULL) = -1 EFAULT", func(a *sides.API) {
		acc := a.Raw.Accept
		a.Raw.Accept = func(fd int, addr, addrlen unsafe.Pointer) (int, error) {
			if addrlen == nil {
				addr = nil
			}
			return acc(fd, addr, addrlen)
		}
	}},
	{"getsockname: the address tried before the socket is looked up", "sock_efault.calls", "getsockname(-1, BADPTR, addrlen) = -1 EBADF", func(a *sides.API) {
		g := a.Raw.Getsockname
		a.Raw.Getsockname = func(fd int, addr, addrlen unsafe.Pointer) error {
			if readFault(addr) {
				return unix.EFAULT
			}
			return g(fd, addr, addrlen)
		}
	}},
}

// readFault says that the kernel cannot read at p (access(2) of a path
// there gives EFAULT).
func readFault(p unsafe.Pointer) bool {
	_, _, e := unix.Syscall(unix.SYS_ACCESS, uintptr(p), unix.F_OK, 0)
	return e == unix.EFAULT
}

// lstatErr is the errno of lstat(2) of the path at path.
func lstatErr(path unsafe.Pointer) error {
	var st unix.Stat_t
	cwd := unix.AT_FDCWD
	_, _, e := unix.Syscall6(unix.SYS_NEWFSTATAT, uintptr(cwd), uintptr(path), uintptr(unsafe.Pointer(&st)), unix.AT_SYMLINK_NOFOLLOW, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// TestRawWrongSides runs the EFAULT scripts of names, structures and
// arrays on goipc and on each wrong side.
func TestRawWrongSides(t *testing.T) {
	checkWrongSides(t, slices.Concat(rawWrongSides, moreRawWrongSides, filesRawWrongSides, procRawWrongSides, sockRawWrongSides))
}

// mqThreadWrongSides are ports of mq_notify's SIGEV_THREAD.
var mqThreadWrongSides = []wrongSide{
	{"SIGEV_THREAD registered as SIGEV_NONE: nothing runs", "mq_notify_thread.calls", "sigev_value=9}) = 0", func(a *sides.API) {
		a.MqThread.Notify = func(mqd, _ int) error {
			return a.Mq.Notify(mqd, &sides.Sigevent{Notify: sides.SIGEV_NONE})
		}
	}},
	{"the function given the queue's descriptor, not sigev_value", "mq_notify_thread.calls", "--- sigev_notify_function(", func(a *sides.API) {
		n := a.MqThread.Notify
		a.MqThread.Notify = func(mqd, _ int) error { return n(mqd, mqd) }
	}},
	{"a netlink socket for each call (musl's), not one for the process", "mq_notify_thread.calls", `open("/dev/null", O_RDONLY) =`, func(a *sides.API) {
		n := a.MqThread.Notify
		a.MqThread.Notify = func(mqd, value int) error {
			unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
			return n(mqd, value)
		}
	}},
}

// TestMqThreadWrongSides runs mq_notify_thread.calls on goipc and on each
// wrong side.
func TestMqThreadWrongSides(t *testing.T) {
	checkWrongSides(t, mqThreadWrongSides)
}
