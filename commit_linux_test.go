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
// GiB) that is warm and synced, then: Commit, against bbolt's way (a
// pwrite of each page and fdatasync); Discard of the same changes; Dirty,
// which finds them. Each op changes the pages anew; only the verb is
// timed.
func BenchmarkCommit(b *testing.B) {
	size := benchSize(b, "MMAP_BENCH_COMMIT_SIZE")
	path := filepath.Join(b.TempDir(), "commit")
	must(b, os.WriteFile(path, make([]byte, size), 0o644))
	f := openTestFile(b, path, false)
	must(b, f.Sync()) // the file's own writing is not the verbs' to pay
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
	bufs := make([][]byte, len(offs)) // bbolt's way writes from its own pages
	for i := range bufs {
		bufs[i] = make([]byte, PageSize)
	}
	for _, c := range []struct {
		name         string
		before, verb func()
	}{
		{"Commit", nil, func() { must(b, m.Commit()) }},
		{"pwrite+fdatasync", func() {
			for i, off := range offs {
				m.ReadAt(bufs[i], off)
			}
			must(b, m.Discard())
		}, func() {
			for i, off := range offs {
				if _, err := unix.Pwrite(int(f.Fd()), bufs[i], off); err != nil {
					b.Fatal(err)
				}
			}
			must(b, unix.Fdatasync(int(f.Fd())))
		}},
		{"Discard", nil, func() { must(b, m.Discard()) }},
		{"Dirty", nil, func() {
			if n, err := m.Dirty(); n == 0 || err != nil {
				b.Fatalf("Dirty() = %d, %v", n, err)
			}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var took time.Duration
			for b.Loop() {
				change()
				if c.before != nil {
					c.before()
				}
				start := time.Now()
				c.verb()
				took += time.Since(start)
			}
			must(b, m.Discard())
			b.ReportMetric(float64(took.Nanoseconds())/float64(b.N), "ns/verb")
		})
	}
}

// Commit gives back the changed pages and leaves the others mapped: a
// page read between two changed ones stays mapped (the spans that give
// back join only across pages that are not), and the changed ones are the
// file's again.
func TestCommitGivesBackOnlyChangedPages(t *testing.T) {
	if pagemap() < 0 {
		t.Skip("no /proc/self/pagemap")
	}
	underQemu(t, "answers pagemap for the emulator's addresses")
	m, _ := privateMap(t, make([]byte, 64*PageSize), 0)
	must(t, m.SetAt(2*PageSize, 1))
	data := m.Bytes()
	// A read maps the page and, by fault-around, the 64 KiB about it: pages
	// 16 to 31. (A write fault maps its page alone.)
	touched.Add(uint32(data[20*PageSize]))
	must(t, m.SetAt(40*PageSize, 1))
	runs, spans, err := sysDirty(m.mem, &m.cfg)
	must(t, err)
	if len(runs) != 2 || len(spans) != 2 {
		t.Fatalf("two changed pages with mapped ones between: runs %v, spans %v; want two of each", runs, spans)
	}
	must(t, m.SetAt(41*PageSize, 1))
	must(t, m.SetAt(47*PageSize, 1))
	if _, spans, _ := sysDirty(m.mem, &m.cfg); len(spans) != 2 || spans[1] != (run{40 * PageSize, 8 * PageSize}) {
		t.Fatalf("spans %v: pages 40 to 47 have nothing mapped between the changed ones: one span", spans)
	}
	must(t, m.Commit())
	if mapped, ok := pageMapped(&data[20*PageSize]); !ok || !mapped {
		t.Error("Commit unmapped a page it did not change")
	}
	if n, _ := m.Dirty(); n != 0 {
		t.Errorf("Dirty() after Commit = %d", n)
	}
}
