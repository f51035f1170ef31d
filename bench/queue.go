package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"time"

	"github.com/mmapio/mmap"
	"github.com/mmapio/mmap/internal/queue"
)

// The round trip of a 64-byte message between two processes: through two
// queues of internal/queue (ExampleCreateNamed's queue) in named shared
// memory, and through a pipe each way (the child's stdin and stdout).
var queueTrips = 200_000 // fewer in the promise check's short form

const (
	queueMsg  = 64
	queueRing = 64 << 10
)

// runQueue is go run . -queue: rounds interleaved rounds of each, then a
// Markdown table of the medians.
func runQueue(rounds int) error {
	impls := []struct {
		name string
		run  func() ([]time.Duration, error)
	}{
		{"named map, internal/queue (spins, then yields)", queueTrip},
		{"pipe each way (os/exec stdin, stdout)", pipeTrip},
	}
	type res struct{ rate, p50, p99, max []float64 }
	results := make([]res, len(impls))
	for round := range rounds {
		for i, impl := range impls {
			lat, err := impl.run()
			if err != nil {
				return fmt.Errorf("%s: %w", impl.name, err)
			}
			var total time.Duration
			for _, d := range lat {
				total += d
			}
			slices.Sort(lat)
			r := &results[i]
			r.rate = append(r.rate, float64(len(lat))/total.Seconds())
			r.p50 = append(r.p50, float64(lat[len(lat)/2]))
			r.p99 = append(r.p99, float64(lat[len(lat)*99/100]))
			r.max = append(r.max, float64(lat[len(lat)-1]))
			fmt.Fprintf(os.Stderr, "queue round %d %-48s %.0f trips/s p50 %v p99 %v max %v\n", round+1, impl.name,
				r.rate[len(r.rate)-1], lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1])
		}
	}
	med := func(v []float64) float64 { v = slices.Clone(v); slices.Sort(v); return v[len(v)/2] }
	dur := func(ns float64) time.Duration { return time.Duration(ns).Round(100 * time.Nanosecond) }
	fmt.Printf("| %d round trips of %d bytes | round trips/s | p50 | p99 | max |\n|---|---|---|---|---|\n", queueTrips, queueMsg)
	for i, impl := range impls {
		r := results[i]
		fmt.Printf("| %s | %.0f | %v | %v | %v |\n", impl.name, med(r.rate), dur(med(r.p50)), dur(med(r.p99)), dur(med(r.max)))
	}
	return nil
}

// queueTrip starts the echoing child on a named map of two queues and
// times each round trip.
func queueTrip() ([]time.Duration, error) {
	name := fmt.Sprintf("mmap-bench-%d", os.Getpid())
	size := queue.Size(queueRing)
	mm, err := mmap.CreateNamed(name, 2*size, &mmap.Options{RemoveOnClose: true})
	if err != nil {
		return nil, err
	}
	defer mm.Close()
	ping, err := queue.New(mm, 0, size)
	if err != nil {
		return nil, err
	}
	pong, err := queue.New(mm, size, size)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(os.Args[0], "-queue-child", name)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lat, err := trips(func(msg, buf []byte) ([]byte, error) {
		ping.Push(msg)
		return pong.Pop(buf), nil
	})
	if err != nil {
		return nil, err
	}
	ping.Push(nil)
	return lat, cmd.Wait()
}

// trips times queueTrips round trips of a message, each numbered in its
// first byte, checking that each comes back.
func trips(trip func(msg, buf []byte) ([]byte, error)) ([]time.Duration, error) {
	lat := make([]time.Duration, queueTrips)
	msg, buf := make([]byte, queueMsg), make([]byte, queueMsg)
	for i := range lat {
		msg[0] = byte(i)
		start := time.Now()
		got, err := trip(msg, buf)
		lat[i] = time.Since(start)
		if err != nil {
			return nil, err
		}
		if got[0] != byte(i) {
			return nil, fmt.Errorf("trip %d came back as %d", i, got[0])
		}
		buf = got
	}
	return lat, nil
}

// queueChild echoes the messages of the first queue into the second until
// an empty one.
func queueChild(name string) error {
	mm, err := mmap.OpenNamed(name, nil)
	if err != nil {
		return err
	}
	defer mm.Close()
	size := queue.Size(queueRing)
	ping, err := queue.New(mm, 0, size)
	if err != nil {
		return err
	}
	pong, err := queue.New(mm, size, size)
	if err != nil {
		return err
	}
	var buf []byte
	for buf = ping.Pop(buf); len(buf) > 0; buf = ping.Pop(buf) {
		pong.Push(buf)
	}
	return nil
}

// pipeTrip does the same round trips through the child's stdin and stdout.
func pipeTrip() ([]time.Duration, error) {
	cmd := exec.Command(os.Args[0], "-pipe-child")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lat, err := trips(func(msg, buf []byte) ([]byte, error) {
		if _, err := in.Write(msg); err != nil {
			return nil, err
		}
		_, err := io.ReadFull(out, buf)
		return buf, err
	})
	if err != nil {
		return nil, err
	}
	in.Close()
	return lat, cmd.Wait()
}

// pipeChild echoes stdin to stdout, message by message.
func pipeChild() error {
	r := bufio.NewReader(os.Stdin)
	buf := make([]byte, queueMsg)
	for {
		if _, err := io.ReadFull(r, buf); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if _, err := os.Stdout.Write(buf); err != nil {
			return err
		}
	}
}
