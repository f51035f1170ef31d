package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	mmapgo "github.com/edsrzf/mmap-go"
	"github.com/mmapio/mmap"
	"github.com/mmapio/mmap/internal/lines"
	xmmap "golang.org/x/exp/mmap"
	"golang.org/x/sys/unix"
)

// The workloads, each run by every implementation on the same files. A run
// returns a result that all implementations must agree on (a count, an
// offset), so that no implementation wins by doing less.

// Implementations, in the order of the tables.
const (
	ours   = "mmapio/mmap"
	mmapGo = "edsrzf/mmap-go"
	xexp   = "x/exp/mmap"
	osFile = "os.File"
	heap   = "limit"
	python = "CPython mmap"
)

var impls = []string{ours, mmapGo, xexp, osFile, python, heap}

// run is one implementation of one workload; nil where it has none.
type run func(f *files) (result int64, err error)

type workload struct {
	id, title string
	limit     string // what the limit row measures
	runs      map[string]run
	prepare   func(f *files) error  // before each run, untimed
	input     func(f *files) string // the warm file it reads, if any
}

// needle is the 16 bytes that W1 and W6 look for: absent from the text,
// its first byte the commonest letter (where bytes.Index slows down), with a
// capital and a '!' in it, as a search in logs looks like. W1b's needle is
// made of the text's own common letters only: the hard case for the
// library's rare-byte search.
var (
	needle        = []byte("the Needle here!")
	lettersNeedle = []byte("needle is absent")
)

func workloads() []workload {
	return []workload{
		{
			id: "W1", title: "find an absent 16-byte needle in 1 GiB of text",
			input: func(f *files) string { return f.text },
			limit: "bytes.IndexByte over the bytes in the heap (memory bandwidth)",
			runs:  findRuns(needle, true),
		},
		{
			id: "W1b", title: "the same with a needle of common letters only",
			input: func(f *files) string { return f.text },
			limit: "bytes.IndexByte over the bytes in the heap (memory bandwidth)",
			runs:  findRuns(lettersNeedle, true),
		},
		{
			id: "W2", title: "iterate the lines of 1 GiB of ~80-byte lines",
			input: func(f *files) string { return f.text },
			limit: "the library's line finder (internal/lines, as Lines uses it) and a loop over the lines it finds, over the bytes in the heap; a loop of bytes.IndexByte, what the other Go rows do, takes about twice as long",
			runs: map[string]run{
				ours: func(f *files) (int64, error) {
					m, err := mmap.Open(f.text, mmap.AccessRead)
					if err != nil {
						return 0, err
					}
					defer m.Close()
					n := int64(0)
					for range m.Lines() {
						n++
					}
					return n, nil
				},
				mmapGo: func(f *files) (int64, error) {
					return withMmapGo(f.text, countLines)
				},
				xexp: func(f *files) (int64, error) {
					r, err := xmmap.Open(f.text)
					if err != nil {
						return 0, err
					}
					defer r.Close()
					return scanLines(io.NewSectionReader(r, 0, int64(r.Len())))
				},
				osFile: func(f *files) (int64, error) {
					file, err := os.Open(f.text)
					if err != nil {
						return 0, err
					}
					defer file.Close()
					return scanLines(file)
				},
				heap: func(f *files) (int64, error) {
					return countEnds(f.heapText()), nil
				},
				python: pythonRun("lines"),
			},
		},
		{
			id: "W3", title: "200k random 4 KiB reads from a 4 GiB file",
			input: func(f *files) string { return f.big },
			limit: "the same reads from a map that Populate faulted in first (untimed)",
			runs: map[string]run{
				ours: func(f *files) (int64, error) {
					m, err := mmap.Open(f.big, mmap.AccessRead)
					if err != nil {
						return 0, err
					}
					defer m.Close()
					return randomReads(m.ReadAt)
				},
				mmapGo: func(f *files) (int64, error) {
					return withMmapGoErr(f.big, func(b []byte) (int64, error) {
						return randomReads(func(p []byte, off int64) (int, error) { return copy(p, b[off:]), nil })
					})
				},
				xexp: func(f *files) (int64, error) {
					r, err := xmmap.Open(f.big)
					if err != nil {
						return 0, err
					}
					defer r.Close()
					return randomReads(r.ReadAt)
				},
				osFile: func(f *files) (int64, error) {
					file, err := os.Open(f.big)
					if err != nil {
						return 0, err
					}
					defer file.Close()
					return randomReads(file.ReadAt)
				},
				heap: func(f *files) (int64, error) {
					return randomReads(f.populatedBig().ReadAt)
				},
				python: pythonRun("random"),
			},
		},
		{
			id: "W4", title: "write 1 GiB in 64 KiB chunks and flush",
			limit: "the same copies into a heap buffer (no I/O)",
			prepare: func(f *files) error {
				if err := os.Remove(f.out); err != nil && !os.IsNotExist(err) {
					return err
				}
				return nil
			},
			runs: map[string]run{
				ours: func(f *files) (int64, error) {
					file, err := createSized(f.out, textSize)
					if err != nil {
						return 0, err
					}
					defer file.Close()
					m, err := mmap.MapFile(file, 0, nil)
					if err != nil {
						return 0, err
					}
					defer m.Close()
					n := int64(0)
					for chunk := range chunks() {
						k, err := m.Write(chunk)
						if err != nil {
							return 0, err
						}
						n += int64(k)
					}
					return n, m.Flush()
				},
				mmapGo: func(f *files) (int64, error) {
					file, err := createSized(f.out, textSize)
					if err != nil {
						return 0, err
					}
					defer file.Close()
					b, err := mmapgo.Map(file, mmapgo.RDWR, 0)
					if err != nil {
						return 0, err
					}
					defer b.Unmap()
					n := 0
					for chunk := range chunks() {
						n += copy(b[n:], chunk)
					}
					return int64(n), b.Flush()
				},
				osFile: func(f *files) (int64, error) {
					file, err := os.Create(f.out)
					if err != nil {
						return 0, err
					}
					defer file.Close()
					n := int64(0)
					for chunk := range chunks() {
						k, err := file.Write(chunk)
						if err != nil {
							return 0, err
						}
						n += int64(k)
					}
					return n, file.Sync()
				},
				heap: func(f *files) (int64, error) {
					b := f.heapOut()
					n := 0
					for chunk := range chunks() {
						n += copy(b[n:], chunk)
					}
					return int64(n), nil
				},
				python: pythonRun("write"),
			},
		},
		{
			id: "W5", title: "100k open-map-close cycles of a 4 KiB file",
			limit: "the raw system calls: openat, fstat, mmap, munmap, close",
			runs: map[string]run{
				ours: func(f *files) (int64, error) {
					return cycles(func() error {
						m, err := mmap.Open(f.small, mmap.AccessRead)
						if err != nil {
							return err
						}
						return m.Close()
					})
				},
				mmapGo: func(f *files) (int64, error) {
					return cycles(func() error {
						file, err := os.Open(f.small)
						if err != nil {
							return err
						}
						defer file.Close()
						b, err := mmapgo.Map(file, mmapgo.RDONLY, 0)
						if err != nil {
							return err
						}
						return b.Unmap()
					})
				},
				xexp: func(f *files) (int64, error) {
					return cycles(func() error {
						r, err := xmmap.Open(f.small)
						if err != nil {
							return err
						}
						return r.Close()
					})
				},
				heap: func(f *files) (int64, error) {
					return cycles(func() error { return rawCycle(f.small) })
				},
				python: pythonRun("cycles"),
			},
		},
		{
			id: "W6", title: "find an absent needle in 1 GiB evicted from the page cache",
			limit:   "",
			prepare: func(f *files) error { return evict(f.cold) },
			runs:    findRuns(needle, false),
		},
	}
}

