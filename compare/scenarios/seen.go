//go:build linux

package scenarios

import (
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

// describeFile says what kind of file path is, with its permission bits,
// owner and, for a regular file, size (runner.Attrs): "socket
// server_socket mode 0755 uid 0 gid 0", "file $IPC_NAME mode 0600 uid 0
// gid 0 size 100". shown is the path as the outcome writes it; a path
// that does not exist is "no shown".
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
	return kind + " " + shown + " " + runner.Attrs(&st)
}
