package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/mmapio/mmap/internal/growth"
)

// runGrowth is go run . -growth: the storage engine's growth of
// internal/growth at full size (8 readers; 1 MiB to 1 GiB in 1,000
// Resizes), this library with a reservation against bbolt's way,
// interleaved for rounds rounds. It prints a Markdown table of the medians.
func runGrowth(dir string, rounds int) error {
	const from, to, steps, readers = 1 << 20, 1 << 30, 1000, 8
	impls := []struct {
		name string
		make func(path string) (growth.Target, error)
	}{
		{"mmapio/mmap, Reserve 1 GiB", func(p string) (growth.Target, error) { return growth.NewMap(p, from, to) }},
		{"bbolt's way (RWMutex, munmap+mmap)", func(p string) (growth.Target, error) { return growth.NewBolt(p, from) }},
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	results := make([][]growth.Result, len(impls))
	for round := range rounds {
		for i, impl := range impls {
			path := filepath.Join(dir, "growth")
			tg, err := impl.make(path)
			if err != nil {
				return err
			}
			res, err := growth.Run(tg, readers, steps, from, to)
			tg.Close()
			os.Remove(path)
			if err != nil {
				return fmt.Errorf("%s: %w", impl.name, err)
			}
			if res.PageMismatches != 0 {
				return fmt.Errorf("%s: %d reads found a page wrong", impl.name, res.PageMismatches)
			}
			fmt.Fprintf(os.Stderr, "growth round %d %-36s p50 %v p99 %v max %v total %v reads %d moves %d\n",
				round+1, impl.name, res.P50, res.P99, res.Max, res.Total, res.Reads, res.Moves)
			results[i] = append(results[i], res)
		}
	}
	fmt.Printf("| %d readers, 1 MiB → 1 GiB in %d Resizes | read p50 | read p99 | read max | total | reads | moves |\n|---|---|---|---|---|---|---|\n", readers, steps)
	for i, impl := range impls {
		med := func(f func(growth.Result) time.Duration) time.Duration {
			ds := make([]time.Duration, 0, rounds)
			for _, r := range results[i] {
				ds = append(ds, f(r))
			}
			slices.Sort(ds)
			return ds[len(ds)/2]
		}
		r := results[i][len(results[i])/2]
		fmt.Printf("| %s | %v | %v | %v | %.2f s | %d | %d |\n", impl.name,
			med(func(r growth.Result) time.Duration { return r.P50 }), med(func(r growth.Result) time.Duration { return r.P99 }),
			med(func(r growth.Result) time.Duration { return r.Max }), med(func(r growth.Result) time.Duration { return r.Total }).Seconds(),
			r.Reads, r.Moves)
	}
	return nil
}
