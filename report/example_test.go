//go:build linux

package report_test

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/ipcparity/ipcparity/report"
)

// A port of the FIFO reader fails to open its FIFO and tells the runner
// why. In a real port the last line is report.Exit(1, err), which reports
// the errno and exits; here the example plays the runner too, and reads
// the side channel.
func Example() {
	// What the runner does: a pipe, whose write end the program finds in
	// IPCPARITY_REPORT_FD (3, as the runner sets it, in a real run).
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	os.Setenv(report.EnvFD, strconv.Itoa(int(w.Fd())))
	defer os.Unsetenv(report.EnvFD)

	// What the port does.
	_, err = os.Open("/nonexistent/named_pipe")
	if err != nil {
		fmt.Println("open:", err)
		report.Errno(err) // in main: report.Exit(1, err)
	}

	// What the runner reads.
	w.Close()
	line, _ := io.ReadAll(r)
	fmt.Printf("side channel: %s", line)
	// Output:
	// open: open /nonexistent/named_pipe: no such file or directory
	// side channel: {"errno":2}
}

// ErrnoName is how reports name an errno.
func ExampleErrnoName() {
	fmt.Println(report.ErrnoName(2), report.ErrnoName(9999))
	// Output: ENOENT errno 9999
}
