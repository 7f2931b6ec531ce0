//go:build linux

package goipc_test

// cipc/shm_test.go runs these cases, and more, against glibc through cgo
// and against goipc and compares the two; the tests here check goipc alone
// against the values glibc 2.36 gives, so that they run without cgo too.

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ipcparity/ipcparity/goipc"
	"golang.org/x/sys/unix"
)

var shmSeq atomic.Int64

// shmName gives a fresh name "/goipc-shm-PID-N-label", padded with 'a' to
// length bytes after the slash when length > 0, and removes /dev/shm/NAME
// and /dev/shm/sem.NAME when the test ends, whatever happened.
func shmName(t testing.TB, label string, length int) string {
	t.Helper()
	base := fmt.Sprintf("goipc-shm-%d-%d-%s", os.Getpid(), shmSeq.Add(1), label)
	if length > 0 {
		base += strings.Repeat("a", length-len(base))
	}
	t.Cleanup(func() {
		unix.Unlink("/dev/shm/" + base)
		unix.Unlink("/dev/shm/sem." + base)
	})
	return "/" + base
}

// shmErrno is err as an errno, 0 for nil; anything but a bare unix.Errno
// fails the test.
func shmErrno(t testing.TB, err error) unix.Errno {
	t.Helper()
	if err == nil {
		return 0
	}
	e, ok := err.(unix.Errno)
	if !ok {
		t.Fatalf("error %#v is not a bare unix.Errno", err)
	}
	return e
}

func shmErrnoName(e unix.Errno) string {
	if e == 0 {
		return "0"
	}
	return unix.ErrnoName(e)
}

// shmCreate creates a fresh object of size bytes and returns its name and
// a read-write descriptor, both gone when the test ends.
func shmCreate(t *testing.T, size int64) (string, int) {
	t.Helper()
	name := shmName(t, "obj", 0)
	fd, err := goipc.ShmOpen(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL, 0600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := goipc.Ftruncate(fd, size); err != nil {
		t.Fatal(err)
	}
	return name, fd
}

func TestShmOpenNames(t *testing.T) {
	fixed := func(s string) func(*testing.T) string { return func(*testing.T) string { return s } }
	long := func(n int) func(*testing.T) string {
		return func(t *testing.T) string { return shmName(t, "long", n) }
	}
	cases := []struct {
		label              string
		name               func(t *testing.T) string
		openErr, unlinkErr unix.Errno
	}{
		{"empty", fixed(""), unix.EINVAL, unix.ENOENT},
		{"/", fixed("/"), unix.EINVAL, unix.ENOENT},
		{"x", func(t *testing.T) string { return shmName(t, "x", 0)[1:] }, 0, 0},
		{"/x", func(t *testing.T) string { return shmName(t, "x", 0) }, 0, 0},
		{"//x", func(t *testing.T) string { return "/" + shmName(t, "x", 0) }, 0, 0},
		{"/a/b", fixed("/goipc-a/b"), unix.EINVAL, unix.ENOENT},
		{"/../x", fixed("/../goipc-x"), unix.EINVAL, unix.ENOENT},
		{".", fixed("."), unix.EEXIST, unix.EISDIR},
		{"NAME_MAX", long(255), 0, 0},
		{"NAME_MAX+1", long(256), unix.ENAMETOOLONG, unix.ENAMETOOLONG},
		{"NAME_MAX+4", long(259), unix.ENAMETOOLONG, unix.ENAMETOOLONG},
		{"NAME_MAX+5", long(260), unix.EINVAL, unix.ENOENT},
		{"NUL", fixed("/goipc\x00x"), unix.EINVAL, unix.EINVAL},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			name := c.name(t)
			fd, err := goipc.ShmOpen(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL, 0600)
			if fd >= 0 {
				unix.Close(fd)
			}
			if got := shmErrno(t, err); got != c.openErr {
				t.Errorf("ShmOpen(%.40q) = %s, want %s", name, shmErrnoName(got), shmErrnoName(c.openErr))
			}
			if got := shmErrno(t, goipc.ShmUnlink(name)); got != c.unlinkErr {
				t.Errorf("ShmUnlink(%.40q) = %s, want %s", name, shmErrnoName(got), shmErrnoName(c.unlinkErr))
			}
		})
	}
}

func TestShmErrnos(t *testing.T) {
	name, fd := shmCreate(t, 4096)
	ro, err := goipc.ShmOpen(name, unix.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(ro)
	cases := []struct {
		label string
		want  unix.Errno
		f     func() error
	}{
		{"shm_open O_CREAT|O_EXCL on an existing object", unix.EEXIST, func() error {
			_, err := goipc.ShmOpen(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL, 0600)
			return err
		}},
		{"shm_open of a directory for writing", unix.EINVAL, func() error {
			_, err := goipc.ShmOpen("..", unix.O_RDWR, 0)
			return err
		}},
		{"ftruncate read-only", unix.EINVAL, func() error { return goipc.Ftruncate(ro, 8192) }},
		{"ftruncate negative", unix.EINVAL, func() error { return goipc.Ftruncate(fd, -1) }},
		{"ftruncate bad fd", unix.EBADF, func() error { return goipc.Ftruncate(-1, 0) }},
		{"mmap length 0", unix.EINVAL, func() error {
			_, err := goipc.Mmap(fd, 0, 0, unix.PROT_READ, unix.MAP_SHARED)
			return err
		}},
		{"mmap bad fd", unix.EBADF, func() error {
			_, err := goipc.Mmap(-1, 0, 4096, unix.PROT_READ, unix.MAP_SHARED)
			return err
		}},
		{"mmap PROT_WRITE MAP_SHARED read-only", unix.EACCES, func() error {
			_, err := goipc.Mmap(ro, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
			return err
		}},
		{"munmap empty", unix.EINVAL, func() error { return goipc.Munmap(nil) }},
	}
	for _, c := range cases {
		if got := shmErrno(t, c.f()); got != c.want {
			t.Errorf("%s: %s, want %s", c.label, shmErrnoName(got), shmErrnoName(c.want))
		}
	}
	if err := goipc.ShmUnlink(name); err != nil {
		t.Fatal(err)
	}
	if got := shmErrno(t, goipc.ShmUnlink(name)); got != unix.ENOENT {
		t.Errorf("second ShmUnlink: %s, want ENOENT", shmErrnoName(got))
	}
}

// TestShmMapTwice maps one object twice: writes through one mapping show
// in the other, and Munmap takes part of a mapping, as munmap(2) does.
func TestShmMapTwice(t *testing.T) {
	_, fd := shmCreate(t, 8192)
	a, err := goipc.Mmap(fd, 0, 8192, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	b, err := goipc.Mmap(fd, 4096, 4096, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	copy(a[4096:], "hello")
	if got := string(b[:5]); got != "hello" {
		t.Errorf("second mapping reads %q", got)
	}
	if err := goipc.Munmap(a[4096:]); err != nil {
		t.Errorf("Munmap of the second page: %v", err)
	}
	if err := goipc.Munmap(a[:4096]); err != nil {
		t.Errorf("Munmap of the first page: %v", err)
	}
	if err := goipc.Munmap(b); err != nil {
		t.Error(err)
	}
}
