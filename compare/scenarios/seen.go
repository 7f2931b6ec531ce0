//go:build linux

package scenarios

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/ipcparity/ipcparity/compare/runner"

	"golang.org/x/sys/unix"
)

// A seenNotes holds, per run, what a scenario's Ready condition observed
// while the run's processes ran (the mode of an object that the programs
// remove before they end, say). Its probe adds the notes to the outcome:
// they are observations, not leftovers, and each starts with "seen: ".
type seenNotes struct {
	name  string
	notes sync.Map // *runner.Run → []string
}

// note replaces what the run has noted.
func (s *seenNotes) note(r *runner.Run, lines ...string) { s.notes.Store(r, lines) }

// probe adds the run's notes to its outcome.
func (s *seenNotes) probe() runner.Probe {
	return runner.Probe{
		Name: s.name,
		Find: func(r *runner.Run) []string {
			if v, ok := s.notes.Load(r); ok {
				return v.([]string)
			}
			return nil
		},
		Clean: func(r *runner.Run) { s.notes.Delete(r) },
	}
}

// describeFile says what kind of file path is, with its permission bits
// and, for a regular file, its size: "socket server_socket mode 0755",
// "file $IPC_NAME mode 0600 size 100". shown is the path as the outcome
// writes it; a path that does not exist is "no shown".
func describeFile(path, shown string) string {
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		return "no " + shown
	}
	kind := "file"
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFIFO:
		kind = "fifo"
	case unix.S_IFSOCK:
		kind = "socket"
	case unix.S_IFDIR:
		kind = "dir"
	case unix.S_IFLNK:
		kind = "symlink"
	}
	s := fmt.Sprintf("%s %s mode %04o", kind, shown, st.Mode&0o7777)
	if kind == "file" {
		s += fmt.Sprintf(" size %d", st.Size)
	}
	return s
}

// describeBytes quotes b, writing a run of NULs at its end as a count:
// "\"hello\" and 59 NUL".
func describeBytes(b []byte) string {
	text := bytes.TrimRight(b, "\x00")
	s := fmt.Sprintf("%q", text)
	if n := len(b) - len(text); n > 0 {
		s += fmt.Sprintf(" and %d NUL", n)
	}
	return s
}
