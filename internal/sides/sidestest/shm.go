//go:build linux

package sidestest

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// TestShm runs the shared-memory cases on api: glibc 2.36's name rules,
// "." and "..", the errno cases, two mappings of one object, each in a
// parallel subtest, and, inline, the descriptor flags and mode (it reads
// the umask).
func TestShm(t *testing.T, api sides.API) {
	t.Run("open-flags", func(t *testing.T) { shmOpenFlags(t, api) })
	t.Run("names", func(t *testing.T) { t.Parallel(); shmNames(t, api) })
	t.Run("open-dot-dot", func(t *testing.T) { t.Parallel(); shmOpenDotDot(t, api) })
	t.Run("map-twice", func(t *testing.T) { t.Parallel(); shmMapTwice(t, api) })
	for _, c := range shmErrorCases {
		t.Run("errno/"+c.label, func(t *testing.T) {
			t.Parallel()
			checkErrno(t, api.Name+": "+c.label, c.f(t, api.Shm), c.want)
		})
	}
}

// shmNames runs glibc 2.36's name rules for shm_open and shm_unlink. The
// expected values are what glibc 2.36 gives on Debian 12 (checked with a
// C program, and through cgo by cipc's tests).
func shmNames(t *testing.T, api sides.API) {
	const nameMax = unix.NAME_MAX
	type tc struct {
		label     string
		name      func(t *testing.T) string // a fresh name
		openErr   unix.Errno                // shm_open(O_RDWR|O_CREAT|O_EXCL, 0600)
		unlinkErr unix.Errno                // shm_unlink after it
	}
	fixed := func(s string) func(*testing.T) string { return func(*testing.T) string { return s } }
	fresh := func(prefix string) func(*testing.T) string {
		return func(t *testing.T) string { return prefix + uniqueName(t, "n", 0)[1:] }
	}
	long := func(n int) func(*testing.T) string {
		return func(t *testing.T) string { return uniqueName(t, "long", n) }
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
		// shmOpenDotDot); unlink gives EISDIR.
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
	s := api.Shm
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			name := c.name(t)
			fd, err := s.Open(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL, 0600)
			if fd >= 0 {
				closeAtEnd(t, fd)
			}
			if got := errno(t, err); got != c.openErr {
				t.Errorf("%s: ShmOpen(%.40q) = %d, %s; want %s", api.Name, name, fd, errnoName(got), errnoName(c.openErr))
			}
			if err == nil {
				if fd < 0 {
					t.Errorf("%s: ShmOpen gave fd %d with no error", api.Name, fd)
				}
				path := "/dev/shm/" + strings.TrimLeft(name, "/")
				var st unix.Stat_t
				if err := unix.Stat(path, &st); err != nil {
					t.Errorf("%s: ShmOpen(%.40q) made no %.60s: %v", api.Name, name, path, err)
				}
			} else if fd != -1 {
				t.Errorf("%s: ShmOpen failed with fd %d, want -1", api.Name, fd)
			}
			if got := errno(t, s.Unlink(name)); got != c.unlinkErr {
				t.Errorf("%s: ShmUnlink(%.40q) = %s; want %s", api.Name, name, errnoName(got), errnoName(c.unlinkErr))
			}
		})
	}
}

// shmOpenDotDot shows that glibc does not keep "." and ".." in /dev/shm:
// opened read-only they give /dev/shm and /dev; opened for writing, the
// kernel's EISDIR becomes EINVAL.
func shmOpenDotDot(t *testing.T, api sides.API) {
	for _, c := range []struct{ name, dir string }{{".", "/dev/shm"}, {"..", "/dev"}, {"//..", "/dev"}} {
		var want unix.Stat_t
		if err := unix.Stat(c.dir, &want); err != nil {
			t.Fatal(err)
		}
		fd, err := api.Shm.Open(c.name, unix.O_RDWR, 0)
		if fd >= 0 {
			unix.Close(fd)
		}
		checkErrno(t, api.Name+": ShmOpen("+c.name+", O_RDWR)", err, unix.EINVAL)
		fd, err = api.Shm.Open(c.name, unix.O_RDONLY, 0)
		if err != nil {
			t.Errorf("%s: ShmOpen(%q, O_RDONLY) = %v; glibc opens %s", api.Name, c.name, err, c.dir)
			continue
		}
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			t.Fatal(err)
		}
		unix.Close(fd)
		if st.Dev != want.Dev || st.Ino != want.Ino {
			t.Errorf("%s: ShmOpen(%q) opened inode %d, want %s (%d)", api.Name, c.name, st.Ino, c.dir, want.Ino)
		}
	}
}

// ShmObject creates a fresh object of size bytes with s and returns its
// name and a read-write descriptor; both go when the test ends.
func ShmObject(t *testing.T, s sides.Shm, size int64) (string, int) {
	t.Helper()
	name := uniqueName(t, "shm", 0)
	fd, err := s.Open(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL, 0600)
	if err != nil {
		t.Fatalf("ShmOpen: %v", err)
	}
	closeAtEnd(t, fd)
	if err := s.Ftruncate(fd, size); err != nil {
		t.Fatalf("Ftruncate: %v", err)
	}
	return name, fd
}

