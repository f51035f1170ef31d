// Package growth measures readers of a file that grows under them, in the
// shape of a storage engine such as bbolt: several goroutines read random
// pages while one grows the file step by step and writes every new page.
// The package benchmark (BenchmarkGrowWhileReading, growth_unix_test.go in
// the mmap package) and the bench command (-growth, -promises) run it on the
// implementations of this package.
package growth

import (
	"errors"
	"math/bits"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Page is the size of a read and of a write.
const Page = 4096

// Target is a file that grows under readers.
type Target interface {
	// ReadAt reads len(p) bytes at off, below the length of the last
	// Grow that returned; many goroutines call it at once.
	ReadAt(p []byte, off int64) error
	// Grow makes the file size bytes long and writes its new pages; one
	// goroutine calls it.
	Grow(size int) error
	// Base is the address of the first mapped byte, 0 for none.
	Base() uintptr
	Close() error
}

// Result is what Run measured.
type Result struct {
	Reads          int           // reads timed
	P50, P99, Max  time.Duration // of one read
	Total          time.Duration // of the whole growth
	Moves          int           // how often Base changed
	PageMismatches int           // reads that found a page's bytes wrong
}

// Fill is the byte that Grow writes at every offset of a page: the page's
// number, so that a read can check what it got.
func Fill(page []byte, off int64) {
	v := byte(off / Page)
	for i := range page {
		page[i] = v
	}
}

// Run grows tg from its length from to the length to in steps Grows, while
// readers goroutines read random pages below the last length grown to and
// time every read.
func Run(tg Target, readers, steps, from, to int) (Result, error) {
	var res Result
	var length atomic.Int64
	length.Store(int64(from))
	var done atomic.Bool
	var wg sync.WaitGroup
	lat := make([]histogram, readers)
	mismatches := make([]int, readers)
	errs := make([]error, readers)
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, Page)
			var h histogram
			rng := rand.New(rand.NewPCG(uint64(r), 1))
			for !done.Load() {
				off := int64(rng.IntN(int(length.Load()/Page))) * Page
				t0 := time.Now()
				err := tg.ReadAt(buf, off)
				d := time.Since(t0)
				if err != nil {
					errs[r] = err
					return
				}
				h.add(d)
				if buf[0] != byte(off/Page) || buf[Page-1] != byte(off/Page) {
					mismatches[r]++
				}
			}
			lat[r] = h
		}()
	}
	base := tg.Base()
	start := time.Now()
	var err error
	for i := 1; i <= steps && err == nil; i++ {
		size := from + int(int64(to-from)*int64(i)/int64(steps)) // no overflow of a 32-bit int
		size -= size % Page
		if err = tg.Grow(size); err == nil {
			length.Store(int64(size))
			if b := tg.Base(); b != base {
				res.Moves++
				base = b
			}
		}
	}
	res.Total = time.Since(start)
	done.Store(true)
	wg.Wait()
	if err != nil {
		return res, err
	}
	if err := errors.Join(errs...); err != nil {
		return res, err
	}
	var all histogram
	for _, h := range lat {
		all.merge(&h)
	}
	for _, n := range mismatches {
		res.PageMismatches += n
	}
	res.Reads = int(all.n)
	res.P50, res.P99, res.Max = all.quantile(0.5), all.quantile(0.99), all.max
	return res, nil
}

// histogram counts durations in buckets 1/16 of a power of two wide (6%
// precision), and keeps the largest exactly.
type histogram struct {
	counts [64 * 16]int64
	n      int64
	max    time.Duration
}

// bucket is the index of d's bucket: d itself below 16 ns, then 16 per
// power of two from 16 ns (index 64) on.
func bucket(d time.Duration) int {
	v := uint64(max(d, 1))
	e := bits.Len64(v) - 1 // v is in [2^e, 2^(e+1))
	if e < 4 {
		return int(v) // exact below 16 ns
	}
	return e*16 + int(v>>(e-4))&15
}

// lower is the smallest duration of bucket i.
func lower(i int) time.Duration {
	if i < 16 {
		return time.Duration(i)
	}
	e := i / 16
	return time.Duration((16 + uint64(i%16)) << (e - 4))
}

func (h *histogram) add(d time.Duration) {
	h.counts[bucket(d)]++
	h.n++
	h.max = max(h.max, d)
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// quantile is the lower bound of the bucket that holds the q-quantile.
func (h *histogram) quantile(q float64) time.Duration {
	rank := int64(q * float64(h.n))
	var seen int64
	for i, c := range h.counts {
		if seen += c; seen > rank {
			return lower(i)
		}
	}
	return h.max
}
