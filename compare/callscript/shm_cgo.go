//go:build cgo && linux

package callscript

import (
	"github.com/ipcparity/ipcparity/cipc"
)

func init() {
	shmSides[SideC] = shmAPI{
		ShmOpen:   cipc.ShmOpen,
		ShmUnlink: cipc.ShmUnlink,
		Ftruncate: cipc.Ftruncate,
		Mmap:      cipc.Mmap,
		Munmap:    cipc.Munmap,
		SemOpen: func(name string, oflag int, mode uint32, value uint) (semHandle, error) {
			s, err := cipc.SemOpen(name, oflag, mode, value)
			if err != nil {
				return nil, err
			}
			return s, nil
		},
		SemClose:  func(s semHandle) error { return cipc.SemClose(s.(*cipc.Sem)) },
		SemUnlink: cipc.SemUnlink,
		SemInit: func(mem []byte, pshared bool, value uint) (semHandle, error) {
			s, err := cipc.SemInit(mem, pshared, value)
			if err != nil {
				return nil, err
			}
			return s, nil
		},
		SemAt: func(mem []byte) (semHandle, error) {
			s, err := cipc.SemAt(mem)
			if err != nil {
				return nil, err
			}
			return s, nil
		},
		SemDestroy: func(s semHandle) error { return cipc.SemDestroy(s.(*cipc.Sem)) },
	}
}
