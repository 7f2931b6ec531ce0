//go:build linux

package goipc_test

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// anonymousSem is a process-shared semaphore with value in an anonymous
// shared mapping, and the function that releases both.
func anonymousSem(value uint) (*goipc.Sem, []byte, func()) {
	mem, err := goipc.Mmap(-1, 0, goipc.SizeofSem, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		panic(err)
	}
	s, err := goipc.SemInit(mem, true, value)
	if err != nil {
		panic(err)
	}
	return s, mem, func() { goipc.SemDestroy(s); goipc.Munmap(mem) }
}

// Post adds a token; Getvalue counts them.
func ExampleSem_Post() {
	s, _, done := anonymousSem(0)
	defer done()
	s.Post()
	s.Post()
	v, _ := s.Getvalue()
	fmt.Println(v)
	// Output:
	// 2
}

// Wait takes a token, and sleeps while there is none: here until another
// goroutine posts one.
func ExampleSem_Wait() {
	s, _, done := anonymousSem(0)
	defer done()
	go func() {
		time.Sleep(10 * time.Millisecond)
		s.Post()
	}()
	fmt.Println(s.Wait())
	v, _ := s.Getvalue()
	fmt.Println(v)
	// Output:
	// <nil>
	// 0
}

// Trywait never sleeps: EAGAIN when there is no token.
func ExampleSem_Trywait() {
	s, _, done := anonymousSem(1)
	defer done()
	fmt.Println(s.Trywait())
	fmt.Println(s.Trywait() == unix.EAGAIN)
	// Output:
	// <nil>
	// true
}

// Timedwait gives ETIMEDOUT once the CLOCK_REALTIME time has passed; an
// abstime of 0 has passed already.
func ExampleSem_Timedwait() {
	s, _, done := anonymousSem(0)
	defer done()
	err := s.Timedwait(&unix.Timespec{})
	fmt.Println(err == unix.ETIMEDOUT, goipc.Strerror(err.(unix.Errno)))
	// Output:
	// true Connection timed out
}

// Getvalue counts tokens, never waiters.
func ExampleSem_Getvalue() {
	s, _, done := anonymousSem(3)
	defer done()
	s.Wait()
	v, _ := s.Getvalue()
	fmt.Println(v)
	// Output:
	// 2
}

// SemAt finds the semaphore that SemInit (or a C program's sem_init) put
// in shared memory: what a C program does by casting the address.
func ExampleSemAt() {
	s, mem, done := anonymousSem(0)
	defer done()
	same, err := goipc.SemAt(mem)
	if err != nil {
		fmt.Println(err)
		return
	}
	s.Post()
	fmt.Println(same.Trywait()) // the token that s posted
	_, err = goipc.SemAt(mem[:8])
	fmt.Println(err == unix.EINVAL)
	// Output:
	// <nil>
	// true
}

// SemDestroy ends an unnamed semaphore; as in glibc it does nothing else.
// A nil Sem is EINVAL.
func ExampleSemDestroy() {
	mem, err := goipc.Mmap(-1, 0, goipc.SizeofSem, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Munmap(mem)
	s, _ := goipc.SemInit(mem, true, 1)
	fmt.Println(goipc.SemDestroy(s))
	fmt.Println(goipc.SemDestroy(nil) == unix.EINVAL)
	// Output:
	// <nil>
	// true
}

// SemClose gives back what SemOpen gave; the semaphore stays until
// SemUnlink removes its name.
func ExampleSemClose() {
	name := fmt.Sprintf("/goipc-example-semclose-%d", os.Getpid())
	s, err := goipc.SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0600, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.SemUnlink(name)
	fmt.Println(goipc.SemClose(s))
	fmt.Println(goipc.SemClose(s) == unix.EINVAL) // closed already

	again, err := goipc.SemOpen(name, 0, 0, 0) // the name is still there
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.SemClose(again)
	v, _ := again.Getvalue()
	fmt.Println(v)
	// Output:
	// <nil>
	// true
	// 1
}

// SemUnlink removes the name; a second time it is gone: ENOENT.
func ExampleSemUnlink() {
	name := fmt.Sprintf("/goipc-example-semunlink-%d", os.Getpid())
	s, err := goipc.SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0600, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	goipc.SemClose(s)
	fmt.Println(goipc.SemUnlink(name))
	fmt.Println(goipc.SemUnlink(name) == unix.ENOENT)
	// Output:
	// <nil>
	// true
}
