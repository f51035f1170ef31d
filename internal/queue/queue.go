// Package queue is a single-producer, single-consumer queue of messages in
// shared memory, which two processes use through a named map: the one that
// Push-es and the one that Pop-s. It is the queue of the package's example
// (ExampleCreateNamed), made reusable for the command's demo and the
// benchmarks.
//
// Layout, at the queue's offset in the map: the head (bytes ever pushed,
// an atomic uint64 that only the producer writes), 56 bytes of padding so
// that the two counters never share a cache line, the tail (bytes ever
// popped, written only by the consumer), padding again, then the ring.
// Each message is its length (4 bytes, little-endian) and its bytes,
// wrapping round the end of the ring.
package queue

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/mmapio/mmap"
)

// Header is the size of the counters before the ring.
const Header = 128

// Queue is one end of a queue; a process uses one end per queue.
type Queue struct {
	head, tail *atomic.Uint64
	ring       []byte
}

// Size returns the bytes a queue whose ring holds ring bytes takes in a map.
func Size(ring int) int { return Header + ring }

// New returns the queue at offset off of m, whose ring is size-Header
// bytes. Both processes must give the same offset and size.
func New(m *mmap.Map, off, size int) (*Queue, error) {
	if size <= Header+4 {
		return nil, fmt.Errorf("queue: size %d leaves no ring", size)
	}
	head, err := mmap.ViewOf[atomic.Uint64](m, off)
	if err != nil {
		return nil, err
	}
	tail, err := mmap.ViewOf[atomic.Uint64](m, off+64)
	if err != nil {
		return nil, err
	}
	b := m.Bytes()
	if off+size > len(b) {
		return nil, fmt.Errorf("queue: %d bytes at %d do not fit the %d-byte map: %w", size, off, len(b), mmap.ErrOutOfRange)
	}
	return &Queue{head: head, tail: tail, ring: b[off+Header : off+size]}, nil
}

// ErrTooLong is the error of a message that cannot fit the ring.
var ErrTooLong = errors.New("queue: message longer than the ring")

// Push appends msg, waiting while the ring is too full for it. Only one
// process may push to a queue.
func (q *Queue) Push(msg []byte) error {
	if 4+len(msg) > len(q.ring) {
		return ErrTooLong
	}
	wait(func() bool { return q.room(msg) })
	q.write(msg)
	return nil
}

// TryPush appends msg if the ring has room for it now, and reports whether
// it did.
func (q *Queue) TryPush(msg []byte) (bool, error) {
	if 4+len(msg) > len(q.ring) {
		return false, ErrTooLong
	}
	if !q.room(msg) {
		return false, nil
	}
	q.write(msg)
	return true, nil
}

// room reports whether the ring has room for msg.
func (q *Queue) room(msg []byte) bool {
	return q.head.Load()+uint64(4+len(msg))-q.tail.Load() <= uint64(len(q.ring))
}

// write appends msg, for which there is room.
func (q *Queue) write(msg []byte) {
	h := q.head.Load()
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(len(msg)))
	q.put(h, n[:])
	q.put(h+4, msg)
	q.head.Store(h + 4 + uint64(len(msg))) // publishes the bytes above to the consumer
}

// Pop waits for the next message and returns it, in buf when it fits.
// Only one process may pop from a queue.
func (q *Queue) Pop(buf []byte) []byte {
	t := q.tail.Load()
	wait(func() bool { return q.head.Load() != t })
	var n [4]byte
	q.get(t, n[:])
	size := int(binary.LittleEndian.Uint32(n[:]))
	if cap(buf) < size {
		buf = make([]byte, size)
	}
	buf = buf[:size]
	q.get(t+4, buf)
	q.tail.Store(t + 4 + uint64(size)) // gives the space back to the producer
	return buf
}

// put copies b into the ring from position at, round the end.
func (q *Queue) put(at uint64, b []byte) {
	c := copy(q.ring[at%uint64(len(q.ring)):], b)
	copy(q.ring, b[c:])
}

// get copies from the ring at position at into b, round the end.
func (q *Queue) get(at uint64, b []byte) {
	c := copy(b, q.ring[at%uint64(len(q.ring)):])
	copy(b[c:], q.ring)
}

// wait returns when ready does: it spins a while, then yields the
// processor, then sleeps, so that an idle end costs little CPU.
func wait(ready func() bool) {
	for i := 0; !ready(); i++ {
		switch {
		case i < 200:
		case i < 20_000:
			runtime.Gosched()
		default:
			time.Sleep(50 * time.Microsecond)
		}
	}
}
