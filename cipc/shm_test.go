//go:build cgo && linux

package cipc_test

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/goipc"
)

// shmSem is what both sides' *Sem can do.
type shmSem interface {
	Post() error
	Wait() error
	Trywait() error
	Timedwait(abstime *unix.Timespec) error
	Getvalue() (int, error)
}

// shmImpl holds one package's shared-memory and semaphore calls: cipc (glibc
// through cgo) or goipc (pure Go). Every table below runs on both.
type shmImpl struct {
	name       string
	ShmOpen    func(name string, oflag int, mode uint32) (int, error)
	ShmUnlink  func(name string) error
	Ftruncate  func(fd int, length int64) error
	Mmap       func(fd int, offset int64, length int, prot int, flags int) ([]byte, error)
	Munmap     func(b []byte) error
	SemOpen    func(name string, oflag int, mode uint32, value uint) (shmSem, error)
	SemClose   func(s shmSem) error
	SemUnlink  func(name string) error
	SemInit    func(mem []byte, pshared bool, value uint) (shmSem, error)
	SemAt      func(mem []byte) (shmSem, error)
	SemDestroy func(s shmSem) error
}

// shmAsSem turns a typed result into a sem, keeping a nil *Sem nil.
func shmAsSem[T shmSem](s T, err error) (shmSem, error) {
	if err != nil {
		return nil, err
	}
	return s, nil
}

var shmC = shmImpl{
	name:      "c",
	ShmOpen:   cipc.ShmOpen,
	ShmUnlink: cipc.ShmUnlink,
	Ftruncate: cipc.Ftruncate,
	Mmap:      cipc.Mmap,
	Munmap:    cipc.Munmap,
	SemOpen: func(name string, oflag int, mode uint32, value uint) (shmSem, error) {
		return shmAsSem(cipc.SemOpen(name, oflag, mode, value))
	},
	SemClose: func(s shmSem) error {
		cs, _ := s.(*cipc.Sem)
		return cipc.SemClose(cs)
	},
	SemUnlink: cipc.SemUnlink,
	SemInit: func(mem []byte, pshared bool, value uint) (shmSem, error) {
		return shmAsSem(cipc.SemInit(mem, pshared, value))
	},
	SemAt: func(mem []byte) (shmSem, error) { return shmAsSem(cipc.SemAt(mem)) },
	SemDestroy: func(s shmSem) error {
		cs, _ := s.(*cipc.Sem)
		return cipc.SemDestroy(cs)
	},
}

var shmGo = shmImpl{
	name:      "go",
	ShmOpen:   goipc.ShmOpen,
	ShmUnlink: goipc.ShmUnlink,
	Ftruncate: goipc.Ftruncate,
	Mmap:      goipc.Mmap,
	Munmap:    goipc.Munmap,
	SemOpen: func(name string, oflag int, mode uint32, value uint) (shmSem, error) {
		return shmAsSem(goipc.SemOpen(name, oflag, mode, value))
	},
	SemClose: func(s shmSem) error {
		gs, _ := s.(*goipc.Sem)
		return goipc.SemClose(gs)
	},
	SemUnlink: goipc.SemUnlink,
	SemInit: func(mem []byte, pshared bool, value uint) (shmSem, error) {
		return shmAsSem(goipc.SemInit(mem, pshared, value))
	},
	SemAt: func(mem []byte) (shmSem, error) { return shmAsSem(goipc.SemAt(mem)) },
	SemDestroy: func(s shmSem) error {
		gs, _ := s.(*goipc.Sem)
		return goipc.SemDestroy(gs)
	},
}

var shmImpls = []shmImpl{shmC, shmGo}

func shmImplNamed(name string) shmImpl {
	if name == shmC.name {
		return shmC
	}
	return shmGo
}

// shmErrno is err as an errno: 0 for nil. Anything but a bare unix.Errno
// fails the test: both sides promise bare errno values.
func shmErrno(t testing.TB, err error) unix.Errno {
	t.Helper()
	if err == nil {
		return 0
	}
	e, ok := err.(unix.Errno)
	if !ok {
		t.Fatalf("error %#v (%v) is not a bare unix.Errno", err, err)
	}
	return e
}

func shmErrnoName(e unix.Errno) string {
	if e == 0 {
		return "0"
	}
	return unix.ErrnoName(e)
}

var shmNameSeq atomic.Int64

// shmUniqueName gives a fresh object name, "/ipcparity-PID-N-label" padded
// with 'a' to length bytes after the slash when length > 0, and removes
// /dev/shm/NAME and /dev/shm/sem.NAME when the test ends, whatever
// happened.
func shmUniqueName(t testing.TB, label string, length int) string {
	t.Helper()
	base := fmt.Sprintf("ipcparity-%d-%d-%s", os.Getpid(), shmNameSeq.Add(1), label)
	if length > 0 {
		if len(base) > length {
			t.Fatalf("name %q longer than %d", base, length)
		}
		base += strings.Repeat("a", length-len(base))
	}
	shmRemoveAtEnd(t, base)
	return "/" + base
}