// findRuns is W1, W1b and W6: finding needle in the text, with a limit
// row; or without one (W6), in the text's copy that W6 evicts.
func findRuns(needle []byte, limit bool) map[string]run {
	path, kind := func(f *files) string { return f.text }, "find"
	if !limit { // W6
		path, kind = func(f *files) string { return f.cold }, "findcold"
	}
	runs := map[string]run{
		ours: func(f *files) (int64, error) {
			m, err := mmap.Open(path(f), mmap.AccessRead)
			if err != nil {
				return 0, err
			}
			defer m.Close()
			return int64(m.Find(needle)), nil
		},
		mmapGo: func(f *files) (int64, error) {
			return withMmapGo(path(f), func(b []byte) int64 { return int64(bytes.Index(b, needle)) })
		},
		xexp: func(f *files) (int64, error) {
			r, err := xmmap.Open(path(f))
			if err != nil {
				return 0, err
			}
			defer r.Close()
			return chunkedIndex(r, int64(r.Len()), needle)
		},
		osFile: func(f *files) (int64, error) {
			file, err := os.Open(path(f))
			if err != nil {
				return 0, err
			}
			defer file.Close()
			st, err := file.Stat()
			if err != nil {
				return 0, err
			}
			return chunkedIndex(file, st.Size(), needle)
		},
		python: pythonRunNeedle(kind, needle),
	}
	if limit {
		runs[heap] = func(f *files) (int64, error) { return int64(bytes.IndexByte(f.heapText(), '!')), nil }
	}
	return runs
}

func withMmapGo(path string, f func([]byte) int64) (int64, error) {
	return withMmapGoErr(path, func(b []byte) (int64, error) { return f(b), nil })
}

func withMmapGoErr(path string, f func([]byte) (int64, error)) (int64, error) {
	file, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer file.Close()
	b, err := mmapgo.Map(file, mmapgo.RDONLY, 0)
	if err != nil {
		return 0, err
	}
	defer b.Unmap()
	return f(b)
}

// chunkedIndex finds needle through ReadAt in 1 MiB chunks that overlap by
// len(needle)-1 bytes: what a user of a ReaderAt does.
func chunkedIndex(r io.ReaderAt, size int64, needle []byte) (int64, error) {
	return chunkedFind(r, size, needle, bytes.Index)
}

