//go:build cgo && linux

package callscript

import "github.com/ipcparity/ipcparity/cipc"

func init() {
	sockSides[SideC] = sockAPI{
		cipc.Socket, cipc.Bind, cipc.Connect, cipc.Listen, cipc.Accept, cipc.Getsockname,
		cipc.Shutdown, cipc.Send, cipc.Recv, cipc.Poll, cipc.SetsockoptInt,
	}
}
