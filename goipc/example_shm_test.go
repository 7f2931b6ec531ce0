//go:build linux

package goipc_test

import (
	"fmt"
	"os"

	"github.com/ipcparity/ipcparity/goipc"
	"golang.org/x/sys/unix"
)

// A shared-memory object is created, sized with Ftruncate and mapped; a
// second descriptor, opened read-only, maps the same bytes.
func ExampleShmOpen() {
	name := fmt.Sprintf("/goipc-example-shm-%d", os.Getpid())
	fd, err := goipc.ShmOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.ShmUnlink(name)
	defer goipc.Close(fd)
	if err := goipc.Ftruncate(fd, 100); err != nil {
		fmt.Println(err)
		return
	}
	mem, err := goipc.Mmap(fd, 0, 100, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Munmap(mem)
	copy(mem, "Hello World\x00")

	ro, err := goipc.ShmOpen(name, unix.O_RDONLY, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(ro)
	view, err := goipc.Mmap(ro, 0, 100, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Munmap(view)
	fmt.Printf("%s\n", view[:11])

	_, err = goipc.Mmap(ro, 0, 100, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	fmt.Println(goipc.Strerror(err.(unix.Errno)))
	_, err = goipc.ShmOpen("/no/slashes", unix.O_RDONLY, 0)
	fmt.Println(err == unix.EINVAL)
	// Output:
	// Hello World
	// Permission denied
	// true
}

// A named semaphore counts tokens: Post adds one, Wait takes one, Trywait
// gives EAGAIN when there is none. Its file, /dev/shm/sem.NAME, is what a C
// program's sem_open finds.
func ExampleSemOpen() {
	name := fmt.Sprintf("/goipc-example-sem-%d", os.Getpid())
	s, err := goipc.SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0600, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.SemUnlink(name)
	defer goipc.SemClose(s)

	s.Post()
	v, _ := s.Getvalue()
	fmt.Println("value", v)
	s.Wait()
	s.Wait()
	fmt.Println(s.Trywait() == unix.EAGAIN)

	if _, err := os.Stat("/dev/shm/sem." + name[1:]); err == nil {
		fmt.Println("file in /dev/shm")
	}
	_, err = goipc.SemOpen(name, unix.O_CREAT|unix.O_EXCL, 0600, 0)
	fmt.Println(goipc.Strerror(err.(unix.Errno)))
	// Output:
	// value 2
	// true
	// file in /dev/shm
	// File exists
}

// shm_open and shm_unlink refuse the same bad names with different errnos,
// as glibc does.
func ExampleShmUnlink() {
	fmt.Println(goipc.ShmUnlink("/no/slashes") == unix.ENOENT)
	_, err := goipc.ShmOpen("/no/slashes", unix.O_RDONLY, 0)
	fmt.Println(err == unix.EINVAL)
	fmt.Println(goipc.ShmUnlink(fmt.Sprintf("/goipc-example-missing-%d", os.Getpid())) == unix.ENOENT)
	// Output:
	// true
	// true
	// true
}

// A process-shared semaphore lives in a shared mapping, where any process
// that maps the object (C or Go) can wait on it and post it.
func ExampleSemInit() {
	name := fmt.Sprintf("/goipc-example-seminit-%d", os.Getpid())
	fd, err := goipc.ShmOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.ShmUnlink(name)
	defer goipc.Close(fd)
	goipc.Ftruncate(fd, goipc.SizeofSem)
	mem, err := goipc.Mmap(fd, 0, goipc.SizeofSem, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Munmap(mem)

	sem, err := goipc.SemInit(mem, true, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.SemDestroy(sem)
	fmt.Println(sem.Wait())
	fmt.Println(sem.Trywait() == unix.EAGAIN)
	sem.Post()
	v, _ := sem.Getvalue()
	fmt.Println(v)
	// Output:
	// <nil>
	// true
	// 1
}

// Munmap takes the slice Mmap gave; an empty one is EINVAL.
func ExampleMunmap() {
	mem, err := goipc.Mmap(-1, 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(goipc.Munmap(mem))
	fmt.Println(goipc.Munmap(nil) == unix.EINVAL)
	// Output:
	// <nil>
	// true
}

// Ftruncate gives a new shared-memory object its size; a descriptor open
// only for reading cannot: EINVAL.
func ExampleFtruncate() {
	name := fmt.Sprintf("/goipc-example-ftruncate-%d", os.Getpid())
	fd, err := goipc.ShmOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.ShmUnlink(name)
	defer goipc.Close(fd)
	fmt.Println(goipc.Ftruncate(fd, 100))
	var st unix.Stat_t
	unix.Fstat(fd, &st)
	fmt.Println(st.Size)

	ro, err := goipc.ShmOpen(name, unix.O_RDONLY, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Close(ro)
	fmt.Println(goipc.Ftruncate(ro, 200) == unix.EINVAL)
	// Output:
	// <nil>
	// 100
	// true
}

// Mmap gives the mapping as a byte slice, here of an anonymous object
// (ShmOpen's example maps a named one twice); length 0 is EINVAL, as the
// kernel says.
func ExampleMmap() {
	mem, err := goipc.Mmap(-1, 0, 100, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Munmap(mem)
	copy(mem, "Hello World")
	fmt.Printf("%s %d\n", mem[:11], len(mem))
	_, err = goipc.Mmap(-1, 0, 0, unix.PROT_READ, unix.MAP_SHARED|unix.MAP_ANONYMOUS)
	fmt.Println(err == unix.EINVAL)
	// Output:
	// Hello World 100
	// true
}
