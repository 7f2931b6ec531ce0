//go:build linux

package main

import (
	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// mqNames are /TOKEN.up and /TOKEN.down, as mq_make names them.
func mqNames(a *args) (up, down string) {
	return "/" + a.token + ".up", "/" + a.token + ".down"
}

// mqMake is mq_make: two queues of 10 messages of size bytes.
func mqMake(a *args) (qup, qdown int, err error) {
	up, down := mqNames(a)
	attr := &goipc.MqAttr{Maxmsg: 10, Msgsize: int64(a.size)}
	qup, err = goipc.MqOpen(up, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, attr)
	if err != nil {
		return -1, -1, fail("mq_open", err)
	}
	qdown, err = goipc.MqOpen(down, unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0600, attr)
	if err != nil {
		goipc.MqClose(qup)
		goipc.MqUnlink(up)
		return -1, -1, fail("mq_open", err)
	}
	return qup, qdown, nil
}

// mqPeer opens the queues by name (the C child inherits them from fork)
// and runs mq_lat_child or mq_tput_child.
func mqPeer(a *args, _ []string) error {
	up, down := mqNames(a)
	qup, err := goipc.MqOpen(up, unix.O_RDWR, 0, nil)
	if err != nil {
		return err
	}
	qdown, err := goipc.MqOpen(down, unix.O_RDWR, 0, nil)
	if err != nil {
		return err
	}
	buf := make([]byte, a.size)
	if a.name == "mq-tput" {
		if goipc.MqSend(qdown, []byte("r"), 0) != nil {
			return nil
		}
		for i := 0; i < a.iters; i++ {
			if n, _ := goipc.MqReceive(qup, buf, nil); n <= 0 {
				break
			}
		}
		goipc.MqSend(qdown, []byte("a"), 0)
		return nil
	}
	for {
		n, _ := goipc.MqReceive(qup, buf, nil)
		if n <= 0 {
			break // an empty message ends the run
		}
		if goipc.MqSend(qdown, buf[:n], 0) != nil {
			break
		}
	}
	return nil
}

func mqLatParent(qup, qdown int, a *args) error {
	msg, buf := filled(a.size), make([]byte, a.size)
	warm := warmup(a.iters)
	total := warm + a.iters
	samples := make([]int64, a.iters)
	defer goipc.MqSend(qup, nil, 0)
	prev := nowNs()
	for i := 0; i < total; i++ {
		if err := goipc.MqSend(qup, msg, 0); err != nil {
			return fail("mq_send", err)
		}
		if n, err := goipc.MqReceive(qdown, buf, nil); n != a.size {
			return fail("mq_receive", err)
		}
		now := nowNs()
		if i >= warm {
			samples[i-warm] = now - prev
		}
		prev = now
	}
	return reportLatency(samples)
}

func mqTputParent(qup, qdown int, a *args) error {
	buf := filled(a.size)
	if n, err := goipc.MqReceive(qdown, buf, nil); n != 1 {
		return fail("mq_receive ready", err)
	}
	t0 := nowNs()
	for i := 0; i < a.iters; i++ {
		if err := goipc.MqSend(qup, buf, 0); err != nil {
			return fail("mq_send", err)
		}
	}
	if n, err := goipc.MqReceive(qdown, buf, nil); n != 1 {
		return fail("mq_receive ack", err)
	}
	t1 := nowNs()
	reportThroughput(int64(a.iters)*int64(a.size), t1-t0)
	return nil
}

// mqRun is mq_run.
func mqRun(a *args, tput bool) error {
	qup, qdown, err := mqMake(a)
	if err != nil {
		return err
	}
	pid, err := startPeer(a, -1, nil)
	if err == nil {
		if tput {
			err = mqTputParent(qup, qdown, a)
		} else {
			err = mqLatParent(qup, qdown, a)
		}
		if werr := waitPeer(pid); err == nil {
			err = werr
		}
	}
	up, down := mqNames(a)
	goipc.MqClose(qup)
	goipc.MqClose(qdown)
	goipc.MqUnlink(up)
	goipc.MqUnlink(down)
	return err
}

func mqLat(a *args) error  { return mqRun(a, false) }
func mqTput(a *args) error { return mqRun(a, true) }