// shmRemoveAtEnd removes the shared-memory object and the semaphore called
// base (no leading slash) from /dev/shm when the test ends.
func shmRemoveAtEnd(t testing.TB, base string) {
	t.Cleanup(func() {
		for _, p := range []string{"/dev/shm/" + base, "/dev/shm/sem." + base} {
			unix.Unlink(p)
		}
	})
}

// shmCloseAtEnd closes fd when the test ends.
func shmCloseAtEnd(t testing.TB, fd int) {
	t.Cleanup(func() { unix.Close(fd) })
}

// shmSameOnBoth runs f on each side and fails unless both give the same
// errno, which must be want.
func shmSameOnBoth(t *testing.T, what string, want unix.Errno, f func(t *testing.T, s shmImpl) error) {
	t.Helper()
	got := map[string]unix.Errno{}
	for _, s := range shmImpls {
		got[s.name] = shmErrno(t, f(t, s))
	}
	if got["c"] != got["go"] {
		t.Errorf("%s: c gives %s, go gives %s", what, shmErrnoName(got["c"]), shmErrnoName(got["go"]))
	}
	if got["c"] != want {
		t.Errorf("%s: c gives %s, want %s", what, shmErrnoName(got["c"]), shmErrnoName(want))
	}
	if got["go"] != want {
		t.Errorf("%s: go gives %s, want %s", what, shmErrnoName(got["go"]), shmErrnoName(want))
	}
}

// TestShmNames runs glibc 2.36's name rules for shm_open and shm_unlink on
// both sides. The expected values are what glibc 2.36 gives on Debian 12
// (checked with a C program, and here again through cgo).
func TestShmNames(t *testing.T) {
	const nameMax = unix.NAME_MAX
	type tc struct {
		label     string
		name      func(t *testing.T) string // a fresh name for each shmImpl
		openErr   unix.Errno                // shm_open(O_RDWR|O_CREAT|O_EXCL, 0600)
		unlinkErr unix.Errno                // shm_unlink after it
	}
	fixed := func(s string) func(*testing.T) string { return func(*testing.T) string { return s } }
	fresh := func(prefix string) func(*testing.T) string {
		return func(t *testing.T) string { return prefix + shmUniqueName(t, "n", 0)[1:] }
	}
	long := func(n int) func(*testing.T) string {
		return func(t *testing.T) string { return shmUniqueName(t, "long", n) }
	}
	cases := []tc{
		{label: "empty", name: fixed(""), openErr: unix.EINVAL, unlinkErr: unix.ENOENT},
		{label: "slash only", name: fixed("/"), openErr: unix.EINVAL, unlinkErr: unix.ENOENT},
		{label: "slashes only", name: fixed("///"), openErr: unix.EINVAL, unlinkErr: unix.ENOENT},
		{label: "x", name: fresh("")},
		{label: "/x", name: fresh("/")},
		{label: "//x", name: fresh("//")},
		{label: "/a/b", name: fixed("/ipcparity-a/b"), openErr: unix.EINVAL, unlinkErr: unix.ENOENT},
		{label: "/../x", name: fixed("/../ipcparity-x"), openErr: unix.EINVAL, unlinkErr: unix.ENOENT},
		{label: "x/", name: fixed("ipcparity-x/"), openErr: unix.EINVAL, unlinkErr: unix.ENOENT},
		// "." and ".." are /dev/shm and /dev, which exist (see
		// TestShmOpenDotDot); unlink gives EISDIR.
		{label: ".", name: fixed("."), openErr: unix.EEXIST, unlinkErr: unix.EISDIR},
		{label: "/..", name: fixed("/.."), openErr: unix.EEXIST, unlinkErr: unix.EISDIR},
		{label: "NAME_MAX", name: long(nameMax)},
		// glibc 2.36 lets 256 to 259 bytes through (its buffer has room
		// for "sem."); the kernel refuses the file name.
		{label: "NAME_MAX+1", name: long(nameMax + 1), openErr: unix.ENAMETOOLONG, unlinkErr: unix.ENAMETOOLONG},
		{label: "NAME_MAX+4", name: long(nameMax + 4), openErr: unix.ENAMETOOLONG, unlinkErr: unix.ENAMETOOLONG},
		// From 260 bytes the name does not fit glibc's buffer: EINVAL,
		// and ENOENT for shm_unlink.
		{label: "NAME_MAX+5", name: long(nameMax + 5), openErr: unix.EINVAL, unlinkErr: unix.ENOENT},
		{label: "300", name: long(300), openErr: unix.EINVAL, unlinkErr: unix.ENOENT},
		{label: "4096", name: long(4096), openErr: unix.EINVAL, unlinkErr: unix.ENOENT},
		// Not glibc's: a C string cannot hold a NUL.
		{label: "NUL", name: fixed("/ipcparity\x00x"), openErr: unix.EINVAL, unlinkErr: unix.EINVAL},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			for _, s := range shmImpls {
				name := c.name(t)
				fd, err := s.ShmOpen(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL, 0600)
				if fd >= 0 {
					shmCloseAtEnd(t, fd)
				}
				if got := shmErrno(t, err); got != c.openErr {
					t.Errorf("%s: ShmOpen(%.40q) = %d, %s; want %s", s.name, name, fd, shmErrnoName(got), shmErrnoName(c.openErr))
				}
				if err == nil {
					if fd < 0 {
						t.Errorf("%s: ShmOpen gave fd %d with no error", s.name, fd)
					}
					path := "/dev/shm/" + strings.TrimLeft(name, "/")
					var st unix.Stat_t
					if err := unix.Stat(path, &st); err != nil {
						t.Errorf("%s: ShmOpen(%.40q) made no %.60s: %v", s.name, name, path, err)
					}
				} else if fd != -1 {
					t.Errorf("%s: ShmOpen failed with fd %d, want -1", s.name, fd)
				}
				if got := shmErrno(t, s.ShmUnlink(name)); got != c.unlinkErr {
					t.Errorf("%s: ShmUnlink(%.40q) = %s; want %s", s.name, name, shmErrnoName(got), shmErrnoName(c.unlinkErr))
				}
			}
		})
	}
}

