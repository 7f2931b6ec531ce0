//go:build linux

package compare

import "testing"

// TestMemCallScripts runs the scripts of the common table mem (BADPTR and
// NULL buffers on every mechanism, mmap at an address, peek and poke) on
// both sides. compare/callscript's TestMemWrongSides holds them to wrong
// sides they catch.
func TestMemCallScripts(t *testing.T) { t.Parallel(); checkScripts(t, "mem", 2) }
