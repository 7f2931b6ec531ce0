//go:build linux

package sides

// MqThread holds mq_notify(3) with SIGEV_THREAD and a notification
// function that records the sigev_value it is called with, and the
// values recorded.
type MqThread struct {
	// Notify registers for notification on the empty queue mqd: when a
	// message arrives, the side runs the recording function, with value,
	// on a thread (goroutine) of its own.
	Notify func(mqd int, value int) error
	// Notified returns the values the recording function was called with
	// since the last call, in the order called.
	Notified func() []int
}
