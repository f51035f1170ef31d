// Command bench compares github.com/mmapio/mmap with the other ways to read
// and write files from Go, and with CPython's mmap, on the workloads of
// BENCHMARKS.md, and writes BENCHMARKS.md and its chart.
//
// Run it from this directory: go run . [-rounds 5] [-dir DIR] [-only W1,W3]
// (or -growth, -queue, -cold for the tables of their own, or -promises
// [-short] for the check of every performance promise: promises.go)
//
// Each round runs every implementation once, one after the other (A B C A B
// C …), so that the machine's drift touches them all alike; the tables give
// the median of the rounds, with the fastest and the slowest.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	dir := flag.String("dir", filepath.Join(os.TempDir(), "mmap-bench"), "where the input files are made and kept (6 GiB)")
	rounds := flag.Int("rounds", 5, "rounds of every implementation")
	only := flag.String("only", "", "comma-separated workloads to run (default all); with -promises, the rows whose sample of this library starts with one of these (find, random4k, bigger, ...)")
	out := flag.String("out", "../BENCHMARKS.md", "the report to write")
	chart := flag.String("chart", "../benchmarks.png", "the chart to write")
	grow := flag.Bool("growth", false, "run only the storage engine's growth (readers while a file grows), print its table")
	q := flag.Bool("queue", false, "run only the round trip between two processes (named map queue against a pipe), print its table")
	folios := flag.String("folios", "both", "the page cache's state for the workloads that read a warm file: large (read back sequentially), small (4 KiB folios: read back at random in 4 KiB pieces), or both")
	cold := flag.Bool("cold", false, "run only the cold random reads (4 GiB evicted, 64 goroutines and 1, GOMAXPROCS=2), print its table")
	writes := flag.Bool("writes", false, "run only the writes' goals (1 GiB written and flushed, random 4 KiB WriteAt in both page-cache states, grown pages) against os.File, a bare map and CPython, print their table")
	bigger := flag.Bool("bigger", false, "run only the random reads of a file larger than memory (4 GiB, a reader limited to 3 GiB by a memory cgroup: root only; 64 goroutines and 1, GOMAXPROCS=2), print its table")
	check := flag.Bool("promises", false, "check every performance promise of the README and the package doc (5 rounds); exit 1 when one breaks in any round")
	short := flag.Bool("short", false, "with -promises: CI's short form (smaller files, 3 rounds), failing on a break of 1.5× the margin or more")
	pSample := flag.String("promise-sample", "", "(a sample of -promises, in a process of its own)")
	pFile := flag.String("promise-file", "", "(the file of -promise-sample)")
	pSize := flag.String("promise-size", "full", "(the size of -promise-sample)")
	qChild := flag.String("queue-child", "", "(the child process of -queue)")
	pChild := flag.Bool("pipe-child", false, "(the child process of -queue)")
	flag.Parse()
	switch {
	case *pSample != "":
		if err := promiseSample(*pSample, *pFile, *pSize); err != nil {
			fail(err)
		}
		return
	case *check:
		sz := fullSize
		if *short {
			sz = shortSize
		}
		n := sz.rounds
		if isFlagSet("rounds") {
			n = *rounds
		}
		ok, err := runPromises(*dir, sz, n, *only)
		if err != nil {
			fail(err)
		}
		if !ok {
			fmt.Fprintln(os.Stderr, "bench: a promise broke")
			os.Exit(1)
		}
		return
	case *qChild != "":
		if err := queueChild(*qChild); err != nil {
			fail(err)
		}
		return
	case *pChild:
		if err := pipeChild(); err != nil {
			fail(err)
		}
		return
	case *writes:
		if err := runWrites(*dir, *rounds); err != nil {
			fail(err)
		}
		return
	case *bigger:
		if err := runBigger(*dir, *rounds); err != nil {
			fail(err)
		}
		return
	case *q:
		if err := runQueue(*rounds); err != nil {
			fail(err)
		}
		return
	}
	if *cold {
		if err := runCold(*dir, *rounds); err != nil {
			fail(err)
		}
		return
	}
	if *grow {
		if err := runGrowth(*dir, *rounds); err != nil {
			fail(err)
		}
		return
	}

	f, err := makeFiles(*dir)
	if err != nil {
		fail(err)
	}
	if err := writeOffsets(f.big + ".offsets"); err != nil {
		fail(err)
	}
	// The limits' inputs, made before any timing (but populatedBig, which
	// W3's untimed warm-up round makes, after its input is warmed: a mapped
	// page cannot be evicted).
	f.heapText()
	f.heapOut()
	var results []result
	for _, w := range workloads() {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), w.id) {
			continue
		}
		states := []bool{false}
		switch {
		case w.input != nil && *folios == "both":
			states = []bool{false, true}
		case w.input != nil && *folios == "small":
			states = []bool{true}
		}
		for _, small := range states {
			results = append(results, runWorkload(f, w, small, *rounds))
		}
	}
	if err := writeReport(*out, *chart, *rounds, results); err != nil {
		fail(err)
	}
}

// runWorkload runs w's rounds with its input warm, in 4 KiB folios if
// small, and returns their times.
func runWorkload(f *files, w workload, small bool, rounds int) result {
	r := result{w: w, times: map[string][]time.Duration{}, folios: [2]int64{-1, -1}, small: small}
	if small {
		r.w.id += "/4K"
		r.w.title += ", page cache in 4 KiB folios"
	}
	if w.input != nil {
		// The input is read into the page cache afresh before each
		// workload, so that every run starts from the same state of it:
		// how large its folios are decides how many page faults a fresh
		// map takes, and here they do not last (on the machine of
		// BENCHMARKS.md, FileHugePages fell from 1.48 to 1.18 GB in one
		// idle minute, and the host once dropped the whole page cache
		// between two runs). The limit's populated map of the 4 GiB file
		// goes first: a mapped page cannot be evicted.
		f.dropPopulated()
		if err := rewarm(w.input(f), small); err != nil {
			fail(err)
		}
		r.folios[0] = fileHugePages()
	}
	want := map[string]int64{}
	for round := -1; round < rounds; round++ { // round -1 warms up, untimed
		for _, impl := range impls {
			run := w.runs[impl]
			if run == nil {
				continue
			}
			if w.prepare != nil {
				if err := w.prepare(f); err != nil {
					fail(fmt.Errorf("%s: %v", r.w.id, err))
				}
			}
			d, res, err := timed(run, f)
			if err != nil {
				fail(fmt.Errorf("%s %s: %v", r.w.id, impl, err))
			}
			want[impl] = res
			if round >= 0 {
				r.times[impl] = append(r.times[impl], d)
			}
			fmt.Fprintf(os.Stderr, "%s round %d %-14s %8.3f s  (result %d)\n", r.w.id, round+1, impl, d.Seconds(), res)
		}
	}
	if w.input != nil {
		r.folios[1] = fileHugePages()
	}
	if err := agree(r.w, want); err != nil {
		fail(err)
	}
	return r
}

// agree checks that every implementation found the same answer.
func agree(w workload, got map[string]int64) error {
	var ref int64
	var refImpl string
	for _, impl := range impls {
		v, ok := got[impl]
		if !ok {
			continue
		}
		if refImpl == "" {
			ref, refImpl = v, impl
		} else if v != ref {
			return fmt.Errorf("%s: %s says %d, %s says %d", w.id, impl, v, refImpl, ref)
		}
	}
	return nil
}

// isFlagSet reports whether the command line set the flag.
func isFlagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}
