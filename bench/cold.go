package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mmapio/mmap"
	"golang.org/x/sys/unix"
)

// Cold random reads: 4 KiB reads at random offsets of the 4 GiB file, just
// evicted from the page cache, by many goroutines at GOMAXPROCS=2, while a
// goroutine sleeps 1 ms in a loop and notes how late it wakes. A page
// fault keeps its goroutine's P while the disk works; a system call lets
// the scheduler run another goroutine.
const (
	coldReads = 20000
	coldProcs = 2
)

// coldImpls are what -cold compares: openReader's implementations.
var coldImpls = []struct{ name, impl string }{
	{"mmapio/mmap Map.ReadAt", "ours"},
	{"os.File.ReadAt (pread)", "pread"},
	{"copy from a bare unix.Mmap", "bare"},
}

// openReader opens the file at path for random reads, through this
// library ("ours"), os.File ("pread") or a copy from a bare map ("bare",
// advised MADV_RANDOM where random), and returns its ReadAt and its close.
func openReader(path, impl string, random bool) (func([]byte, int64) (int, error), func() error, error) {
	switch impl {
	case "ours":
		m, err := mmap.Open(path, mmap.AccessRead)
		if err != nil {
			return nil, nil, err
		}
		return m.ReadAt, m.Close, nil
	case "pread":
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		return f.ReadAt, f.Close, nil
	case "bare":
		size, err := fileSize(path)
		if err != nil {
			return nil, nil, err
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		b, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
		f.Close()
		if err == nil && random {
			err = unix.Madvise(b, unix.MADV_RANDOM)
		}
		if err != nil {
			return nil, nil, err
		}
		return func(p []byte, off int64) (int, error) { return copy(p, b[off:]), nil },
			func() error { return unix.Munmap(b) }, nil
	}
	return nil, nil, fmt.Errorf("no implementation %q", impl)
}

// runCold is go run . -cold: rounds interleaved rounds of each
// implementation with 64 goroutines and with 1, then a Markdown table of
// the medians.
func runCold(dir string, rounds int) error {
	f, err := makeFiles(dir)
	if err != nil {
		return err
	}
	runtime.GOMAXPROCS(coldProcs)
	rng := rand.New(rand.NewPCG(7, 7))
	offs := make([]int64, coldReads)
	for i := range offs {
		offs[i] = rng.Int64N(bigSize-4096) &^ 4095
	}
	type res struct{ rate, late []float64 }
	goroutines := []int{64, 1}
	results := make([][]res, len(goroutines))
	for g := range goroutines {
		results[g] = make([]res, len(coldImpls))
	}
	for round := range rounds {
		for g, n := range goroutines {
			// The order turns each round: the first reader after an
			// eviction may find the host's cache colder.
			for k := range coldImpls {
				i := (k + round) % len(coldImpls)
				impl := coldImpls[i]
				rate, late, sum, err := coldRun(f.big, impl.impl, offs, n)
				if err != nil {
					return fmt.Errorf("%s: %w", impl.name, err)
				}
				r := &results[g][i]
				r.rate = append(r.rate, rate)
				r.late = append(r.late, float64(late))
				fmt.Fprintf(os.Stderr, "cold round %d, %2d goroutines, %-28s %6.0f reads/s, ticker late by %v at most (sum %d)\n",
					round+1, n, impl.name, rate, late.Round(10*time.Microsecond), sum)
			}
		}
	}
	med := func(v []float64) float64 { v = slices.Clone(v); slices.Sort(v); return v[len(v)/2] }
	fmt.Printf("| %d random 4 KiB reads of 4 GiB, evicted, GOMAXPROCS=%d | goroutines | reads/s | relative to os.File | a 1 ms sleep's worst lateness |\n|---|---|---|---|---|\n",
		coldReads, coldProcs)
	for g, n := range goroutines {
		base := med(results[g][1].rate)
		for i, impl := range coldImpls {
			r := results[g][i]
			fmt.Printf("| %s | %d | %.0f | %.2f× | %v |\n", impl.name, n, med(r.rate), med(r.rate)/base,
				time.Duration(med(r.late)).Round(10*time.Microsecond))
		}
	}
	return nil
}

// coldRun evicts path and reads it at offs from n goroutines through the
// implementation open makes; it returns the reads per second, how late the
// ticker woke at most, and the sum of the first byte of each read (the
// same for every implementation).
func coldRun(path, impl string, offs []int64, n int) (rate float64, late time.Duration, sum int64, err error) {
	if err := evict(path); err != nil {
		return 0, 0, 0, err
	}
	readAt, closeIt, err := openReader(path, impl, false)
	if err != nil {
		return 0, 0, 0, err
	}
	defer closeIt()
	return parallelReads(readAt, offs, n)
}

// parallelReads reads 4 KiB at each of offs from n goroutines and returns
// the reads per second, how late a goroutine sleeping 1 ms in a loop woke
// at most, and the sum of the first byte of each read.
func parallelReads(readAt func([]byte, int64) (int, error), offs []int64, n int) (rate float64, late time.Duration, sum int64, err error) {
	stop := make(chan struct{})
	lateCh := make(chan time.Duration)
	go func() {
		var worst time.Duration
		for {
			select {
			case <-stop:
				lateCh <- worst
				return
			default:
			}
			t := time.Now()
			time.Sleep(time.Millisecond)
			worst = max(worst, time.Since(t)-time.Millisecond)
		}
	}()
	var next, total atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Go(func() {
			p := make([]byte, 4096)
			for i := next.Add(1) - 1; i < int64(len(offs)); i = next.Add(1) - 1 {
				if _, err := readAt(p, offs[i]); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				total.Add(int64(p[0]))
			}
		})
	}
	wg.Wait()
	d := time.Since(start)
	close(stop)
	late = <-lateCh
	if e, ok := firstErr.Load().(error); ok {
		return 0, 0, 0, e
	}
	return float64(len(offs)) / d.Seconds(), late, total.Load(), nil
}
