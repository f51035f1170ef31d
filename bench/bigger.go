package main

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// A file larger than memory (go run . -bigger, and rows of -promises):
// random 4 KiB reads from 64 goroutines and from 1, GOMAXPROCS=2, of a
// file larger than the memory its reader may use, while a goroutine sleeps
// 1 ms in a loop and notes how late it wakes. The reader runs in a memory
// cgroup (v1 or v2, made by this program: it needs root) whose limit is
// 3/4 of the file, so that the page cache can hold 3/4 of it and evicts
// as fast as the reads bring pages in. Before the timed reads the reader
// reads the whole file once in order (untimed), as a file just written or
// copied is: the page cache holds its last 3/4 in large folios. Each
// sample is a process of its own, with the file evicted before it.

// biggerImpls are what -bigger compares, by the names of their samples.
var biggerImpls = []struct{ sample, name string }{
	{"ours", "mmapio/mmap Map.ReadAt"},
	{"pread", "os.File.ReadAt (pread)"},
	{"bare", "copy from a bare unix.Mmap, MADV_RANDOM"},
}

// biggerLimit is the memory a reader of a file of size bytes may use.
func biggerLimit(size int64) int64 { return size / 4 * 3 }

// biggerFor is how long a sample reads, by the check's size.
func biggerFor(sz checkSize) time.Duration {
	switch sz.name {
	case "short":
		return 2 * time.Second
	case "bigger":
		return 20 * time.Second
	}
	return 5 * time.Second
}

// biggerSize is -bigger's: the full form's files, and issue 28's 20 s a
// sample (the map needs about a second to find a 4 GiB file evicting).
var biggerSize = func() checkSize { sz := fullSize; sz.name = "bigger"; return sz }()

// runBigger is go run . -bigger: rounds interleaved rounds of each
// implementation with 64 goroutines and with 1, then a Markdown table.
func runBigger(dir string, rounds int) error {
	files, err := checkFiles(dir, fullSize)
	if err != nil {
		return err
	}
	path := files["big"]
	size, err := fileSize(path)
	if err != nil {
		return err
	}
	type cell struct{ rate, late []float64 }
	goroutines := []int{64, 1}
	results := make([][]cell, len(goroutines))
	for g := range results {
		results[g] = make([]cell, len(biggerImpls))
	}
	for round := range rounds {
		for g, n := range goroutines {
			for k := range biggerImpls {
				i := (k + round) % len(biggerImpls)
				if err := evict(path); err != nil {
					return err
				}
				name := fmt.Sprintf("bigger%d/%s", n, biggerImpls[i].sample)
				perRead, late, err := sampleIn(name, path, biggerSize)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				c := &results[g][i]
				c.rate = append(c.rate, 1/perRead)
				c.late = append(c.late, float64(late))
				fmt.Fprintf(os.Stderr, "bigger round %d, %2d goroutines, %-40s %7.0f reads/s, sleeper late by %v at most\n",
					round+1, n, biggerImpls[i].name, 1/perRead, time.Duration(late).Round(10*time.Microsecond))
			}
		}
	}
	var mem unix.Sysinfo_t
	unix.Sysinfo(&mem)
	fmt.Printf("Random 4 KiB reads for %v a sample of a %.1f GiB file read once in order, by a reader limited to %.1f GiB (a memory cgroup) on a machine of %.1f GiB, GOMAXPROCS=%d, %s; %d rounds, each sample a process of its own.\n\n",
		biggerFor(biggerSize), gib(size), gib(biggerLimit(size)), gib(int64(mem.Totalram)*int64(mem.Unit)), coldProcs,
		time.Now().UTC().Format("2006-01-02"), rounds)
	fmt.Printf("| implementation | goroutines | reads/s, each round | relative to os.File, each round | a 1 ms sleep's worst lateness, each round |\n|---|---|---|---|---|\n")
	for g, n := range goroutines {
		base := results[g][1]
		for i, impl := range biggerImpls {
			c := results[g][i]
			var rates, rel, late []string
			for r := range c.rate {
				rates = append(rates, fmt.Sprintf("%.0fk", c.rate[r]/1000))
				rel = append(rel, fmt.Sprintf("%.2f", c.rate[r]/base.rate[r]))
				late = append(late, time.Duration(c.late[r]).Round(100*time.Microsecond).String())
			}
			fmt.Printf("| %s | %d | %s | %s | %s |\n", impl.name, n, strings.Join(rates, ", "), strings.Join(rel, ", "), strings.Join(late, ", "))
		}
	}
	return nil
}

func gib(n int64) float64 { return float64(n) / (1 << 30) }

