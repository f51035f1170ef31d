package mmap

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// BenchmarkCommit: 1,000 scattered pages changed in a map of a file
// (MMAP_BENCH_COMMIT_SIZE bytes, 64 MiB by default; BENCHMARKS.md uses 1
// GiB), then: Commit, against bbolt's way (a pwrite of each page and
// fdatasync); Discard of the same changes; Dirty, which finds them. Each
// op changes the pages anew; only the verb is timed.
func BenchmarkCommit(b *testing.B) {
	size := benchSize(b, "MMAP_BENCH_COMMIT_SIZE")
	path := filepath.Join(b.TempDir(), "commit")
	must(b, os.WriteFile(path, make([]byte, size), 0o644))
	f := openTestFile(b, path, false)
	m, err := MapFile(f, 0, &Options{Access: AccessCopy})
	must(b, err)
	defer m.Close()
	pages := size / PageSize
	r := rand.New(rand.NewPCG(1, 2))
	offs := make([]int64, 1000)
	change := func() {
		for i := range offs {
			offs[i] = int64(r.IntN(pages) * PageSize)
			m.SetAt(int(offs[i])+i%PageSize, byte(i+1))
		}
	}
	page := make([]byte, PageSize)
	for _, c := range []struct {
		name string
		verb func()
	}{
		{"Commit", func() { must(b, m.Commit()) }},
		{"pwrite+fdatasync", func() {
			for _, off := range offs {
				m.ReadAt(page, off)
				if _, err := unix.Pwrite(int(f.Fd()), page, off); err != nil {
					b.Fatal(err)
				}
			}
			must(b, unix.Fdatasync(int(f.Fd())))
			must(b, m.Discard()) // not timed in spirit: keeps the next round's changes at 1,000
		}},
		{"Discard", func() { must(b, m.Discard()) }},
		{"Dirty", func() {
			if n, err := m.Dirty(); n == 0 || err != nil {
				b.Fatalf("Dirty() = %d, %v", n, err)
			}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var took time.Duration
			for b.Loop() {
				change()
				start := time.Now()
				c.verb()
				took += time.Since(start)
			}
			must(b, m.Discard())
			b.ReportMetric(float64(took.Nanoseconds())/float64(b.N), "ns/verb")
		})
	}
}
