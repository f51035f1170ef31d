//go:build unix

package mmap_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/mmapio/mmap/internal/growth"
)

// BenchmarkGrowWhileReading is a storage engine's growth (internal/growth):
// 1 and 8 goroutines read random 4 KiB pages while one grows the file from
// 1 to 256 MiB in 1 MiB steps, writing every new page; side by side, this
// library with a 1 GiB reservation, bbolt's way (an RWMutex that every read
// holds around munmap, ftruncate and mmap), and the machine's floor (reads
// from a buffer in the heap while the same file is written: growth.Floor).
// It reports the reads' latencies (the median over iterations of each
// percentile, the largest max) and how often the map moved. cd bench && go
// run . -growth runs the full size.
func BenchmarkGrowWhileReading(b *testing.B) {
	const from, to, steps = 1 << 20, 256 << 20, 255 // 1 MiB steps
	targets := map[string]func(path string) (growth.Target, error){
		"mmapio-reserve": func(path string) (growth.Target, error) { return growth.NewMap(path, from, 1<<30) },
		"bbolt-way":      func(path string) (growth.Target, error) { return growth.NewBolt(path, from) },
		"floor-heap":     func(path string) (growth.Target, error) { return growth.NewFloor(path, from, to) },
	}
	for _, run := range []struct {
		readers int
		name    string
	}{{1, "mmapio-reserve"}, {1, "bbolt-way"}, {1, "floor-heap"}, {8, "mmapio-reserve"}, {8, "bbolt-way"}, {8, "floor-heap"}} {
		readers, name := run.readers, run.name
		b.Run(fmt.Sprintf("readers=%d/%s", readers, name), func(b *testing.B) {
			var p50, p99 []time.Duration
			var worst time.Duration
			moves := 0
			for b.Loop() {
				tg, err := targets[name](filepath.Join(b.TempDir(), "grow"))
				if err != nil {
					b.Skip(err)
				}
				res, err := growth.Run(tg, readers, steps, from, to)
				tg.Close()
				if err != nil {
					b.Fatal(err)
				}
				if res.PageMismatches != 0 {
					b.Fatalf("%d reads found a page wrong", res.PageMismatches)
				}
				p50, p99 = append(p50, res.P50), append(p99, res.P99)
				worst, moves = max(worst, res.Max), moves+res.Moves
			}
			slices.Sort(p50)
			slices.Sort(p99)
			b.ReportMetric(float64(p50[len(p50)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(p99[len(p99)/2].Nanoseconds()), "p99-ns")
			b.ReportMetric(float64(worst.Nanoseconds()), "max-ns")
			b.ReportMetric(float64(moves)/float64(len(p50)), "moves/op")
		})
	}
}
