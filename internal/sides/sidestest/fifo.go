//go:build linux

package sidestest

import (
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// TestFIFO runs the FIFO cases on api: inline, mkfifo under a umask (it
// sets the umask), then the errno cases, each in a parallel subtest.
func TestFIFO(t *testing.T, api sides.API) {
	t.Run("mkfifo-umask", func(t *testing.T) {
		s := api.FIFO
		path := filepath.Join(t.TempDir(), "fifo")
		old := s.Umask(0027)
		err := s.Mkfifo(path, 0666)
		if got := s.Umask(old); got != 0027 {
			t.Errorf("%s: umask gave %#o back, want 027", api.Name, got)
		}
		if err != nil {
			t.Fatal(err)
		}
		var st unix.Stat_t
		if err := unix.Stat(path, &st); err != nil {
			t.Fatal(err)
		}
		if st.Mode&unix.S_IFMT != unix.S_IFIFO || st.Mode&0777 != 0640 {
			t.Errorf("%s: mode %#o, want a FIFO with 0640 (0666 & ~027)", api.Name, st.Mode)
		}
	})
	runCases(t, api.Name, api, fifoCases)
}

// fifoAt makes a FIFO in a fresh directory and returns its path.
func fifoAt(t *testing.T, s sides.FIFO) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fifo")
	if err := s.Mkfifo(path, 0600); err != nil {
		t.Fatal(err)
	}
	return path
}

var fifoCases = []fdCase[sides.API]{
	{"mkfifo/existing", unix.EEXIST, func(t *testing.T, api sides.API) error {
		return api.FIFO.Mkfifo(fifoAt(t, api.FIFO), 0600)
	}},
	{"mkfifo/missing-directory", unix.ENOENT, func(t *testing.T, api sides.API) error {
		return api.FIFO.Mkfifo(filepath.Join(t.TempDir(), "no", "fifo"), 0600)
	}},
	{"open/O_WRONLY|O_NONBLOCK-no-reader", unix.ENXIO, func(t *testing.T, api sides.API) error {
		fd, err := api.FIFO.Open(fifoAt(t, api.FIFO), unix.O_WRONLY|unix.O_NONBLOCK, 0)
		if err == nil {
			closeAtEnd(t, fd)
		}
		return err
	}},
	{"open/missing", unix.ENOENT, func(t *testing.T, api sides.API) error {
		_, err := api.FIFO.Open(filepath.Join(t.TempDir(), "none"), unix.O_RDONLY, 0)
		return err
	}},
	{"open/round-trip", 0, func(t *testing.T, api sides.API) error {
		path := fifoAt(t, api.FIFO)
		r, err := api.FIFO.Open(path, unix.O_RDONLY|unix.O_NONBLOCK, 0)
		if err != nil {
			return err
		}
		closeAtEnd(t, r)
		w, err := api.FIFO.Open(path, unix.O_WRONLY|unix.O_NONBLOCK, 0)
		if err != nil {
			return err
		}
		closeAtEnd(t, w)
		if n, err := api.Pipe.Write(w, []byte("fifo")); n != 4 || err != nil {
			t.Fatalf("write = %d, %v", n, err)
		}
		buf := make([]byte, 8)
		n, err := api.Pipe.Read(r, buf)
		if string(buf[:max(n, 0)]) != "fifo" {
			t.Errorf("read %q, want \"fifo\"", buf[:max(n, 0)])
		}
		return err
	}},
	{"unlink/existing", 0, func(t *testing.T, api sides.API) error {
		return api.FIFO.Unlink(fifoAt(t, api.FIFO))
	}},
	{"unlink/missing", unix.ENOENT, func(t *testing.T, api sides.API) error {
		return api.FIFO.Unlink(filepath.Join(t.TempDir(), "none"))
	}},
	{"unlink/directory", unix.EISDIR, func(t *testing.T, api sides.API) error {
		return api.FIFO.Unlink(t.TempDir())
	}},
}
