//go:build linux

package compare

import "testing"

// The call scripts of the call groups (processes, limits, signals), each
// run on cipc and goipc. They mostly wait (timers, children's sleeps), so
// they run alongside the other parallel tests.
func TestProcCallScripts(t *testing.T)   { t.Parallel(); checkScripts(t, "proc", 3) }
func TestLimitsCallScripts(t *testing.T) { t.Parallel(); checkScripts(t, "limits", 3) }
func TestSignalCallScripts(t *testing.T) { t.Parallel(); checkScripts(t, "signal", 3) }
