//go:build linux

package sidestest

import (
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// TestFiles runs the file and credential cases on api, each in a parallel
// subtest. None changes the process's credentials (the call scripts
// files_creds.calls and files_eacces.calls do, each in a process of its
// own): the credential cases are the ones that fail before any change.
//
// setgroups with too many groups is not among them: glibc makes every
// thread call it (through its SIGSETXID signal) and aborts the process
// when their results differ, and in the cipc test binary it did so in 2
// to 6 runs of 40, even run alone. goipc's own test checks its EINVAL.
func TestFiles(t *testing.T, api sides.API) {
	runCases(t, api.Name, api, filesCases)
}

// lstatMode is path's st_mode, failing the test when path is missing.
func lstatMode(t *testing.T, path string) uint32 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		t.Fatalf("lstat %s: %v", path, err)
	}
	return st.Mode
}

var filesCases = []fdCase[sides.API]{
	{"mkdir-chmod-rmdir", 0, func(t *testing.T, s sides.API) error {
		d := filepath.Join(t.TempDir(), "d")
		if err := s.Files.Mkdir(d, 0o700); err != nil {
			return err
		}
		checkErrno(t, "mkdir again", s.Files.Mkdir(d, 0o700), unix.EEXIST)
		if err := s.Files.Chmod(d, 0o750); err != nil {
			return err
		}
		if m := lstatMode(t, d); m != unix.S_IFDIR|0o750 {
			t.Errorf("mode %#o, want S_IFDIR|0750", m)
		}
		return s.Files.Rmdir(d)
	}},
	{"rmdir/not-empty", unix.ENOTEMPTY, func(t *testing.T, s sides.API) error {
		return s.Files.Rmdir(t.TempDir() + "/..")
	}},
	{"rmdir/dot", unix.EINVAL, func(t *testing.T, s sides.API) error {
		return s.Files.Rmdir(t.TempDir() + "/.")
	}},
	{"chown/missing", unix.ENOENT, func(t *testing.T, s sides.API) error {
		return s.Files.Chown(filepath.Join(t.TempDir(), "none"), -1, -1)
	}},
	{"symlink-followed-by-chmod", 0, func(t *testing.T, s sides.API) error {
		dir := t.TempDir()
		f, l := filepath.Join(dir, "f"), filepath.Join(dir, "l")
		if err := s.Files.Mknod(f, unix.S_IFREG|0o600, 0); err != nil {
			return err
		}
		if err := s.Files.Symlink("f", l); err != nil {
			return err
		}
		checkErrno(t, "symlink again", s.Files.Symlink("f", l), unix.EEXIST)
		if err := s.Files.Chmod(l, 0o640); err != nil {
			return err
		}
		if m := lstatMode(t, f); m != unix.S_IFREG|0o640 {
			t.Errorf("target's mode %#o, want S_IFREG|0640", m)
		}
		if m := lstatMode(t, l); m&unix.S_IFMT != unix.S_IFLNK {
			t.Errorf("link's mode %#o, want S_IFLNK", m)
		}
		return nil
	}},
	{"mknod/types", 0, func(t *testing.T, s sides.API) error {
		dir := t.TempDir()
		for _, typ := range []uint32{unix.S_IFREG, unix.S_IFIFO, unix.S_IFSOCK} {
			p := filepath.Join(dir, "n")
			if err := s.Files.Mknod(p, typ|0o600, 0); err != nil {
				return err
			}
			if m := lstatMode(t, p); m&unix.S_IFMT != typ {
				t.Errorf("mknod of type %#o made %#o", typ, m)
			}
			unix.Unlink(p)
		}
		return nil
	}},
	{"mknod/S_IFDIR", unix.EPERM, func(t *testing.T, s sides.API) error {
		return s.Files.Mknod(filepath.Join(t.TempDir(), "d"), unix.S_IFDIR|0o700, 0)
	}},
	{"mknod/dev-beyond-32-bits", unix.EINVAL, func(t *testing.T, s sides.API) error {
		return s.Files.Mknod(filepath.Join(t.TempDir(), "c"), unix.S_IFCHR|0o600, 1<<32)
	}},
	{"mknodat-openat/dirfd", 0, func(t *testing.T, s sides.API) error {
		d := mustFd(t, "open")(s.FIFO.Open(t.TempDir(), unix.O_RDONLY|unix.O_DIRECTORY, 0))
		if err := s.Files.Mknodat(d, "p", unix.S_IFIFO|0o600, 0); err != nil {
			return err
		}
		mustFd(t, "openat")(s.Files.Openat(d, "p", unix.O_RDWR|unix.O_NONBLOCK, 0))
		p := pipeOf(t, s.Pipe, 0)
		_, err := s.Files.Openat(p[0], "p", unix.O_RDONLY, 0)
		checkErrno(t, "openat from a pipe", err, unix.ENOTDIR)
		checkErrno(t, "mknodat from -1", s.Files.Mknodat(-1, "x", unix.S_IFIFO|0o600, 0), unix.EBADF)
		return nil
	}},
	{"seteuid/-1", unix.EINVAL, func(t *testing.T, s sides.API) error { return s.Files.Seteuid(-1) }},
	{"setegid/-1", unix.EINVAL, func(t *testing.T, s sides.API) error { return s.Files.Setegid(-1) }},
	{"umount2/not-mounted", unix.EINVAL, func(t *testing.T, s sides.API) error {
		return s.Files.Umount2(t.TempDir(), 0)
	}},
	{"mount/missing-source", unix.ENOENT, func(t *testing.T, s sides.API) error {
		dir := t.TempDir()
		return s.Files.Mount(filepath.Join(dir, "none"), dir, "", unix.MS_BIND, "")
	}},
}
