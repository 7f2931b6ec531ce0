// Package goidiom and its commands (goidiom/cmd/PROGRAM) are the fourth
// form of the reference programs of c_reference: pipe, fifo_reader,
// fifo_writer, mq_server, mq_client, shm_writer, shm_reader, sock_server
// and sock_client, written the way a Go programmer writes them rather than
// translated call for call as package goipc does.
//
// The rule: the standard library wherever it has the tool (os.Pipe and
// os/exec for the pipe, syscall.Mkfifo and os.OpenFile for the FIFO, net
// for the sockets, syscall.Mmap and os.File for the mapping, fmt and os for
// output), and package goipc only where it has nothing: POSIX message
// queues (mq_open and the others), shm_open and shm_unlink with glibc's
// name rules, and glibc's named semaphores (sem_open), which must work
// together with the C programs' semaphores. Package goipc also gives
// glibc's strerror texts, which the programs print as C's perror does.
//
// The commands behave as the C programs do (spec/programs.md): the same
// standard output and standard error (perror's texts with glibc's strerror),
// exit statuses, IPC_NAME handling, ready lines and leftovers, and they
// report the errno of the failing call to the ipcparity runner with package
// report, as the other forms do. Where the standard library truly behaves
// otherwise than C, the programs are not bent to hide it; ipcparity's known
// differences for Go say what they give instead:
//
//   - SIGPIPE: a write to a pipe or FIFO whose reader has gone fails with
//     EPIPE on descriptors other than 1 and 2, where C dies of SIGPIPE;
//   - output: os.Stdout is not buffered, so lines printed before a kill
//     are not lost as C's stdio buffer loses them;
//   - no fork: pipe's child is the program run again by os/exec;
//   - io.Copy reads up to 32 KiB at a time where the C reads one byte, so a
//     FIFO reader that dies may have taken more from its writer;
//   - the network poller: a server waiting for clients sleeps in
//     epoll_pwait, not poll, and a Unix-socket connect is non-blocking, so
//     a full backlog gives EAGAIN where C's connect waits.
//
// Linux only: every other file of the package, and every command, is built
// for Linux alone.
package goidiom
