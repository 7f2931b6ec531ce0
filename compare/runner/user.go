//go:build linux

package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// OtherUser is the user (and group) that a step with AsOtherUser runs as:
// nobody, a user of its own that owns nothing in the run.
const OtherUser = 65534

// asOtherUser returns argv run as OtherUser, through util-linux's setpriv
// (real, effective and saved user and group, no supplementary groups). A
// run whose user namespace has no such user (a sandbox made by a runner
// that is not root maps root alone) cannot: that is an error, never a
// step that quietly runs as root. So is a program that OtherUser could not
// execute (a binary below a private home directory): every form would
// fail alike, and the scenario would agree on nothing.
func asOtherUser(argv []string) ([]string, error) {
	if !uidMapped(OtherUser) {
		return nil, fmt.Errorf("runs as user %d, which exists only in a sandbox made by root (or a run without one, as root)", OtherUser)
	}
	for _, a := range argv {
		if filepath.IsAbs(a) {
			if err := othersCanExec(a); err != nil {
				return nil, fmt.Errorf("runs as user %d, who cannot use %s: %w", OtherUser, a, err)
			}
		}
	}
	setpriv, err := lookPath("setpriv")
	if err != nil {
		return nil, fmt.Errorf("runs as user %d with setpriv (util-linux): %w", OtherUser, err)
	}
	id := strconv.Itoa(OtherUser)
	return append([]string{setpriv, "--reuid=" + id, "--regid=" + id, "--clear-groups", "--"}, argv...), nil
}

// othersCanExec checks that a user who owns nothing can reach path and,
// when it is a file, execute it: x for others on every directory above
// it and on the file. A path that does not exist is not a program.
func othersCanExec(path string) error {
	var st unix.Stat_t
	if unix.Stat(path, &st) != nil {
		return nil
	}
	if st.Mode&unix.S_IFMT == unix.S_IFREG && st.Mode&0o001 == 0 {
		return fmt.Errorf("mode %04o", st.Mode&0o7777)
	}
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		if unix.Stat(dir, &st) == nil && st.Mode&0o001 == 0 {
			return fmt.Errorf("directory %s has mode %04o", dir, st.Mode&0o7777)
		}
		if dir == "/" || dir == "." {
			return nil
		}
	}
}

// uidMapped reports whether this process can become uid: it is root in a
// user namespace that maps uid (the initial one maps every uid).
func uidMapped(uid int) bool {
	if os.Geteuid() != 0 {
		return false
	}
	m, err := os.ReadFile("/proc/self/uid_map")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(m), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		first, err1 := strconv.Atoi(f[0])
		n, err2 := strconv.Atoi(f[2])
		if err1 == nil && err2 == nil && uid >= first && uid-first < n {
			return true
		}
	}
	return false
}

// NeedsOtherUser reports whether a step of sc runs as OtherUser.
func (sc Scenario) NeedsOtherUser() bool {
	return slices.ContainsFunc(sc.Steps, func(st Step) bool { return st.AsOtherUser })
}

// OtherUserUnavailable says why this runner's runs cannot start a process
// as OtherUser, or "" when they can. As root they can: a sandbox made by
// root keeps the initial user namespace, and a run without one is the
// runner's. Otherwise the sandbox's user namespace maps the runner's user
// alone (a second uid would take newuidmap and /etc/subuid), and a run
// without one has no right to change its user.
func OtherUserUnavailable() string {
	if uidMapped(OtherUser) {
		return ""
	}
	return fmt.Sprintf("needs a second user (%d) to run as: this runner is uid %d, not root, and its sandbox maps that one user", OtherUser, os.Geteuid())
}

// Unavailable says why sc cannot run under this runner, or "" when it
// can: a scenario with a step as OtherUser, when OtherUserUnavailable.
func Unavailable(sc Scenario) string {
	if !sc.NeedsOtherUser() {
		return ""
	}
	return OtherUserUnavailable()
}
