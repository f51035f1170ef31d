package main

import (
	binenc "encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"time"

	"github.com/mmapio/mmap"
	"github.com/mmapio/mmap/internal/queue"
)

// demoMessages is how many messages demoQueue passes.
const demoMessages = 100_000

// demoQueueSize is the bytes of the queue, which both ends must agree on:
// OpenNamed maps the memory as the system keeps it, rounded up to a page
// on Windows and macOS, so the consumer's Len may be larger.
var demoQueueSize = queue.Size(64 << 10)

// demoQueue passes messages from this process to another through a queue
// in named shared memory: the consumer is this program again, started with
// nothing but the name (ExampleCreateNamed is the same queue, smaller).
func demoQueue(w io.Writer, _ string) error {
	name := fmt.Sprintf("mmap-demo-%d", os.Getpid())
	fmt.Fprintf(w, "6. A queue to another process through named memory (%q)\n", name)
	mm, err := mmap.CreateNamed(name, demoQueueSize, &mmap.Options{RemoveOnClose: true})
	if err != nil {
		return err
	}
	defer mm.Close()
	q, err := queue.New(mm, 0, demoQueueSize)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, "demo-queue", name)
	cmd.Stdout, cmd.Stderr = w, os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	start := time.Now()
	msg := make([]byte, 64)
	for i := range demoMessages + 1 {
		binenc.LittleEndian.PutUint64(msg, uint64(i))
		if i == demoMessages {
			msg = msg[:0] // the end
		}
		for {
			if ok, err := q.TryPush(msg[:min(len(msg), 8+i%56)]); ok || err != nil {
				break
			}
			select { // full: the consumer has it all to read, unless it died
			case err := <-exited:
				return fmt.Errorf("the consumer ended early: %v", err)
			default:
				runtime.Gosched()
			}
		}
	}
	if err := <-exited; err != nil {
		return fmt.Errorf("the consumer: %w", err)
	}
	d := time.Since(start)
	fmt.Fprintf(w, "   %-33s %d messages of 8 to 63 bytes in %v (%.1f million a second)\n",
		fmt.Sprintf("producer (pid %d) pushed", os.Getpid()), demoMessages, d.Round(time.Millisecond),
		demoMessages/d.Seconds()/1e6)
	return nil
}

// demoQueueChild is the consumer of demoQueue: it opens the memory by name
// and checks that every message arrives, in order.
func demoQueueChild(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: mmap demo-queue NAME")
		return exitError
	}
	mm, err := mmap.OpenNamed(args[0], nil)
	if err == nil {
		defer mm.Close()
	}
	var q *queue.Queue
	if err == nil {
		q, err = queue.New(mm, 0, demoQueueSize)
	}
	if err != nil {
		fmt.Fprintf(stderr, "mmap demo-queue: %v\n", err)
		return exitError
	}
	n, bytes := 0, 0
	var buf []byte
	for buf = q.Pop(buf); len(buf) > 0; buf = q.Pop(buf) {
		if got := binenc.LittleEndian.Uint64(buf); got != uint64(n) || len(buf) != 8+n%56 {
			fmt.Fprintf(stderr, "mmap demo-queue: message %d is number %d, %d bytes\n", n, got, len(buf))
			return exitError
		}
		n++
		bytes += len(buf)
	}
	fmt.Fprintf(stdout, "   %-33s %d messages, %d bytes, all in order\n",
		fmt.Sprintf("consumer (pid %d) popped", os.Getpid()), n, bytes)
	return exitOK
}
