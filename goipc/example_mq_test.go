//go:build linux

package goipc_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/ipcparity/ipcparity/goipc"
	"golang.org/x/sys/unix"
)

// A queue name starts with '/'; O_CREAT|O_EXCL refuses a name that exists.
func ExampleMqOpen() {
	name := fmt.Sprintf("/goipc-example-open-%d", os.Getpid())
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600,
		&goipc.MqAttr{Maxmsg: 4, Msgsize: 64})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqUnlink(name)
	defer goipc.MqClose(mqd)

	_, err = goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, nil)
	fmt.Println(err == unix.EEXIST, goipc.Strerror(err.(unix.Errno)))
	_, err = goipc.MqOpen(name[1:], unix.O_RDWR, 0, nil)
	fmt.Println(err == unix.EINVAL)
	// Output:
	// true File exists
	// true
}

// Messages come off the queue highest priority first.
func ExampleMqSend() {
	name := fmt.Sprintf("/goipc-example-send-%d", os.Getpid())
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600,
		&goipc.MqAttr{Maxmsg: 4, Msgsize: 64})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqUnlink(name)
	defer goipc.MqClose(mqd)

	goipc.MqSend(mqd, []byte("routine"), 1)
	goipc.MqSend(mqd, []byte("urgent"), 9)
	goipc.MqSend(mqd, []byte("also routine"), 1)

	buf := make([]byte, 64) // at least mq_msgsize
	for i := 0; i < 3; i++ {
		var prio uint
		n, err := goipc.MqReceive(mqd, buf, &prio)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%d %s\n", prio, buf[:n])
	}
	// Output:
	// 9 urgent
	// 1 routine
	// 1 also routine
}

// On an O_NONBLOCK descriptor an empty queue gives EAGAIN at once.
func ExampleMqReceive() {
	name := fmt.Sprintf("/goipc-example-receive-%d", os.Getpid())
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR|unix.O_NONBLOCK, 0600,
		&goipc.MqAttr{Maxmsg: 2, Msgsize: 16})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqUnlink(name)
	defer goipc.MqClose(mqd)

	buf := make([]byte, 16)
	_, err = goipc.MqReceive(mqd, buf, nil)
	fmt.Println(errors.Is(err, unix.EAGAIN))
	_, err = goipc.MqReceive(mqd, buf[:8], nil) // shorter than mq_msgsize
	fmt.Println(err == unix.EMSGSIZE)
	// Output:
	// true
	// true
}

func ExampleMqGetattr() {
	name := fmt.Sprintf("/goipc-example-getattr-%d", os.Getpid())
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600,
		&goipc.MqAttr{Maxmsg: 5, Msgsize: 32})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqUnlink(name)
	defer goipc.MqClose(mqd)

	goipc.MqSend(mqd, []byte("one"), 0)
	goipc.MqSend(mqd, []byte("two"), 0)
	goipc.MqSetattr(mqd, &goipc.MqAttr{Flags: unix.O_NONBLOCK}, nil)

	var attr goipc.MqAttr
	if err := goipc.MqGetattr(mqd, &attr); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("maxmsg=%d msgsize=%d curmsgs=%d nonblock=%t\n",
		attr.Maxmsg, attr.Msgsize, attr.Curmsgs, attr.Flags&unix.O_NONBLOCK != 0)
	// Output:
	// maxmsg=5 msgsize=32 curmsgs=2 nonblock=true
}

// A client needs its message as its one argument.
func ExampleMqClientMain() {
	status, err := goipc.MqClientMain([]string{"mq_client"})
	fmt.Println(status, err)
	// Output:
	// usage: ./client <message>
	// 1 <nil>
}

// The server opens a queue that exists as it is (O_CREAT without O_EXCL):
// here two clients have filled it before the server starts, and the server
// prints their messages and ends on "quit", removing the queue.
func ExampleMqServerMain() {
	name := fmt.Sprintf("/goipc-example-server-%d", os.Getpid())
	os.Setenv("IPC_NAME", name)
	defer os.Unsetenv("IPC_NAME")
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDONLY, 0600,
		&goipc.MqAttr{Maxmsg: 10, Msgsize: 128})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqUnlink(name)
	goipc.MqClose(mqd)

	goipc.MqClientMain([]string{"mq_client", "hello"})
	goipc.MqClientMain([]string{"mq_client", "quit"})
	status, err := goipc.MqServerMain([]string{"mq_server"})
	fmt.Println(status, err)
	_, err = goipc.MqOpen(name, unix.O_RDONLY, 0, nil)
	fmt.Println(err == unix.ENOENT)
	// Output:
	// you sent: hello
	// you sent: quit
	// server shuts down on message "quit"
	//
	// hello
	// quit
	// 0 <nil>
	// true
}

