// Package scenarios is the catalogue of parity cases: for each mechanism
// (pipe, FIFO, message queue, shared memory, sockets) the processes to
// start, their arguments and input, when each may start, and what only the
// scenario knows to look for afterwards. Package compare's list of
// mechanisms names each mechanism's function here (Pipe, FIFO, ...);
// package runner carries a scenario out.
//
// Linux only.
package scenarios
