package mmap_test

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/mmapio/mmap"
)

// children are the child processes of the examples, by the value of
// MMAP_EXAMPLE_CHILD: an example starts the test binary again as one.
var children = map[string]func(){"queue": consume}

func TestMain(m *testing.M) {
	if child, ok := children[os.Getenv("MMAP_EXAMPLE_CHILD")]; ok {
		child()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// A single-producer, single-consumer queue between two processes that
// share nothing but a name. The producer (this process) makes the named
// memory; the consumer, another program that knows only the name, opens it.
// Two atomic counters in the memory say how many bytes were ever pushed
// (head, written only by the producer) and popped (tail, only by the
// consumer); the ring of messages is the rest. An empty message ends the
// stream.
func ExampleCreateNamed() {
	name := fmt.Sprintf("example-queue-%d", os.Getpid())
	mm, err := mmap.CreateNamed(name, mmap.PageSize, &mmap.Options{RemoveOnClose: true})
	if err != nil {
		log.Fatal(err)
	}
	defer mm.Close()
	q := newQueue(mm)

	cmd := exec.Command(os.Args[0]) // the consumer: this program again (see consume)
	cmd.Env = append(os.Environ(), "MMAP_EXAMPLE_CHILD=queue", "MMAP_EXAMPLE_NAME="+name)
	cmd.Stdout = os.Stdout
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	for _, msg := range []string{"hello", "from", "another", "process", ""} {
		q.push([]byte(msg))
	}
	if err := cmd.Wait(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// consumer pops "hello"
	// consumer pops "from"
	// consumer pops "another"
	// consumer pops "process"
}

// consume is the consumer of ExampleCreateNamed, in another process.
func consume() {
	mm, err := mmap.OpenNamed(os.Getenv("MMAP_EXAMPLE_NAME"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer mm.Close()
	q := newQueue(mm)
	for msg := q.pop(); len(msg) > 0; msg = q.pop() {
		fmt.Printf("consumer pops %q\n", msg)
	}
}

// queue is the layout of the memory: head at 0 and tail at 64 (two cache
// lines, so that the processes do not write the same one), the ring from
// 128. A message is a length byte and its bytes, round the end of the ring.
type queue struct {
	head, tail *atomic.Uint64
	ring       []byte
}

func newQueue(mm *mmap.Map) *queue {
	head, err := mmap.ViewOf[atomic.Uint64](mm, 0)
	if err != nil {
		log.Fatal(err)
	}
	tail, err := mmap.ViewOf[atomic.Uint64](mm, 64)
	if err != nil {
		log.Fatal(err)
	}
	return &queue{head: head, tail: tail, ring: mm.Bytes()[128:]}
}

// push waits for room, writes the message, then publishes it by moving
// head: the consumer never sees head before the bytes under it.
func (q *queue) push(msg []byte) {
	h, n := q.head.Load(), uint64(len(q.ring))
	for h+1+uint64(len(msg))-q.tail.Load() > n {
		runtime.Gosched() // full: wait for the consumer
	}
	q.ring[h%n] = byte(len(msg))
	for i, b := range msg {
		q.ring[(h+1+uint64(i))%n] = b
	}
	q.head.Store(h + 1 + uint64(len(msg)))
}

// pop waits for a message, copies it out, then gives its room back by
// moving tail.
func (q *queue) pop() []byte {
	t, n := q.tail.Load(), uint64(len(q.ring))
	for q.head.Load() == t {
		runtime.Gosched() // empty: wait for the producer
	}
	msg := make([]byte, q.ring[t%n])
	for i := range msg {
		msg[i] = q.ring[(t+1+uint64(i))%n]
	}
	q.tail.Store(t + 1 + uint64(len(msg)))
	return msg
}