// chunkedFind is chunkedIndex with the search index.
func chunkedFind(r io.ReaderAt, size int64, needle []byte, index func(s, sep []byte) int) (int64, error) {
	buf := make([]byte, 1<<20)
	for off := int64(0); off < size; off += int64(len(buf) - len(needle) + 1) {
		n, err := r.ReadAt(buf, off)
		if err != nil && err != io.EOF {
			return 0, err
		}
		if i := index(buf[:n], needle); i >= 0 {
			return off + int64(i), nil
		}
		if off+int64(n) >= size {
			break
		}
	}
	return -1, nil
}

func countLines(b []byte) int64 {
	n := int64(0)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return n + 1
		}
		b = b[i+1:]
		n++
	}
	return n
}

// countEnds is countLines with the library's line finder, in batches as
// Lines takes them, and a loop over the lines of each batch.
func countEnds(b []byte) int64 {
	var ends [64]int
	n := int64(0)
	for start := 0; ; {
		k := lines.Ends(b, start, ends[:])
		if k == 0 {
			return n
		}
		for _, end := range ends[:k] {
			if line := b[start:end]; len(line) > 0 {
				n++
			}
			start = end
		}
	}
}

func scanLines(r io.Reader) (int64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := int64(0)
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// offsets are W3's read offsets, page-aligned, the same for every
// implementation (cpython.py reads them from the file writeOffsets makes).
var offsets = func() []int64 {
	rng := rand.New(rand.NewPCG(42, 42))
	o := make([]int64, 200_000)
	for i := range o {
		o[i] = rng.Int64N(bigSize-4096) &^ 4095
	}
	return o
}()

func writeOffsets(path string) error {
	b := make([]byte, 0, 8*len(offsets))
	for _, o := range offsets {
		b = binary.LittleEndian.AppendUint64(b, uint64(o))
	}
	return os.WriteFile(path, b, 0o644)
}

// randomReads does W3's reads and returns the sum of the first byte of each.
func randomReads(readAt func([]byte, int64) (int, error)) (int64, error) {
	p := make([]byte, 4096)
	sum := int64(0)
	for _, off := range offsets {
		if _, err := readAt(p, off); err != nil {
			return 0, err
		}
		sum += int64(p[0])
	}
	return sum, nil
}

// chunks yields W4's 1 GiB as 64 KiB chunks of text.
func chunks() func(yield func([]byte) bool) {
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	return func(yield func([]byte) bool) {
		for range textSize / len(chunk) {
			if !yield(chunk) {
				return
			}
		}
	}
}

func cycles(cycle func() error) (int64, error) {
	for i := range 100_000 {
		if err := cycle(); err != nil {
			return int64(i), err
		}
	}
	return 100_000, nil
}

// rawCycle is the floor of W5: the five system calls and nothing else.
func rawCycle(path string) error {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return err
	}
	p, err := unix.MmapPtr(fd, 0, nil, uintptr(st.Size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		unix.Close(fd)
		return err
	}
	unix.MunmapPtr(p, uintptr(st.Size))
	return unix.Close(fd)
}

// evict drops path from the page cache and checks with mincore (through
// the library's Resident) that it is gone.
func evict(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		return err
	}
	m, err := mmap.MapFile(f, 0, &mmap.Options{Access: mmap.AccessRead})
	if err != nil {
		return err
	}
	defer m.Close()
	res, total, err := m.Resident()
	if err != nil {
		return err
	}
	if res > total/100 {
		return fmt.Errorf("%s: %d of %d pages still resident after POSIX_FADV_DONTNEED", path, res, total)
	}
	return nil
}

// rewarm evicts path from the page cache and reads it back in: with large
// sequential reads, which fill large folios, or if small, in 4 KiB pieces
// at random under POSIX_FADV_RANDOM, which fill 4 KiB ones (as a database
// file that was read at random sits in memory).
func rewarm(path string, small bool) error {
	if err := evict(path); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if small {
		return readSmall(f)
	}
	buf := make([]byte, 4<<20)
	for {
		if _, err := f.Read(buf); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// readSmall reads f in 4 KiB pieces at random, without readahead, from 8
// goroutines (a disk read at random takes long, and a 4 GiB file has a
// million pages).
func readSmall(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_RANDOM); err != nil {
		return err
	}
	defer unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_NORMAL)
	pages := rand.New(rand.NewPCG(1, 1)).Perm(int((st.Size() + 4095) / 4096))
	const readers = 8
	errs := make([]error, readers)
	var wg sync.WaitGroup
	for r := range readers {
		wg.Go(func() {
			buf := make([]byte, 4096)
			for _, p := range pages[r*len(pages)/readers : (r+1)*len(pages)/readers] {
				if _, err := f.ReadAt(buf, int64(p)*4096); err != nil && err != io.EOF {
					errs[r] = err
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// timed runs r once and returns its duration: the wall time, or for
// CPython the time its script measured, without the interpreter's start.
func timed(r run, f *files) (time.Duration, int64, error) {
	f.pythonElapsed = 0
	start := time.Now()
	res, err := r(f)
	d := time.Since(start)
	if f.pythonElapsed > 0 {
		d = f.pythonElapsed
	}
	return d, res, err
}
