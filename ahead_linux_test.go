package mmap

import (
	"bytes"
	"crypto/sha256"
	"hash/crc32"
	"io"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// threadFaults returns the page faults of the calling thread so far.
func threadFaults(t *testing.T) int64 {
	var ru unix.Rusage
	must(t, unix.Getrusage(unix.RUSAGE_THREAD, &ru))
	return int64(ru.Minflt) + int64(ru.Majflt)
}

// TestAheadHidesFaults: the scans over a fresh map of a warm file take
// their page faults on the helper's thread, not on their own; and they read
// what they would read without it.
func TestAheadHidesFaults(t *testing.T) {
	underQemu(t, "qemu ignores madvise")
	if testing.Short() {
		// It counts how many faults a helper goroutine saves, which depends
		// on the machine's load: CI's -short run shares the cores with the
		// other packages' tests (once 22 faults with help against 41
		// without, where 5-9 are usual). The full runs keep it.
		t.Skip("a measure of the helper's timing, not run with -short")
	}
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("the helper runs only with GOMAXPROCS > 1")
	}
	// The helper works for the mapping's path; the paths that read the
	// file instead (readpath.go), where the probe finds small folios, take
	// no faults to hide.
	forcePath = pathMapping
	defer func() { forcePath = pathAuto }()
	text := bytes.Repeat([]byte("a line of text, of about eighty bytes, like those of the benchmarks......\n"),
		(aheadFrom+2*aheadWindow)/74)
	path := writeFile(t, text)
	sum := crc32.ChecksumIEEE(text)
	p := make([]byte, 64<<10) // Read's buffer, touched by the first run only
	scans := map[string]func(m *Map) uint32{
		"Find": func(m *Map) uint32 {
			if i := m.Find([]byte("absent")); i != -1 {
				t.Errorf("Find = %d", i)
			}
			return sum
		},
		"Lines": func(m *Map) uint32 {
			h := crc32.NewIEEE()
			for line := range m.Lines() {
				h.Write(line)
			}
			return h.Sum32()
		},
		"Read": func(m *Map) uint32 {
			h := crc32.NewIEEE()
			for {
				n, err := m.Read(p)
				h.Write(p[:n])
				if err != nil {
					return h.Sum32()
				}
			}
		},
		"WriteTo": func(m *Map) uint32 {
			// A writer slower than crc32 alone: a scan of a few
			// milliseconds could end before the helper first runs on a
			// loaded machine.
			h := crc32.NewIEEE()
			if n, err := m.WriteTo(io.MultiWriter(h, sha256.New())); n != int64(len(text)) || err != nil {
				t.Errorf("WriteTo = %d, %v", n, err)
			}
			return h.Sum32()
		},
	}
	// faults maps the file afresh and runs scan on a thread of its own,
	// with or without help, and returns that thread's page faults.
	faults := func(scan func(*Map) uint32, help bool) int64 {
		m, err := Open(path, AccessRead)
		must(t, err)
		defer m.Close()
		m.advised.Store(!help) // as after Madvise: no help
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		before := threadFaults(t)
		if got := scan(m); got != sum {
			t.Errorf("the scan read bytes other than the file's (crc %08x, want %08x)", got, sum)
		}
		return threadFaults(t) - before
	}
	for name, scan := range scans {
		// The fewest of up to five runs: other threads' work can land on
		// ours, and on a loaded machine the helper may start late.
		without, with := int64(1<<62), int64(1<<62)
		for range 5 {
			without = min(without, faults(scan, false))
			with = min(with, faults(scan, true))
			if with <= without/2 {
				break
			}
		}
		t.Logf("%s: %d page faults without help, %d with", name, without, with)
		if without < 16 {
			t.Logf("%s: too few faults to compare", name)
			continue
		}
		if with > without/2 {
			t.Errorf("%s: %d page faults with help, %d without", name, with, without)
		}
	}
}