// shmReadOnly creates a fresh object of size bytes and opens it again
// read-only; the descriptors are closed when the test ends.
func shmReadOnly(t *testing.T, s sides.Shm, size int64) int {
	t.Helper()
	name, _ := ShmObject(t, s, size)
	ro, err := s.Open(name, unix.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	closeAtEnd(t, ro)
	return ro
}

// shmMmapCase is a case that maps a fresh object of size bytes at offset
// for length bytes with prot and flags.
func shmMmapCase(size, offset int64, length, prot, flags int) func(t *testing.T, s sides.Shm) error {
	return func(t *testing.T, s sides.Shm) error {
		_, fd := ShmObject(t, s, size)
		_, err := s.Mmap(fd, offset, length, prot, flags)
		return err
	}
}

// shmErrorCases are the errno cases of shm_open, ftruncate, mmap and
// munmap; each f gets its own object.
var shmErrorCases = []struct {
	label string
	want  unix.Errno
	f     func(t *testing.T, s sides.Shm) error
}{
	{"shm_open O_CREAT|O_EXCL on an existing object", unix.EEXIST, func(t *testing.T, s sides.Shm) error {
		name, _ := ShmObject(t, s, 0)
		fd, err := s.Open(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL, 0600)
		if fd >= 0 {
			closeAtEnd(t, fd)
		}
		return err
	}},
	{"shm_open without O_CREAT on a missing object", unix.ENOENT, func(t *testing.T, s sides.Shm) error {
		_, err := s.Open(uniqueName(t, "missing", 0), unix.O_RDWR, 0)
		return err
	}},
	{"shm_unlink twice", unix.ENOENT, func(t *testing.T, s sides.Shm) error {
		name, _ := ShmObject(t, s, 0)
		if err := s.Unlink(name); err != nil {
			t.Fatal(err)
		}
		return s.Unlink(name)
	}},
	{"ftruncate on a read-only descriptor", unix.EINVAL, func(t *testing.T, s sides.Shm) error {
		return s.Ftruncate(shmReadOnly(t, s, 0), 4096)
	}},
	{"ftruncate to a negative length", unix.EINVAL, func(t *testing.T, s sides.Shm) error {
		_, fd := ShmObject(t, s, 0)
		return s.Ftruncate(fd, -1)
	}},
	{"ftruncate on a bad descriptor", unix.EBADF, func(t *testing.T, s sides.Shm) error {
		return s.Ftruncate(-1, 0)
	}},
	{"mmap of length 0", unix.EINVAL, shmMmapCase(4096, 0, 0, unix.PROT_READ, unix.MAP_SHARED)},
	{"mmap of a negative length (a huge size_t)", unix.ENOMEM, shmMmapCase(4096, 0, -1, unix.PROT_READ, unix.MAP_SHARED)},
	{"mmap of a bad descriptor", unix.EBADF, func(t *testing.T, s sides.Shm) error {
		_, err := s.Mmap(-1, 0, 4096, unix.PROT_READ, unix.MAP_SHARED)
		return err
	}},
	{"mmap PROT_WRITE MAP_SHARED of a read-only descriptor", unix.EACCES, func(t *testing.T, s sides.Shm) error {
		_, err := s.Mmap(shmReadOnly(t, s, 4096), 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		return err
	}},
	{"mmap at an offset that is not page aligned", unix.EINVAL, shmMmapCase(8192, 1, 4096, unix.PROT_READ, unix.MAP_SHARED)},
	{"mmap without MAP_SHARED or MAP_PRIVATE", unix.EINVAL, shmMmapCase(4096, 0, 4096, unix.PROT_READ, 0)},
	{"munmap of an empty slice", unix.EINVAL, func(t *testing.T, s sides.Shm) error {
		return s.Munmap(nil)
	}},
}

// shmOpenFlags checks what shm_open adds to oflag and what mode the object
// gets: close-on-exec on the descriptor, mode & ~umask. It reads the umask
// by setting it, so it must not run in parallel.
func shmOpenFlags(t *testing.T, api sides.API) {
	old := unix.Umask(0022)
	unix.Umask(old)
	name, fd := ShmObject(t, api.Shm, 0)
	flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	if err != nil {
		t.Fatal(err)
	}
	if flags&unix.FD_CLOEXEC == 0 {
		t.Errorf("%s: ShmOpen gave a descriptor without FD_CLOEXEC", api.Name)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		t.Fatal(err)
	}
	if got, want := st.Mode&0777, uint32(0600)&^uint32(old); got != want {
		t.Errorf("%s: mode %o, want %o", api.Name, got, want)
	}
	if err := api.Shm.Unlink(name); err != nil {
		t.Error(err)
	}
}

// shmMapTwice maps one object twice: writes through one mapping show in
// the other, and Munmap takes part of a mapping, as munmap(2) does.
func shmMapTwice(t *testing.T, api sides.API) {
	s := api.Shm
	_, fd := ShmObject(t, s, 8192)
	a, err := s.Mmap(fd, 0, 8192, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Mmap(fd, 4096, 4096, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	copy(a[4096:], "hello")
	if got := string(b[:5]); got != "hello" {
		t.Errorf("%s: second mapping reads %q", api.Name, got)
	}
	if err := s.Munmap(a[4096:]); err != nil {
		t.Errorf("%s: Munmap of the second page: %v", api.Name, err)
	}
	if err := s.Munmap(a[:4096]); err != nil {
		t.Errorf("%s: Munmap of the first page: %v", api.Name, err)
	}
	if err := s.Munmap(b); err != nil {
		t.Error(err)
	}
}