// A receive with a deadline gives up with ETIMEDOUT; a deadline with a bad
// tv_nsec is EINVAL.
func ExampleMqTimedreceive() {
	name := fmt.Sprintf("/goipc-example-timed-%d", os.Getpid())
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_RDWR, 0600, &goipc.MqAttr{Maxmsg: 1, Msgsize: 16})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqUnlink(name)
	defer goipc.MqClose(mqd)

	var now unix.Timespec
	unix.ClockGettime(unix.CLOCK_REALTIME, &now)
	deadline := unix.NsecToTimespec(now.Nano() + 10e6) // 10 ms from now
	_, err = goipc.MqTimedreceive(mqd, make([]byte, 16), nil, &deadline)
	fmt.Println(err == unix.ETIMEDOUT)
	bad := unix.Timespec{Sec: now.Sec, Nsec: 1e9}
	_, err = goipc.MqTimedreceive(mqd, make([]byte, 16), nil, &bad)
	fmt.Println(err == unix.EINVAL)
	// Output:
	// true
	// true
}

// mq_setattr changes O_NONBLOCK and nothing else, and gives the old
// attributes.
func ExampleMqSetattr() {
	name := fmt.Sprintf("/goipc-example-setattr-%d", os.Getpid())
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_RDWR, 0600, &goipc.MqAttr{Maxmsg: 2, Msgsize: 16})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqUnlink(name)
	defer goipc.MqClose(mqd)

	var old goipc.MqAttr
	goipc.MqSetattr(mqd, &goipc.MqAttr{Flags: unix.O_NONBLOCK, Maxmsg: 99}, &old)
	fmt.Println(old.Flags == 0, old.Maxmsg)
	_, err = goipc.MqReceive(mqd, make([]byte, 16), nil)
	fmt.Println(errors.Is(err, unix.EAGAIN))
	// Output:
	// true 2
	// true
}

// One process at a time may ask to be told of a message on an empty queue.
func ExampleMqNotify() {
	name := fmt.Sprintf("/goipc-example-notify-%d", os.Getpid())
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_RDWR, 0600, &goipc.MqAttr{Maxmsg: 2, Msgsize: 16})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqUnlink(name)
	defer goipc.MqClose(mqd)

	fmt.Println(goipc.MqNotify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_NONE}))
	fmt.Println(goipc.MqNotify(mqd, &goipc.Sigevent{Notify: goipc.SIGEV_NONE}) == unix.EBUSY)
	fmt.Println(goipc.MqNotify(mqd, nil)) // unregister
	// Output:
	// <nil>
	// true
	// <nil>
}

// mq_unlink removes the name; a queue still open stays usable until it is
// closed.
func ExampleMqUnlink() {
	name := fmt.Sprintf("/goipc-example-unlink-%d", os.Getpid())
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_RDWR, 0600, &goipc.MqAttr{Maxmsg: 2, Msgsize: 16})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqClose(mqd)
	fmt.Println(goipc.MqUnlink(name))
	fmt.Println(goipc.MqUnlink(name) == unix.ENOENT)
	fmt.Println(goipc.MqSend(mqd, []byte("still here"), 0))
	// Output:
	// <nil>
	// true
	// <nil>
}

// MqClose closes the descriptor; the queue stays until MqUnlink.
func ExampleMqClose() {
	name := fmt.Sprintf("/goipc-example-close-%d", os.Getpid())
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600,
		&goipc.MqAttr{Maxmsg: 4, Msgsize: 64})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqUnlink(name)
	fmt.Println(goipc.MqClose(mqd))
	fmt.Println(goipc.MqClose(mqd) == unix.EBADF)
	again, err := goipc.MqOpen(name, unix.O_RDONLY, 0, nil)
	fmt.Println(err)
	goipc.MqClose(again)
	// Output:
	// <nil>
	// true
	// <nil>
}

// On a full queue MqTimedsend waits until abstime at most; a time that
// has passed gives ETIMEDOUT at once.
func ExampleMqTimedsend() {
	name := fmt.Sprintf("/goipc-example-timedsend-%d", os.Getpid())
	mqd, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600,
		&goipc.MqAttr{Maxmsg: 1, Msgsize: 16})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqUnlink(name)
	defer goipc.MqClose(mqd)
	past := &unix.Timespec{Sec: 1}
	fmt.Println(goipc.MqTimedsend(mqd, []byte("first"), 0, past))
	err = goipc.MqTimedsend(mqd, []byte("second"), 0, past)
	fmt.Println(err == unix.ETIMEDOUT)
	// Output:
	// <nil>
	// true
}
