//go:build linux

package main

import (
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// The region's layout, as in c_reference/bench/shm.c: two sem_t, two
// counters, each on its own cache line, and the data from the first page
// boundary.
const (
	shmFull     = 0   // sem_t: the parent's data is there
	shmFree     = 64  // sem_t: the child has taken it (or replied)
	shmSpinFull = 128 // uint32 counter, as shmFull
	shmSpinFree = 192 // uint32 counter, as shmFree
	shmData     = 4096
)

// shmRegion is struct shm_region: the object /TOKEN.shm, mapped.
type shmRegion struct {
	name string
	fd   int
	mem  []byte
}

// shmMake is shm_make: create, size and map the object.
func shmMake(a *args, data int) (*shmRegion, error) {
	r := &shmRegion{name: "/" + a.token + ".shm"}
	var err error
	r.fd, err = goipc.ShmOpen(r.name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600)
	if err != nil {
		return nil, fail("shm_open", err)
	}
	if err := goipc.Ftruncate(r.fd, int64(shmData+data)); err != nil {
		goipc.Close(r.fd)
		goipc.ShmUnlink(r.name)
		return nil, fail("ftruncate", err)
	}
	if r.mem, err = goipc.Mmap(r.fd, 0, shmData+data, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED); err != nil {
		goipc.Close(r.fd)
		goipc.ShmUnlink(r.name)
		return nil, fail("mmap", err)
	}
	return r, nil
}

// shmAttach is what the forked C child has without asking: the peer opens
// and maps the parent's object.
func shmAttach(a *args, data int) (*shmRegion, error) {
	r := &shmRegion{name: "/" + a.token + ".shm"}
	var err error
	if r.fd, err = goipc.ShmOpen(r.name, unix.O_RDWR, 0); err != nil {
		return nil, err
	}
	if r.mem, err = goipc.Mmap(r.fd, 0, shmData+data, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *shmRegion) free() {
	goipc.Munmap(r.mem)
	goipc.Close(r.fd)
	goipc.ShmUnlink(r.name)
}

func (r *shmRegion) sem(off int) *goipc.Sem {
	s, _ := goipc.SemAt(r.mem[off : off+goipc.SizeofSem])
	return s
}

func (r *shmRegion) ctr(off int) *uint32 {
	return (*uint32)(unsafe.Pointer(&r.mem[off]))
}

func (r *shmRegion) data() []byte { return r.mem[shmData:] }

// spinUntil is shm_spin_until: look at the counter until it holds want,
// yielding the CPU between looks. sched_yield does not block, so it is a
// raw system call, without the runtime's hand-off of its P.
func spinUntil(c *uint32, want uint32) {
	for atomic.LoadUint32(c) != want {
		unix.RawSyscall(unix.SYS_SCHED_YIELD, 0, 0, 0)
	}
}

// shmSide is what one side waits on and signals: the semaphores or the
// counters.
type shmSide struct {
	spin               bool
	full, free         *goipc.Sem
	spinFull, spinFree *uint32
}

func newShmSide(r *shmRegion, spin bool) *shmSide {
	return &shmSide{spin: spin, full: r.sem(shmFull), free: r.sem(shmFree),
		spinFull: r.ctr(shmSpinFull), spinFree: r.ctr(shmSpinFree)}
}

// shmLatChild is shm_lat_child.
func shmLatChild(r *shmRegion, a *args, s *shmSide) {
	total := warmup(a.iters) + a.iters
	buf, data := make([]byte, a.size), r.data()[:a.size]
	for i := 1; i <= total; i++ {
		if s.spin {
			spinUntil(s.spinFull, uint32(i))
		} else if s.full.Wait() != nil {
			break
		}
		copy(buf, data)
		copy(data, buf)
		if s.spin {
			atomic.StoreUint32(s.spinFree, uint32(i))
		} else {
			s.free.Post()
		}
	}
}

// shmLatParent is shm_lat_parent.
func shmLatParent(r *shmRegion, a *args, s *shmSide) error {
	warm := warmup(a.iters)
	total := warm + a.iters
	msg, buf, data := filled(a.size), make([]byte, a.size), r.data()[:a.size]
	samples := make([]int64, a.iters)
	prev := nowNs()
	for i := 1; i <= total; i++ {
		copy(data, msg)
		if s.spin {
			atomic.StoreUint32(s.spinFull, uint32(i))
			spinUntil(s.spinFree, uint32(i))
		} else if err := s.full.Post(); err != nil {
			return fail("sem_post/sem_wait", err)
		} else if err := s.free.Wait(); err != nil {
			return fail("sem_post/sem_wait", err)
		}
		copy(buf, data)
		now := nowNs()
		if i > warm {
			samples[i-warm-1] = now - prev
		}
		prev = now
	}
	return reportLatency(samples)
}

// shmTputChild is shm_tput_child.
func shmTputChild(r *shmRegion, a *args, s *shmSide) {
	buf, data := make([]byte, a.size), r.data()[:a.size]
	if s.spin {
		atomic.StoreUint32(s.spinFree, 1)
	} else {
		s.free.Post()
	}
	for i := 1; i <= a.iters; i++ {
		if s.spin {
			spinUntil(s.spinFull, uint32(i))
		} else if s.full.Wait() != nil {
			break
		}
		copy(buf, data)
		if s.spin {
			atomic.StoreUint32(s.spinFree, uint32(i)+1)
		} else {
			s.free.Post()
		}
	}
}

// shmTputParent is shm_tput_parent.
func shmTputParent(r *shmRegion, a *args, s *shmSide) error {
	buf, data := filled(a.size), r.data()[:a.size]
	if s.spin {
		spinUntil(s.spinFree, 1)
	} else if err := s.free.Wait(); err != nil {
		return fail("sem_wait", err)
	}
	t0 := nowNs()
	for i := 1; i <= a.iters; i++ {
		copy(data, buf)
		if s.spin {
			atomic.StoreUint32(s.spinFull, uint32(i))
			spinUntil(s.spinFree, uint32(i)+1)
		} else if err := s.full.Post(); err != nil {
			return fail("sem_post/sem_wait", err)
		} else if err := s.free.Wait(); err != nil {
			return fail("sem_post/sem_wait", err)
		}
	}
	t1 := nowNs()
	reportThroughput(int64(a.iters)*int64(a.size), t1-t0)
	return nil
}

// shmRun is shm_run.
func shmRun(a *args, spin, tput bool) error {
	r, err := shmMake(a, a.size)
	if err != nil {
		return err
	}
	defer r.free()
	if !spin {
		if _, err := goipc.SemInit(r.mem[shmFull:shmFull+goipc.SizeofSem], true, 0); err != nil {
			return fail("sem_init", err)
		}
		if _, err := goipc.SemInit(r.mem[shmFree:shmFree+goipc.SizeofSem], true, 0); err != nil {
			return fail("sem_init", err)
		}
	}
	pid, err := startPeer(a, -1, nil)
	if err != nil {
		return err
	}
	s := newShmSide(r, spin)
	if tput {
		err = shmTputParent(r, a, s)
	} else {
		err = shmLatParent(r, a, s)
	}
	if werr := waitPeer(pid); err == nil {
		err = werr
	}
	return err
}

func shmsemLat(a *args) error   { return shmRun(a, false, false) }
func shmsemTput(a *args) error  { return shmRun(a, false, true) }
func shmspinLat(a *args) error  { return shmRun(a, true, false) }
func shmspinTput(a *args) error { return shmRun(a, true, true) }

func shmPeer(a *args, _ []string) error {
	r, err := shmAttach(a, a.size)
	if err != nil {
		return err
	}
	s := newShmSide(r, a.name == "shmspin-lat" || a.name == "shmspin-tput")
	if a.name == "shmsem-tput" || a.name == "shmspin-tput" {
		shmTputChild(r, a, s)
	} else {
		shmLatChild(r, a, s)
	}
	return nil
}

// shmCopy is bench_shm_copy: iters copies of a size-byte buffer into a
// mapped shared-memory region, in one process.
func shmCopy(a *args) error {
	r, err := shmMake(a, a.size)
	if err != nil {
		return err
	}
	defer r.free()
	src, data := filled(a.size), r.data()[:a.size]
	for i := 0; i < warmup(a.iters); i++ {
		copy(data, src)
	}
	t0 := nowNs()
	for i := 0; i < a.iters; i++ {
		copy(data, src)
	}
	t1 := nowNs()
	reportThroughput(int64(a.iters)*int64(a.size), t1-t0)
	return nil
}
