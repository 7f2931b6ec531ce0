//go:build linux

package bench

// Kind is what a bench measures.
type Kind int

const (
	// Latency benches time round trips between two processes and give
	// their median (p50) and 99th percentile (p99).
	Latency Kind = iota
	// Throughput benches give bytes per second.
	Throughput
	// CallCost benches give nanoseconds per call.
	CallCost
)

// Spec is one bench of ipcbench.
type Spec struct {
	Name      string // ipcbench's BENCH, e.g. "pipe-lat"
	Mechanism string // pipe, fifo, mq, unix, tcp, shm, call
	Kind      Kind
	About     string // what the figure is, e.g. "round trip, 64 B"
	Iters     int    // ITERS of a full run
	Quick     int    // ITERS with --quick
	Size      int    // SIZE (0: ipcbench's default for the bench)
	// Target is the least Go/C ratio for throughput and the one-byte
	// loop; for latency the greatest Go/C ratio of the median (p99: see
	// P99Target). 0: no target.
	Target    float64
	P99Target float64
	// Calls is how many system calls the two processes make together per
	// round trip (latency) or per byte (throughput) in the timed loop, as
	// the loops are written; for the floor (see Floor). 0 where the count
	// depends on timing (a spinning or semaphore wait) or there is no call.
	Calls float64
}

// The targets of the benchmark issue, with both processes on one CPU.
const (
	TargetThroughput = 0.95
	TargetP50        = 1.05
	TargetP99        = 1.5
	TargetByteLoop   = 0.8
)

// Specs is every bench, in the report's order. Calls: a round trip is a
// write and a read in each process; a stream's 64 KiB write is read in one
// read at best (more when the kernel splits it: the floor is then a little
// high); the one-byte loop reads and writes each byte in the child.
var Specs = []Spec{
	{"pipe-lat", "pipe", Latency, "round trip, 64 B", 20000, 20, 0, TargetP50, TargetP99, 4},
	{"pipe-tput", "pipe", Throughput, "one way, 64 KiB writes", 8192, 4, 0, TargetThroughput, 0, 2.0 / 65536},
	{"pipe-byte", "pipe", Throughput, "the notes' one-byte copy loop", 500000, 200, 0, TargetByteLoop, 0, 2},
	{"fifo-lat", "fifo", Latency, "round trip, 64 B", 20000, 20, 0, TargetP50, TargetP99, 4},
	{"fifo-tput", "fifo", Throughput, "one way, 64 KiB writes", 8192, 4, 0, TargetThroughput, 0, 2.0 / 65536},
	{"mq-lat", "mq", Latency, "round trip, 64 B", 20000, 20, 0, TargetP50, TargetP99, 4},
	{"mq-tput", "mq", Throughput, "one way, 8 KiB messages", 65536, 8, 0, TargetThroughput, 0, 2.0 / 8192},
	{"unix-lat", "unix", Latency, "round trip, 64 B", 20000, 20, 0, TargetP50, TargetP99, 4},
	{"unix-tput", "unix", Throughput, "one way, 64 KiB writes", 8192, 4, 0, TargetThroughput, 0, 2.0 / 65536},
	{"tcp-lat", "tcp", Latency, "round trip, 64 B", 20000, 20, 0, TargetP50, TargetP99, 4},
	{"tcp-tput", "tcp", Throughput, "one way, 64 KiB writes", 8192, 4, 0, TargetThroughput, 0, 2.0 / 65536},
	{"shmsem-lat", "shm", Latency, "semaphores: round trip, 64 B", 20000, 20, 0, TargetP50, TargetP99, 0},
	{"shmsem-tput", "shm", Throughput, "semaphores: one way, 64 KiB blocks", 16384, 4, 0, TargetThroughput, 0, 0},
	{"shmspin-lat", "shm", Latency, "spinning flag: round trip, 64 B", 20000, 20, 0, TargetP50, TargetP99, 0},
	{"shmspin-tput", "shm", Throughput, "spinning flag: one way, 64 KiB blocks", 16384, 4, 0, TargetThroughput, 0, 0},
	// Three sizes: Go's memmove takes non-temporal stores from 1 MiB on,
	// glibc's memcpy from a threshold set by the cache size.
	{"shm-copy", "shm", Throughput, "copy into the mapped region, 64 KiB", 80000, 4, 65536, TargetThroughput, 0, 0},
	{"shm-copy", "shm", Throughput, "copy into the mapped region, 1 MiB", 5000, 2, 1 << 20, TargetThroughput, 0, 0},
	{"shm-copy", "shm", Throughput, "copy into the mapped region, 16 MiB", 150, 1, 16 << 20, TargetThroughput, 0, 0},
	{"call", "call", CallCost, "one call: C call, cgo call, Go call", 10000000, 1000, 0, 0, 0, 0},
	{"syscall", "call", CallCost, "write(2) of 1 byte to /dev/null", 1000000, 100, 0, 0, 0, 0},
	// The same call, made by Go with unix.RawSyscall: what the runtime's
	// bookkeeping around a system call costs (no way for a call that may
	// block).
	{"syscall-raw", "call", CallCost, "the same, Go by RawSyscall", 1000000, 100, 0, 0, 0, 0},
}

// Mechanisms are the names that select benches, in order.
func Mechanisms() []string {
	var out []string
	for _, s := range Specs {
		if len(out) == 0 || out[len(out)-1] != s.Mechanism {
			out = append(out, s.Mechanism)
		}
	}
	return out
}

// Select gives the specs of the named mechanisms (all for none), or the
// first unknown name.
func Select(names ...string) ([]Spec, string) {
	if len(names) == 0 {
		return Specs, ""
	}
	want := map[string]bool{}
	for _, n := range names {
		found := false
		for _, s := range Specs {
			if s.Mechanism == n || s.Name == n {
				found = true
			}
		}
		if !found {
			return nil, n
		}
		want[n] = true
	}
	var out []Spec
	for _, s := range Specs {
		if want[s.Mechanism] || want[s.Name] {
			out = append(out, s)
		}
	}
	return out, ""
}
