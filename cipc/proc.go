//go:build linux

package cipc

/*
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

// cipc_fork_exec forks; the child makes out its standard output and execs
// path. The child is a copy of a multithreaded Go process with one thread,
// so until execve it makes only async-signal-safe calls, with every signal
// blocked, and gives the Go runtime's handlers back to the default first
// (as exec would, and as Go's own fork does).
static int cipc_fork_exec(const char *path, char *const argv[], char *const envp[], int out) {
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = fork();
    if(pid != 0) {
        int saved = errno;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        errno = saved;
        return pid;
    }
    for(int sig = 1; sig < NSIG; sig++) {
        struct sigaction sa;
        if(sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN && sa.sa_handler != SIG_DFL) {
            sa.sa_handler = SIG_DFL;
            sa.sa_flags = 0;
            sigaction(sig, &sa, NULL);
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if(out != 1 && dup2(out, 1) < 0)
        _exit(127);
    execve(path, argv, envp);
    _exit(127);
}

static int cipc_getrlimit(int resource, unsigned long long *cur, unsigned long long *max) {
    struct rlimit r;
    if(getrlimit(resource, &r) != 0)
        return -1;
    *cur = r.rlim_cur;
    *max = r.rlim_max;
    return 0;
}

static int cipc_setrlimit(int resource, unsigned long long cur, unsigned long long max) {
    struct rlimit r = {.rlim_cur = cur, .rlim_max = max};
    return setrlimit(resource, &r);
}
*/
import "C"

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// cStrings is v as a NULL-terminated array of C strings; free releases it.
func cStrings(v []string) (arr **C.char, free func()) {
	p := C.malloc(C.size_t(len(v)+1) * C.size_t(unsafe.Sizeof(uintptr(0))))
	s := unsafe.Slice((**C.char)(p), len(v)+1)
	for i, a := range v {
		s[i] = C.CString(a)
	}
	s[len(v)] = nil
	return (**C.char)(p), func() {
		for _, c := range s[:len(v)] {
			C.free(unsafe.Pointer(c))
		}
		C.free(p)
	}
}

// ForkExec calls fork(2) in glibc; the child dup2s stdout onto descriptor
// 1 and calls execve(2) with path, argv and env, keeping every other
// descriptor. A child whose exec fails leaves with status 127 (as a shell
// does), where goipc's ForkExec returns the exec's errno: the interpreter
// always execs its own binary, which is there.
func ForkExec(path string, argv, env []string, stdout int) (int, error) {
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cargv, freeArgv := cStrings(argv)
	defer freeArgv()
	cenv, freeEnv := cStrings(env)
	defer freeEnv()
	pid, err := C.cipc_fork_exec(cpath, cargv, cenv, C.int(stdout))
	if pid < 0 {
		return -1, err
	}
	return int(pid), nil
}

// Waitpid calls waitpid(3) in glibc; status, when not nil, gets the
// child's wait status.
func Waitpid(pid int, status *int, options int) (int, error) {
	var ws C.int
	r, err := C.waitpid(C.pid_t(pid), &ws, C.int(options))
	if r < 0 {
		return -1, err
	}
	if status != nil {
		*status = int(ws)
	}
	return int(r), nil
}

// Getpid calls getpid(2) in glibc.
func Getpid() int { return int(C.getpid()) }

// Getppid calls getppid(2) in glibc.
func Getppid() int { return int(C.getppid()) }

// Kill calls kill(2) in glibc.
func Kill(pid, sig int) error {
	if r, err := C.kill(C.pid_t(pid), C.int(sig)); r != 0 {
		return err
	}
	return nil
}

// Usleep calls usleep(3) in glibc, a nanosleep(2) that a handled signal
// ends with EINTR.
func Usleep(usec uint) error {
	if r, err := C.usleep(C.useconds_t(usec)); r != 0 {
		return err
	}
	return nil
}

// Getrlimit calls getrlimit(2) in glibc.
func Getrlimit(resource int, rlim *unix.Rlimit) error {
	var cur, max C.ulonglong
	if r, err := C.cipc_getrlimit(C.int(resource), &cur, &max); r != 0 {
		return err
	}
	rlim.Cur, rlim.Max = uint64(cur), uint64(max)
	return nil
}

// Setrlimit calls setrlimit(2) in glibc.
func Setrlimit(resource int, rlim *unix.Rlimit) error {
	if r, err := C.cipc_setrlimit(C.int(resource), C.ulonglong(rlim.Cur), C.ulonglong(rlim.Max)); r != 0 {
		return err
	}
	return nil
}
