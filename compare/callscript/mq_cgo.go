//go:build cgo && linux

package callscript

import (
	"github.com/ipcparity/ipcparity/cipc"
	"github.com/ipcparity/ipcparity/goipc"
)

func init() {
	mqSides[SideC] = mqAPI{
		Open: func(name string, oflag int, mode uint32, attr *goipc.MqAttr) (int, error) {
			return cipc.MqOpen(name, oflag, mode, (*cipc.MqAttr)(attr))
		},
		Close:        cipc.MqClose,
		Unlink:       cipc.MqUnlink,
		Send:         cipc.MqSend,
		Timedsend:    cipc.MqTimedsend,
		Receive:      cipc.MqReceive,
		Timedreceive: cipc.MqTimedreceive,
		Getattr: func(mqd int, attr *goipc.MqAttr) error {
			return cipc.MqGetattr(mqd, (*cipc.MqAttr)(attr))
		},
		Setattr: func(mqd int, newattr, oldattr *goipc.MqAttr) error {
			return cipc.MqSetattr(mqd, (*cipc.MqAttr)(newattr), (*cipc.MqAttr)(oldattr))
		},
		Notify: func(mqd int, sev *goipc.Sigevent) error {
			return cipc.MqNotify(mqd, (*cipc.Sigevent)(sev))
		},
	}
}
