//go:build cgo && linux

package cside

import (
	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/internal/sides"
)

// API is cipc's calls; each is cipc's own function, so a signature that
// differs from sides' does not compile.
func API() sides.API {
	return sides.API{
		Name: "cipc",
		Pipe: sides.Pipe{
			Pipe: cipc.Pipe, Pipe2: cipc.Pipe2, Read: cipc.Read, Write: cipc.Write,
			Close: cipc.Close, FcntlInt: cipc.FcntlInt,
		},
		FIFO: sides.FIFO{Mkfifo: cipc.Mkfifo, Open: cipc.Open, Unlink: cipc.Unlink, Umask: cipc.Umask},
		Mq: sides.MqOf[cipc.MqAttr, cipc.Sigevent]{
			Open: cipc.MqOpen, Close: cipc.MqClose, Unlink: cipc.MqUnlink,
			Send: cipc.MqSend, Timedsend: cipc.MqTimedsend,
			Receive: cipc.MqReceive, Timedreceive: cipc.MqTimedreceive,
			Getattr: cipc.MqGetattr, Setattr: cipc.MqSetattr, Notify: cipc.MqNotify,
			PrioMax: cipc.MQ_PRIO_MAX, SigevSignal: cipc.SIGEV_SIGNAL,
			SigevNone: cipc.SIGEV_NONE, SigevThread: cipc.SIGEV_THREAD,
		}.Adapt(),
		Shm: sides.Shm{
			Open: cipc.ShmOpen, Unlink: cipc.ShmUnlink, Ftruncate: cipc.Ftruncate,
			Mmap: cipc.Mmap, Munmap: cipc.Munmap,
		},
		Sem: sides.SemOf[*cipc.Sem]{
			Init: cipc.SemInit, At: cipc.SemAt, Destroy: cipc.SemDestroy,
			Open: cipc.SemOpen, Close: cipc.SemClose, Unlink: cipc.SemUnlink,
			ValueMax: cipc.SEM_VALUE_MAX, Size: cipc.SizeofSem,
		}.Adapt(),
		Sock: sides.Sock{
			Socket: cipc.Socket, Bind: cipc.Bind, Connect: cipc.Connect, Listen: cipc.Listen,
			Accept: cipc.Accept, Getsockname: cipc.Getsockname, Shutdown: cipc.Shutdown,
			Send: cipc.Send, Recv: cipc.Recv, Poll: cipc.Poll, SetsockoptInt: cipc.SetsockoptInt,
		},
		FD: sides.FD{
			Dup: cipc.Dup, Dup2: cipc.Dup2, Dup3: cipc.Dup3, Socketpair: cipc.Socketpair,
			Eventfd: cipc.Eventfd, EpollCreate1: cipc.EpollCreate1, EpollCtl: cipc.EpollCtl,
			EpollWait: cipc.EpollWait, MemfdCreate: cipc.MemfdCreate, TimerfdCreate: cipc.TimerfdCreate,
			TimerfdSettime: cipc.TimerfdSettime, Signalfd: cipc.Signalfd,
		},
		Mem: sides.Mem{MmapAt: cipc.MmapAt},
		Files: sides.Files{
			Chmod: cipc.Chmod, Chown: cipc.Chown, Mkdir: cipc.Mkdir, Rmdir: cipc.Rmdir,
			Symlink: cipc.Symlink, Mknod: cipc.Mknod, Mknodat: cipc.Mknodat, Openat: cipc.Openat,
			Seteuid: cipc.Seteuid, Setegid: cipc.Setegid, Setgroups: cipc.Setgroups,
			Mount: cipc.Mount, Umount2: cipc.Umount2,
		},
		Errors: sides.Errors{Strerror: cipc.Strerror},
		Proc: sides.Proc{
			ForkExec: cipc.ForkExec, Waitpid: cipc.Waitpid, Getpid: cipc.Getpid, Getppid: cipc.Getppid,
			Kill: cipc.Kill, Usleep: cipc.Usleep, Getrlimit: cipc.Getrlimit, Setrlimit: cipc.Setrlimit,
		},
		Signal: sides.Signal{
			Sigaction: cipc.Sigaction, Caught: cipc.Caught, Alarm: cipc.Alarm, Ualarm: cipc.Ualarm,
			Sigprocmask: cipc.Sigprocmask, Sigpending: cipc.Sigpending, Sigsuspend: cipc.Sigsuspend, Pause: cipc.Pause,
			Raise: cipc.Raise,
		},
		Raw: sides.Raw{
			Pipe: cipc.RawPipe, Pipe2: cipc.RawPipe2, Mkfifo: cipc.RawMkfifo, Open: cipc.RawOpen, Unlink: cipc.RawUnlink,
			MqOpen: cipc.RawMqOpen, MqUnlink: cipc.RawMqUnlink, MqGetattr: cipc.RawMqGetattr, MqSetattr: cipc.RawMqSetattr,
			MqTimedsend: cipc.RawMqTimedsend, MqTimedreceive: cipc.RawMqTimedreceive,
			ShmOpen: cipc.RawShmOpen, ShmUnlink: cipc.RawShmUnlink, SemUnlink: cipc.RawSemUnlink,
			Bind: cipc.RawBind, Connect: cipc.RawConnect,
			Socketpair: cipc.RawSocketpair, Getrlimit: cipc.RawGetrlimit, Setrlimit: cipc.RawSetrlimit,
			Chmod: cipc.RawChmod, Chown: cipc.RawChown, Mkdir: cipc.RawMkdir, Rmdir: cipc.RawRmdir,
			Symlink: cipc.RawSymlink, Mknod: cipc.RawMknod, Mknodat: cipc.RawMknodat, Openat: cipc.RawOpenat,
			Waitpid: cipc.RawWaitpid, Accept: cipc.RawAccept, Getsockname: cipc.RawGetsockname,
			SemOpen: cipc.RawSemOpen, Setgroups: cipc.RawSetgroups,
		},
		MqThread: sides.MqThread{Notify: cipc.MqNotifyRecord, Notified: cipc.MqNotified},
	}
}
