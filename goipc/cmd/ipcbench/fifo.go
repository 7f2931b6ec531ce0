//go:build linux

package main

import (
	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// fifoNames are DIR/up and DIR/down, as fifo_make makes them.
func fifoNames(a *args) (up, down string) {
	return a.dir + "/up", a.dir + "/down"
}

// fifoRun is fifo_run: the parent opens up for writing first, the peer up
// for reading first, so that neither open waits forever.
func fifoRun(a *args, tput bool) error {
	up, down := fifoNames(a)
	if err := goipc.Mkfifo(up, 0600); err != nil {
		return fail("mkfifo", err)
	}
	if err := goipc.Mkfifo(down, 0600); err != nil {
		return fail("mkfifo", err)
	}
	pid, err := startPeer(a, -1, nil)
	if err != nil {
		return err
	}
	wfd, err := goipc.Open(up, unix.O_WRONLY, 0)
	rfd := -1
	if err == nil {
		rfd, err = goipc.Open(down, unix.O_RDONLY, 0)
	}
	if err != nil {
		err = fail("open", err)
	} else if tput {
		err = streamTputParent(wfd, rfd, a)
	} else {
		err = streamLatParent(wfd, rfd, a)
	}
	if wfd >= 0 {
		goipc.Close(wfd)
	}
	if rfd >= 0 {
		goipc.Close(rfd)
	}
	if werr := waitPeer(pid); err == nil {
		err = werr
	}
	goipc.Unlink(up)
	goipc.Unlink(down)
	return err
}

func fifoLat(a *args) error  { return fifoRun(a, false) }
func fifoTput(a *args) error { return fifoRun(a, true) }

func fifoPeer(a *args, _ []string) error {
	up, down := fifoNames(a)
	rfd, err := goipc.Open(up, unix.O_RDONLY, 0)
	if err != nil {
		return err
	}
	wfd, err := goipc.Open(down, unix.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if a.name == "fifo-tput" {
		streamTputChild(rfd, wfd, a)
	} else {
		streamLatChild(rfd, wfd, a)
	}
	return nil
}
