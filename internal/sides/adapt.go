//go:build linux

package sides

import "golang.org/x/sys/unix"

// MqAttr holds the fields of struct mq_attr, as cipc.MqAttr and
// goipc.MqAttr do.
type MqAttr mqAttrFields

type mqAttrFields = struct {
	Flags   int64 // mq_flags
	Maxmsg  int64 // mq_maxmsg
	Msgsize int64 // mq_msgsize
	Curmsgs int64 // mq_curmsgs
}

// Sigevent holds the fields of struct sigevent that mq_notify uses, as
// cipc.Sigevent and goipc.Sigevent do.
type Sigevent sigeventFields

type sigeventFields = struct {
	Notify int     // sigev_notify
	Signo  int     // sigev_signo
	Value  uintptr // sigev_value, as sival_ptr
}

// mqAttr is a side's MqAttr: its fields must be MqAttr's, exactly.
type mqAttr interface{ ~mqAttrFields }

// sigevent is a side's Sigevent: its fields must be Sigevent's, exactly.
type sigevent interface{ ~sigeventFields }

// MqOf is the queue calls over a side's own MqAttr (A) and Sigevent (E);
// a filler assigns the side's functions to it as they are, and Adapt
// gives the Mq that converts.
type MqOf[A mqAttr, E sigevent] struct {
	Open         func(name string, oflag int, mode uint32, attr *A) (int, error)
	Close        func(mqd int) error
	Unlink       func(name string) error
	Send         func(mqd int, msg []byte, prio uint) error
	Timedsend    func(mqd int, msg []byte, prio uint, abstime *unix.Timespec) error
	Receive      func(mqd int, buf []byte, prio *uint) (int, error)
	Timedreceive func(mqd int, buf []byte, prio *uint, abstime *unix.Timespec) (int, error)
	Getattr      func(mqd int, attr *A) error
	Setattr      func(mqd int, newattr, oldattr *A) error
	Notify       func(mqd int, sev *E) error

	PrioMax, SigevSignal, SigevNone, SigevThread int
}

// in is p as the side's type: nil for nil, else a pointer to a copy.
func in[T, U any](p *U, conv func(U) T) *T {
	if p == nil {
		return nil
	}
	v := conv(*p)
	return &v
}

// out copies the side's *q back to *p, unless either is nil.
func out[T, U any](p *U, q *T, conv func(T) U) {
	if p != nil && q != nil {
		*p = conv(*q)
	}
}

// Adapt gives the Mq that calls m's functions, converting MqAttr and
// Sigevent in and out.
func (m MqOf[A, E]) Adapt() Mq {
	toA := func(a MqAttr) A { return A(a) }
	fromA := func(a A) MqAttr { return MqAttr(a) }
	return Mq{
		Open: func(name string, oflag int, mode uint32, attr *MqAttr) (int, error) {
			return m.Open(name, oflag, mode, in(attr, toA))
		},
		Close: m.Close, Unlink: m.Unlink, Send: m.Send, Timedsend: m.Timedsend,
		Receive: m.Receive, Timedreceive: m.Timedreceive,
		Getattr: func(mqd int, attr *MqAttr) error {
			a := in(attr, toA)
			err := m.Getattr(mqd, a)
			out(attr, a, fromA)
			return err
		},
		Setattr: func(mqd int, newattr, oldattr *MqAttr) error {
			o := in(oldattr, toA)
			err := m.Setattr(mqd, in(newattr, toA), o)
			out(oldattr, o, fromA)
			return err
		},
		Notify: func(mqd int, sev *Sigevent) error {
			return m.Notify(mqd, in(sev, func(e Sigevent) E { return E(e) }))
		},
		PrioMax: m.PrioMax, SigevSignal: m.SigevSignal, SigevNone: m.SigevNone, SigevThread: m.SigevThread,
	}
}

// semHandle is a side's *Sem.
type semHandle interface {
	comparable
	Semaphore
}

// SemOf is the semaphore calls over a side's own *Sem (S); a filler
// assigns the side's functions to it as they are, and Adapt gives the Sem
// that converts.
type SemOf[S semHandle] struct {
	Init    func(mem []byte, pshared bool, value uint) (S, error)
	At      func(mem []byte) (S, error)
	Destroy func(s S) error
	Open    func(name string, oflag int, mode uint32, value uint) (S, error)
	Close   func(s S) error
	Unlink  func(name string) error

	ValueMax uint
	Size     int
}

// Adapt gives the Sem that calls m's functions. A nil *Sem becomes a nil
// Semaphore, and a Semaphore of another side (or nil) becomes a nil *Sem.
func (m SemOf[S]) Adapt() Sem {
	give := func(s S, err error) (Semaphore, error) {
		var zero S
		if s == zero {
			return nil, err
		}
		return s, err
	}
	take := func(s Semaphore) S {
		h, _ := s.(S)
		return h
	}
	return Sem{
		Init: func(mem []byte, pshared bool, value uint) (Semaphore, error) {
			return give(m.Init(mem, pshared, value))
		},
		At:      func(mem []byte) (Semaphore, error) { return give(m.At(mem)) },
		Destroy: func(s Semaphore) error { return m.Destroy(take(s)) },
		Open: func(name string, oflag int, mode uint32, value uint) (Semaphore, error) {
			return give(m.Open(name, oflag, mode, value))
		},
		Close:    func(s Semaphore) error { return m.Close(take(s)) },
		Unlink:   m.Unlink,
		ValueMax: m.ValueMax,
		Size:     m.Size,
	}
}
