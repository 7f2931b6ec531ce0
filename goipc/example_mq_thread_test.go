//go:build linux

package goipc_test

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

func ExampleMqNotifyFunc() {
	name := "/ipcparity-example-notify-" + strconv.Itoa(os.Getpid())
	q, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, &goipc.MqAttr{Maxmsg: 1, Msgsize: 8})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqUnlink(name)
	defer goipc.MqClose(q)
	// The function runs on a goroutine when a message comes.
	done := make(chan struct{})
	fmt.Println(goipc.MqNotifyFunc(q, func() { close(done) }))
	fmt.Println(goipc.MqNotifyFunc(q, func() {}))
	goipc.MqSend(q, []byte("hi"), 0)
	<-done
	fmt.Println("notified")
	// Output:
	// <nil>
	// device or resource busy
	// notified
}

func ExampleMqNotifyRecord() {
	name := "/ipcparity-example-record-" + strconv.Itoa(os.Getpid())
	q, err := goipc.MqOpen(name, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, &goipc.MqAttr{Maxmsg: 1, Msgsize: 8})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.MqUnlink(name)
	defer goipc.MqClose(q)
	goipc.MqNotified()
	goipc.MqNotifyRecord(q, 7)
	goipc.MqSend(q, []byte("hi"), 0)
	var got []int
	for deadline := time.Now().Add(5 * time.Second); len(got) == 0 && time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		got = goipc.MqNotified()
	}
	fmt.Println(got)
	// Output: [7]
}

func ExampleMqNotified() {
	// Nothing recorded since the last call.
	goipc.MqNotified()
	fmt.Println(len(goipc.MqNotified()))
	// Output: 0
}