// TestShmOpenDotDot shows that glibc does not keep "." and ".." in
// /dev/shm: opened read-only they give /dev/shm and /dev; opened for
// writing, the kernel's EISDIR becomes EINVAL. Both sides do the same.
func TestShmOpenDotDot(t *testing.T) {
	for _, c := range []struct{ name, dir string }{{".", "/dev/shm"}, {"..", "/dev"}, {"//..", "/dev"}} {
		var want unix.Stat_t
		if err := unix.Stat(c.dir, &want); err != nil {
			t.Fatal(err)
		}
		shmSameOnBoth(t, "ShmOpen("+c.name+", O_RDWR)", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			fd, err := s.ShmOpen(c.name, unix.O_RDWR, 0)
			if fd >= 0 {
				unix.Close(fd)
			}
			return err
		})
		for _, s := range shmImpls {
			fd, err := s.ShmOpen(c.name, unix.O_RDONLY, 0)
			if err != nil {
				t.Errorf("%s: ShmOpen(%q, O_RDONLY) = %v; glibc opens %s", s.name, c.name, err, c.dir)
				continue
			}
			var st unix.Stat_t
			if err := unix.Fstat(fd, &st); err != nil {
				t.Fatal(err)
			}
			unix.Close(fd)
			if st.Dev != want.Dev || st.Ino != want.Ino {
				t.Errorf("%s: ShmOpen(%q) opened inode %d, want %s (%d)", s.name, c.name, st.Ino, c.dir, want.Ino)
			}
		}
	}
}

// shmObject creates a fresh object of size bytes with side s and returns
// its name and a read-write descriptor; both go when the test ends.
func shmObject(t *testing.T, s shmImpl, size int64) (string, int) {
	t.Helper()
	name := shmUniqueName(t, "shm", 0)
	fd, err := s.ShmOpen(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL, 0600)
	if err != nil {
		t.Fatalf("%s: ShmOpen: %v", s.name, err)
	}
	shmCloseAtEnd(t, fd)
	if err := s.Ftruncate(fd, size); err != nil {
		t.Fatalf("%s: Ftruncate: %v", s.name, err)
	}
	return name, fd
}