// biggerSample is a sample of -bigger: goroutines reading through impl
// ("ours", "pread", "bare"). It returns the seconds per read and, as its
// result, the sleeper's worst lateness in nanoseconds.
func biggerSample(goroutines int, impl string) sample {
	return func(path string, sz checkSize) (float64, int64, error) {
		size, err := fileSize(path)
		if err != nil {
			return 0, 0, err
		}
		if err := joinMemoryCgroup(biggerLimit(size)); err != nil {
			return 0, 0, err
		}
		if err := readInOrder(path); err != nil {
			return 0, 0, err
		}
		runtime.GOMAXPROCS(coldProcs)
		readAt, closeIt, err := openReader(path, impl, true)
		if err != nil {
			return 0, 0, err
		}
		reads, late, err := readFor(readAt, size, goroutines, biggerFor(sz))
		if err := errors.Join(err, closeIt()); err != nil {
			return 0, 0, err
		}
		return biggerFor(sz).Seconds() / float64(reads), int64(late), nil
	}
}

// biggerScan is a sample of a scan (Find, or Lines' count) of a file
// larger than the memory of the reader, evicted before: through this
// library, or a pread loop (a chunked search, or the os.File read loop).
func biggerScan(scan string, ours bool) sample {
	return func(path string, _ checkSize) (float64, int64, error) {
		size, err := fileSize(path)
		if err != nil {
			return 0, 0, err
		}
		if err := joinMemoryCgroup(biggerLimit(size)); err != nil {
			return 0, 0, err
		}
		name := scan + "/pread"
		switch {
		case ours:
			name = scan + "/ours"
		case scan == "lines":
			name = "lines/readloop"
		}
		return samples[name](path, fullSize)
	}
}

// readFor reads 4 KiB at random pages of a file of size bytes from n
// goroutines for d, and returns how many reads it made and how late a
// goroutine sleeping 1 ms in a loop woke at most.
func readFor(readAt func([]byte, int64) (int, error), size int64, n int, d time.Duration) (reads int64, late time.Duration, err error) {
	var stop atomic.Bool
	var total atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	wg.Go(func() {
		for !stop.Load() {
			t := time.Now()
			time.Sleep(time.Millisecond)
			late = max(late, time.Since(t)-time.Millisecond)
		}
	})
	for g := range n {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(28, uint64(g)))
			p := make([]byte, 4096)
			k := int64(0)
			for !stop.Load() {
				if _, err := readAt(p, rng.Int64N(size/4096)*4096); err != nil {
					firstErr.CompareAndSwap(nil, err)
					break
				}
				k++
			}
			total.Add(k)
		})
	}
	time.Sleep(d)
	stop.Store(true)
	wg.Wait()
	if e, ok := firstErr.Load().(error); ok {
		return 0, 0, e
	}
	return total.Load(), late, nil
}

// readInOrder reads the file at path once from start to end.
func readInOrder(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.CopyBuffer(io.Discard, struct{ io.Reader }{f}, make([]byte, 1<<20))
	return err
}

// memoryCgroupRoot returns where memory cgroups are made and the file of
// a cgroup's limit: cgroup v1's memory hierarchy, or v2's with the memory
// controller.
func memoryCgroupRoot() (root, limitFile string, err error) {
	v1 := "/sys/fs/cgroup/memory"
	if _, err := os.Stat(filepath.Join(v1, "memory.limit_in_bytes")); err == nil {
		return v1, "memory.limit_in_bytes", nil
	}
	v2 := "/sys/fs/cgroup"
	ctl, err := os.ReadFile(filepath.Join(v2, "cgroup.controllers"))
	if err != nil || !slices.Contains(strings.Fields(string(ctl)), "memory") {
		return "", "", errors.New("no memory cgroup controller here")
	}
	os.WriteFile(filepath.Join(v2, "cgroup.subtree_control"), []byte("+memory"), 0) // may be on already
	return v2, "memory.max", nil
}

// canLimitMemory reports why this process cannot make a memory cgroup
// (it is not root, or the system has no memory controller), or nil.
func canLimitMemory() error {
	root, _, err := memoryCgroupRoot()
	if err != nil {
		return err
	}
	probe := filepath.Join(root, "mmapio-bench-probe")
	if err := os.Mkdir(probe, 0o755); err != nil && !os.IsExist(err) {
		return fmt.Errorf("a memory cgroup (root only): %w", err)
	}
	return os.Remove(probe)
}

// joinMemoryCgroup moves this process into a memory cgroup of its own
// name, limited to limit bytes (made if missing): the page cache of the
// files it reads is charged to it and evicted when it would pass.
func joinMemoryCgroup(limit int64) error {
	root, limitFile, err := memoryCgroupRoot()
	if err != nil {
		return err
	}
	dir := filepath.Join(root, "mmapio-bench-"+strconv.FormatInt(limit, 10))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("a memory cgroup (root only): %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, limitFile), []byte(strconv.FormatInt(limit, 10)), 0); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "cgroup.procs"), []byte(strconv.Itoa(os.Getpid())), 0)
}
