//go:build linux

package runner

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// OtherUser is the user (and group) that a step with AsOtherUser runs as:
// nobody, a user of its own that owns nothing in the run.
const OtherUser = 65534

// asOtherUser returns argv run as OtherUser, through util-linux's setpriv
// (real, effective and saved user and group, no supplementary groups). A
// run whose user namespace has no such user (a sandbox made by a runner
// that is not root maps root alone) cannot: that is an error, never a
// step that quietly runs as root.
func asOtherUser(argv []string) ([]string, error) {
	if !uidMapped(OtherUser) {
		return nil, fmt.Errorf("runs as user %d, which exists only in a sandbox made by root (or a run without one, as root)", OtherUser)
	}
	setpriv, err := lookPath("setpriv")
	if err != nil {
		return nil, fmt.Errorf("runs as user %d with setpriv (util-linux): %w", OtherUser, err)
	}
	id := strconv.Itoa(OtherUser)
	return append([]string{setpriv, "--reuid=" + id, "--regid=" + id, "--clear-groups", "--"}, argv...), nil
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