// TestShmErrors runs the errno cases of shm_open, ftruncate, mmap and
// munmap on both sides.
func TestShmErrors(t *testing.T) {
	// Each f gets its own object from its own side.
	cases := []struct {
		label string
		want  unix.Errno
		f     func(t *testing.T, s shmImpl) error
	}{
		{"shm_open O_CREAT|O_EXCL on an existing object", unix.EEXIST, func(t *testing.T, s shmImpl) error {
			name, _ := shmObject(t, s, 0)
			fd, err := s.ShmOpen(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL, 0600)
			if fd >= 0 {
				shmCloseAtEnd(t, fd)
			}
			return err
		}},
		{"shm_open without O_CREAT on a missing object", unix.ENOENT, func(t *testing.T, s shmImpl) error {
			_, err := s.ShmOpen(shmUniqueName(t, "missing", 0), unix.O_RDWR, 0)
			return err
		}},
		{"shm_unlink twice", unix.ENOENT, func(t *testing.T, s shmImpl) error {
			name, _ := shmObject(t, s, 0)
			if err := s.ShmUnlink(name); err != nil {
				t.Fatal(err)
			}
			return s.ShmUnlink(name)
		}},
		{"ftruncate on a read-only descriptor", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			name, _ := shmObject(t, s, 0)
			ro, err := s.ShmOpen(name, unix.O_RDONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			shmCloseAtEnd(t, ro)
			return s.Ftruncate(ro, 4096)
		}},
		{"ftruncate to a negative length", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			_, fd := shmObject(t, s, 0)
			return s.Ftruncate(fd, -1)
		}},
		{"ftruncate on a bad descriptor", unix.EBADF, func(t *testing.T, s shmImpl) error {
			return s.Ftruncate(-1, 0)
		}},
		{"mmap of length 0", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			_, fd := shmObject(t, s, 4096)
			_, err := s.Mmap(fd, 0, 0, unix.PROT_READ, unix.MAP_SHARED)
			return err
		}},
		{"mmap of a negative length (a huge size_t)", unix.ENOMEM, func(t *testing.T, s shmImpl) error {
			_, fd := shmObject(t, s, 4096)
			_, err := s.Mmap(fd, 0, -1, unix.PROT_READ, unix.MAP_SHARED)
			return err
		}},
		{"mmap of a bad descriptor", unix.EBADF, func(t *testing.T, s shmImpl) error {
			_, err := s.Mmap(-1, 0, 4096, unix.PROT_READ, unix.MAP_SHARED)
			return err
		}},
		{"mmap PROT_WRITE MAP_SHARED of a read-only descriptor", unix.EACCES, func(t *testing.T, s shmImpl) error {
			name, _ := shmObject(t, s, 4096)
			ro, err := s.ShmOpen(name, unix.O_RDONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			shmCloseAtEnd(t, ro)
			_, err = s.Mmap(ro, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
			return err
		}},
		{"mmap at an offset that is not page aligned", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			_, fd := shmObject(t, s, 8192)
			_, err := s.Mmap(fd, 1, 4096, unix.PROT_READ, unix.MAP_SHARED)
			return err
		}},
		{"mmap without MAP_SHARED or MAP_PRIVATE", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			_, fd := shmObject(t, s, 4096)
			_, err := s.Mmap(fd, 0, 4096, unix.PROT_READ, 0)
			return err
		}},
		{"munmap of an empty slice", unix.EINVAL, func(t *testing.T, s shmImpl) error {
			return s.Munmap(nil)
		}},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			shmSameOnBoth(t, c.label, c.want, c.f)
		})
	}
}

// TestShmOpenFlags checks what both sides add to oflag and what mode the
// object gets: close-on-exec on the descriptor, mode & ~umask.
func TestShmOpenFlags(t *testing.T) {
	old := unix.Umask(0022)
	unix.Umask(old)
	for _, s := range shmImpls {
		name, fd := shmObject(t, s, 0)
		flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
		if err != nil {
			t.Fatal(err)
		}
		if flags&unix.FD_CLOEXEC == 0 {
			t.Errorf("%s: ShmOpen gave a descriptor without FD_CLOEXEC", s.name)
		}
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			t.Fatal(err)
		}
		if got, want := st.Mode&0777, uint32(0600)&^uint32(old); got != want {
			t.Errorf("%s: mode %o, want %o", s.name, got, want)
		}
		if err := s.ShmUnlink(name); err != nil {
			t.Error(err)
		}
	}
}

// TestShmSharedBetweenSides maps one object on both sides in this process:
// what one writes, the other reads, and a read-only mapping works.
func TestShmSharedBetweenSides(t *testing.T) {
	for _, w := range shmImpls {
		r := shmC
		if w.name == "c" {
			r = shmGo
		}
		name, fd := shmObject(t, w, 4096)
		wm, err := w.Mmap(fd, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		if err != nil {
			t.Fatal(err)
		}
		rfd, err := r.ShmOpen(name, unix.O_RDONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		shmCloseAtEnd(t, rfd)
		rm, err := r.Mmap(rfd, 0, 4096, unix.PROT_READ, unix.MAP_SHARED)
		if err != nil {
			t.Fatal(err)
		}
		msg := "written by " + w.name
		copy(wm, msg+"\x00")
		if got := string(rm[:len(msg)]); got != msg {
			t.Errorf("%s reads %q, want %q", r.name, got, msg)
		}
		for _, m := range []struct {
			s shmImpl
			b []byte
		}{{w, wm}, {r, rm}} {
			if err := m.s.Munmap(m.b); err != nil {
				t.Errorf("%s: Munmap: %v", m.s.name, err)
			}
		}
		if err := r.ShmUnlink(name); err != nil {
			t.Error(err)
		}
	}
}
