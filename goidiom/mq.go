//go:build linux

package goidiom

import "github.com/ipcparity/ipcparity/goipc"

// QueueName is the message queue of mq_server and mq_client: IPC_NAME,
// else the example's "/csba1316".
func QueueName() string { return ipcName("/csba1316") }

// QueueAttr is the queue that mq_server creates: 10 messages of 128 bytes.
var QueueAttr = goipc.MqAttr{Maxmsg: 10, Msgsize: 128}

// MessageSize is the size of the example's message, a struct holding
// char msg[64]: a client sends all 64 bytes, the text cut to 63 and NULs.
const MessageSize = 64
