//go:build linux

package goside

import (
	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/internal/sides"
)

// API is goipc's calls; each is goipc's own function, so a signature that
// differs from sides' does not compile.
func API() sides.API {
	return sides.API{
		Name: "goipc",
		Pipe: sides.Pipe{
			Pipe: goipc.Pipe, Pipe2: goipc.Pipe2, Read: goipc.Read, Write: goipc.Write,
			Close: goipc.Close, FcntlInt: goipc.FcntlInt,
		},
		FIFO: sides.FIFO{Mkfifo: goipc.Mkfifo, Open: goipc.Open, Unlink: goipc.Unlink, Umask: goipc.Umask},
		Mq: sides.MqOf[goipc.MqAttr, goipc.Sigevent]{
			Open: goipc.MqOpen, Close: goipc.MqClose, Unlink: goipc.MqUnlink,
			Send: goipc.MqSend, Timedsend: goipc.MqTimedsend,
			Receive: goipc.MqReceive, Timedreceive: goipc.MqTimedreceive,
			Getattr: goipc.MqGetattr, Setattr: goipc.MqSetattr, Notify: goipc.MqNotify,
			PrioMax: goipc.MQ_PRIO_MAX, SigevSignal: goipc.SIGEV_SIGNAL,
			SigevNone: goipc.SIGEV_NONE, SigevThread: goipc.SIGEV_THREAD,
		}.Adapt(),
		Shm: sides.Shm{
			Open: goipc.ShmOpen, Unlink: goipc.ShmUnlink, Ftruncate: goipc.Ftruncate,
			Mmap: goipc.Mmap, Munmap: goipc.Munmap,
		},
		Sem: sides.SemOf[*goipc.Sem]{
			Init: goipc.SemInit, At: goipc.SemAt, Destroy: goipc.SemDestroy,
			Open: goipc.SemOpen, Close: goipc.SemClose, Unlink: goipc.SemUnlink,
			ValueMax: goipc.SEM_VALUE_MAX, Size: goipc.SizeofSem,
		}.Adapt(),
		Sock: sides.Sock{
			Socket: goipc.Socket, Bind: goipc.Bind, Connect: goipc.Connect, Listen: goipc.Listen,
			Accept: goipc.Accept, Getsockname: goipc.Getsockname, Shutdown: goipc.Shutdown,
			Send: goipc.Send, Recv: goipc.Recv, Poll: goipc.Poll, SetsockoptInt: goipc.SetsockoptInt,
		},
		FD: sides.FD{
			Dup: goipc.Dup, Dup2: goipc.Dup2, Dup3: goipc.Dup3, Socketpair: goipc.Socketpair,
			Eventfd: goipc.Eventfd, EpollCreate1: goipc.EpollCreate1, EpollCtl: goipc.EpollCtl,
			EpollWait: goipc.EpollWait, MemfdCreate: goipc.MemfdCreate, TimerfdCreate: goipc.TimerfdCreate,
			TimerfdSettime: goipc.TimerfdSettime, Signalfd: goipc.Signalfd,
		},
		Mem: sides.Mem{MmapAt: goipc.MmapAt},
		Files: sides.Files{
			Chmod: goipc.Chmod, Chown: goipc.Chown, Mkdir: goipc.Mkdir, Rmdir: goipc.Rmdir,
			Symlink: goipc.Symlink, Mknod: goipc.Mknod, Mknodat: goipc.Mknodat, Openat: goipc.Openat,
			Seteuid: goipc.Seteuid, Setegid: goipc.Setegid, Setgroups: goipc.Setgroups,
			Mount: goipc.Mount, Umount2: goipc.Umount2,
		},
		Errors: sides.Errors{Strerror: goipc.Strerror},
		Proc: sides.Proc{
			ForkExec: goipc.ForkExec, Waitpid: goipc.Waitpid, Getpid: goipc.Getpid, Getppid: goipc.Getppid,
			Kill: goipc.Kill, Usleep: goipc.Usleep, Getrlimit: goipc.Getrlimit, Setrlimit: goipc.Setrlimit,
		},
		Signal: sides.Signal{
			Sigaction: goipc.Sigaction, Caught: goipc.Caught, Alarm: goipc.Alarm, Ualarm: goipc.Ualarm,
			Sigprocmask: goipc.Sigprocmask, Sigpending: goipc.Sigpending, Sigsuspend: goipc.Sigsuspend, Pause: goipc.Pause,
			Raise: goipc.Raise,
		},
		Raw: sides.Raw{
			Pipe: goipc.RawPipe, Pipe2: goipc.RawPipe2, Mkfifo: goipc.RawMkfifo, Open: goipc.RawOpen, Unlink: goipc.RawUnlink,
			MqOpen: goipc.RawMqOpen, MqUnlink: goipc.RawMqUnlink, MqGetattr: goipc.RawMqGetattr, MqSetattr: goipc.RawMqSetattr,
			MqTimedsend: goipc.RawMqTimedsend, MqTimedreceive: goipc.RawMqTimedreceive,
			ShmOpen: goipc.RawShmOpen, ShmUnlink: goipc.RawShmUnlink, SemUnlink: goipc.RawSemUnlink,
			Bind: goipc.RawBind, Connect: goipc.RawConnect,
			Socketpair: goipc.RawSocketpair, Getrlimit: goipc.RawGetrlimit, Setrlimit: goipc.RawSetrlimit,
			Chmod: goipc.RawChmod, Chown: goipc.RawChown, Mkdir: goipc.RawMkdir, Rmdir: goipc.RawRmdir,
			Symlink: goipc.RawSymlink, Mknod: goipc.RawMknod, Mknodat: goipc.RawMknodat, Openat: goipc.RawOpenat,
			Waitpid: goipc.RawWaitpid, Accept: goipc.RawAccept, Getsockname: goipc.RawGetsockname,
			SemOpen: goipc.RawSemOpen, Setgroups: goipc.RawSetgroups,
		},
		MqThread: sides.MqThread{Notify: goipc.MqNotifyRecord, Notified: goipc.MqNotified},
	}
}
