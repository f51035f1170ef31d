package mmap

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unsafe"

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
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("the helper runs only with GOMAXPROCS > 1")
	}
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

// smapsKiB returns the Rss and the dirty kilobytes (shared and private) of
// the mapping that starts at p, from /proc/self/smaps.
func smapsKiB(t *testing.T, p *byte) (rss, dirty int64) {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skip("no /proc/self/smaps here")
	}
	prefix := fmt.Sprintf("%x-", uintptr(unsafe.Pointer(p)))
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":") {
			in = strings.HasPrefix(line, prefix)
			continue
		}
		var kb int64
		switch {
		case !in:
		case scanKiB(line, "Rss:", &kb):
			rss = kb
		case scanKiB(line, "Shared_Dirty:", &kb), scanKiB(line, "Private_Dirty:", &kb):
			dirty += kb
		}
	}
	return rss, dirty
}

func scanKiB(line, field string, kb *int64) bool {
	_, err := fmt.Sscanf(line, field+" %d kB", kb)
	return err == nil
}

// TestAheadWrites: a run of Writes to a fresh sparse file gets help, which
// maps the pages in front of it by reading them, and so leaves them clean:
// the dirty pages are the ones written, and the rest of the file reads as
// zeros.
func TestAheadWrites(t *testing.T) {
	underQemu(t, "qemu ignores madvise")
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("the helper runs only with GOMAXPROCS > 1")
	}
	dir := tempDir(t)
	var fs unix.Statfs_t
	if err := unix.Statfs(dir, &fs); err != nil || fs.Type == unix.TMPFS_MAGIC {
		t.Skip("the temporary directory is tmpfs, where reading a hole maps no page")
	}
	const size = aheadFrom + 2*aheadWindow
	f, err := os.Create(filepath.Join(dir, "sparse"))
	must(t, err)
	defer f.Close()
	must(t, f.Truncate(size))
	for _, help := range []bool{false, true} {
		m, err := MapFile(f, 0, nil)
		must(t, err)
		m.advised.Store(!help) // as after Madvise: no help
		chunk := bytes.Repeat([]byte("a run of writes\n"), 4096)
		written := 0
		for written < aheadFrom+aheadChunk {
			n, err := m.Write(chunk)
			must(t, err)
			written += n
		}
		if a := m.run.a; help {
			if a == nil || a.off {
				t.Fatal("a run of writes past aheadFrom got no help")
			}
			a.wg.Wait() // the helper did what the run queued
		}
		rss, dirty := smapsKiB(t, &m.Bytes()[0])
		t.Logf("help %v: %d KiB written, %d KiB mapped, %d KiB dirty", help, written>>10, rss, dirty)
		switch mapped := int(rss) << 10; {
		case help && mapped < written+aheadWindow-aheadChunk:
			t.Errorf("with help, %d KiB mapped after writing %d KiB: the helper mapped little in front", rss, written>>10)
		case !help && mapped > written+aheadWindow/2:
			t.Errorf("without help, %d KiB mapped after writing %d KiB", rss, written>>10)
		}
		if d := int(dirty) << 10; d < written-PageSize || d > written+1<<20 {
			t.Errorf("%d KiB dirty after writing %d KiB", dirty, written>>10)
		}
		if rest := m.Slice(written, size); !bytes.Equal(rest, make([]byte, len(rest))) {
			t.Error("the bytes after the run are not all zero")
		}
		must(t, m.Close())
	}
}
