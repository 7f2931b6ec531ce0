//go:build linux

package compare

import "testing"

// The call scripts of the call groups (processes, limits, signals), each
// run on cipc and goipc.
func TestProcCallScripts(t *testing.T)   { checkScripts(t, "proc", 3) }
func TestLimitsCallScripts(t *testing.T) { checkScripts(t, "limits", 3) }
func TestSignalCallScripts(t *testing.T) { checkScripts(t, "signal", 3) }
