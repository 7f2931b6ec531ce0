//go:build linux

// Command ipcbench is the pure-Go form of the benchmarks in
// c_reference/bench: every bench there, loop for loop, on the primitives of
// package goipc. The harness (ipcparity bench, package bench) runs it beside
// the C binary (bin/bench/ipcbench) and the cgo form (bin/cgo/ipcbench),
// which take the same command line:
//
//	ipcbench BENCH ITERS SIZE CPU DIR TOKEN
//
// and print the same one line of key=value pairs. A Go process cannot fork:
// where the C forks its peer, this binary starts itself again, with the
// peer's descriptors at 3 and up and its arguments in IPCBENCH_PEER, one a line.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// peerEnv marks the peer process and carries its arguments.
const peerEnv = "IPCBENCH_PEER"

// args are the command line of one run (struct bench_args in C).
type args struct {
	name  string
	iters int
	size  int
	cpu   int
	dir   string
	token string
}

// entry is one bench: the parent's side, the peer's side (nil for benches
// of one process), and the default SIZE.
type entry struct {
	run  func(a *args) error
	peer func(a *args, extra []string) error
	size int
}

var benches = map[string]entry{
	"pipe-lat":     {pipeLat, pipeLatPeer, 64},
	"pipe-tput":    {pipeTput, pipeTputPeer, 65536},
	"pipe-byte":    {pipeByte, pipeBytePeer, 65536},
	"fifo-lat":     {fifoLat, fifoPeer, 64},
	"fifo-tput":    {fifoTput, fifoPeer, 65536},
	"mq-lat":       {mqLat, mqPeer, 64},
	"mq-tput":      {mqTput, mqPeer, 8192},
	"unix-lat":     {unixLat, sockPeer, 64},
	"unix-tput":    {unixTput, sockPeer, 65536},
	"tcp-lat":      {tcpLat, sockPeer, 64},
	"tcp-tput":     {tcpTput, sockPeer, 65536},
	"shmsem-lat":   {shmsemLat, shmPeer, 64},
	"shmsem-tput":  {shmsemTput, shmPeer, 65536},
	"shmspin-lat":  {shmspinLat, shmPeer, 64},
	"shmspin-tput": {shmspinTput, shmPeer, 65536},
	"shm-copy":     {shmCopy, nil, 1 << 20},
	"call":         {callBench, nil, 0},
	"syscall":      {syscallBench, nil, 1},
	"syscall-raw":  {syscallRawBench, nil, 1},
}

func main() {
	if peer, ok := os.LookupEnv(peerEnv); ok {
		os.Exit(peerMain(strings.Split(peer, "\n")))
	}
	os.Exit(benchMain(os.Args))
}

// parseArgs reads BENCH ITERS SIZE CPU DIR TOKEN.
func parseArgs(v []string) (*args, entry, error) {
	if len(v) != 6 {
		return nil, entry{}, fmt.Errorf("usage: ipcbench BENCH ITERS SIZE CPU DIR TOKEN")
	}
	e, ok := benches[v[0]]
	if !ok {
		return nil, entry{}, fmt.Errorf("ipcbench: unknown bench %s", v[0])
	}
	a := &args{name: v[0], dir: v[4], token: v[5]}
	var err1, err2, err3 error
	a.iters, err1 = strconv.Atoi(v[1])
	a.size, err2 = strconv.Atoi(v[2])
	a.cpu, err3 = strconv.Atoi(v[3])
	if err1 != nil || err2 != nil || err3 != nil || a.iters <= 0 {
		return nil, entry{}, fmt.Errorf("ipcbench: ITERS must be positive, SIZE and CPU numbers")
	}
	if a.size <= 0 {
		a.size = e.size
	}
	return a, e, nil
}

func benchMain(argv []string) int {
	a, e, err := parseArgs(argv[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if err := setup(a.cpu); err != nil {
		return 1
	}
	if err := e.run(a); err != nil {
		return 1
	}
	return 0
}

// peerMain runs the peer side: the parent's arguments, then what the
// mechanism adds (a port, ...).
func peerMain(v []string) int {
	if len(v) < 6 {
		fmt.Fprintln(os.Stderr, "ipcbench: bad "+peerEnv)
		return 2
	}
	a, e, err := parseArgs(v[:6])
	if err != nil || e.peer == nil {
		fmt.Fprintln(os.Stderr, "ipcbench: bad "+peerEnv)
		return 2
	}
	if err := setup(a.cpu); err != nil {
		return 1
	}
	if err := e.peer(a, v[6:]); err != nil {
		return 1
	}
	return 0
}
