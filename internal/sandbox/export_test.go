//go:build linux

package sandbox

import "time"

// SetJoinDelay holds every init that long out of its pids cgroup.
func SetJoinDelay(d time.Duration) { joinDelay = d }
