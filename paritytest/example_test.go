//go:build linux

package paritytest_test

import (
	"fmt"
	"strings"
)

// A port's module verifies its port of pipe with a test file that holds,
// besides its imports, these three lines (here in testdata/userport, a
// module of its own, with the port's path in PORT: this module's Go form):
//
//	func TestMain(m *testing.M) { paritytest.Main(m) }
//
//	func TestPort(t *testing.T) { paritytest.Verify(t, "pipe", os.Getenv("PORT")) }
//
// go test -run 'TestPort/pipe/(default|stdout-broken-long)$' runs two of
// pipe's scenarios, each a subtest, with the port in place of C's pipe.
func Example() {
	events, err := userPort() // go test -json -run ... in testdata/userport
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println(strings.Join(verdicts(events, "TestPort"), "\n"))
	// Output:
	// pass TestPort
	// pass TestPort/pipe/default
	// pass TestPort/pipe/stdout-broken-long
}
