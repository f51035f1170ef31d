package mmap

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// writePaths runs f with writes forced by pwrite, forced through the
// mapping, and as they choose.
func writePaths(t *testing.T, f func(t *testing.T)) {
	for _, p := range []struct {
		name string
		path int
	}{{"file", pathFile}, {"mapping", pathMapping}, {"auto", pathAuto}} {
		t.Run(p.name, func(t *testing.T) {
			forcePath = p.path
			defer func() { forcePath = pathAuto }()
			f(t)
		})
	}
}

// Every write method on every path puts its bytes where the mapping, At,
// ReadAt, a second map and the file itself all see them at once: small and
// large writes, across the seam of two regions, at a file offset, a page
// written many times (which moves to the mapping), and Write's position.
func TestWritesSeenEverywhere(t *testing.T) {
	writePaths(t, func(t *testing.T) {
		size := 3<<regionShift + 5000
		offset := int64(AllocationGranularity)
		path, want := randomFile(t, int(offset)+size)
		want = want[offset:]
		f := openTestFile(t, path, false)
		m, err := MapFile(f, size, &Options{Offset: offset})
		must(t, err)
		defer m.Close()
		other, err := Open(path, AccessRead)
		must(t, err)
		defer other.Close()
		if !m.toFile {
			t.Fatal("a shared writable map of a file does not write by its descriptor")
		}

		seam := 1 << regionShift
		writes := []struct {
			name string
			off  int
			do   func(p []byte, off int) error
		}{
			{"WriteAt", 100, func(p []byte, off int) error { _, err := m.WriteAt(p, int64(off)); return err }},
			{"WriteAt across the seam", seam - 300, func(p []byte, off int) error { _, err := m.WriteAt(p, int64(off)); return err }},
			{"Write", seam + 7000, func(p []byte, off int) error {
				if _, err := m.Seek(int64(off), 0); err != nil {
					return err
				}
				if _, err := m.Write(p); err != nil {
					return err
				}
				if m.Tell() != off+len(p) {
					return fmt.Errorf("Write left the position at %d, want %d", m.Tell(), off+len(p))
				}
				return nil
			}},
			{"WriteString", 2*seam + 123, func(p []byte, off int) error {
				m.Seek(int64(off), 0)
				_, err := m.WriteString(string(p))
				return err
			}},
			{"SetSlice", 2*seam - 10, func(p []byte, off int) error { return m.SetSlice(off, off+len(p), p) }},
		}
		for _, n := range []int{1, 600, 64<<10 + 4321} {
			for i, w := range writes {
				p := bytes.Repeat([]byte{byte(n + i)}, n)
				off := min(w.off, size-n)
				if err := w.do(p, off); err != nil {
					t.Fatalf("%s of %d bytes at %d: %v", w.name, n, off, err)
				}
				copy(want[off:], p)
				checkSeen(t, fmt.Sprintf("after %s of %d bytes at %d", w.name, n, off), m, other, path, offset, want)
			}
		}
		// A page written often goes by the mapping after writeAfter
		// writes by pwrite (auto), and keeps showing every write.
		for i := range 2 * writeAfter {
			p := []byte(fmt.Sprintf("hot record %02d", i))
			if _, err := m.WriteAt(p, int64(3*PageSize+10)); err != nil {
				t.Fatal(err)
			}
			copy(want[3*PageSize+10:], p)
			if got, _ := m.At(3*PageSize + 10 + len(p) - 1); got != p[len(p)-1] {
				t.Fatalf("write %d of a hot record: At sees %q", i, got)
			}
		}
		checkSeen(t, "after the hot record", m, other, path, offset, want)
		must(t, m.Flush())
	})
}

// checkSeen compares want with m's bytes, with m.At and m.ReadAt at a few
// places, with other (a second map of the whole file) and with the file.
func checkSeen(t *testing.T, when string, m, other *Map, path string, offset int64, want []byte) {
	t.Helper()
	if !bytes.Equal(m.Bytes(), want) {
		t.Fatalf("%s: the mapping differs", when)
	}
	for _, i := range []int{0, 100, 1<<regionShift - 1, 1 << regionShift, len(want) - 1} {
		if b, err := m.At(i); err != nil || b != want[i] {
			t.Fatalf("%s: At(%d) = %q, %v; want %q", when, i, b, err, want[i])
		}
	}
	p := make([]byte, 3000)
	if _, err := m.ReadAt(p, 1<<regionShift-1500); err != nil || !bytes.Equal(p, want[1<<regionShift-1500:][:3000]) {
		t.Fatalf("%s: ReadAt across the seam differs (%v)", when, err)
	}
	if !bytes.Equal(other.Bytes()[offset:], want) {
		t.Fatalf("%s: a second map differs", when)
	}
	file, err := os.ReadFile(path)
	must(t, err)
	if !bytes.Equal(file[offset:], want) {
		t.Fatalf("%s: the file differs", when)
	}
}

// A write on a full disk is ENOSPC from the write, with nothing written
// and the position kept, on the file's path; through the mapping, the
// fault it has always been.
func TestWriteFullDisk(t *testing.T) {
	underQemu(t, "reports memory faults without their address, which the guard needs")
	writePaths(t, func(t *testing.T) {
		dir := smallTmpfs(t, 16<<20)
		path := filepath.Join(dir, "data")
		f, err := os.Create(path)
		must(t, err)
		must(t, f.Truncate(12<<20)) // sparse: the blocks are taken by the writes
		m, err := MapFile(f, 0, nil)
		must(t, err)
		defer m.Close()
		must(t, os.WriteFile(filepath.Join(dir, "filler"), make([]byte, 14<<20), 0o644))

		p := bytes.Repeat([]byte("x"), 64<<10)
		var werr error
		pos := 0
		for pos = 0; pos+len(p) <= m.Len(); pos += len(p) {
			if _, werr = m.Write(p); werr != nil {
				break
			}
		}
		if !errors.Is(werr, ErrFault) {
			t.Fatalf("writing 12 MiB into 2 MiB of free space: %v, want ErrFault", werr)
		}
		if forcePath != pathMapping && !errors.Is(werr, syscall.ENOSPC) {
			t.Fatalf("a write by pwrite on a full disk: %v, want ENOSPC", werr)
		}
		if m.Tell() != pos {
			t.Fatalf("the failed Write moved the position to %d, want %d", m.Tell(), pos)
		}
		t.Log(werr)
	})
}

// A private map never writes its file, on any path.
func TestPrivateWritesStayInMemory(t *testing.T) {
	writePaths(t, func(t *testing.T) {
		path, want := randomFile(t, 4<<20)
		m, err := Open(path, AccessCopy)
		must(t, err)
		defer m.Close()
		if m.toFile {
			t.Fatal("a private map writes by its descriptor")
		}
		p := bytes.Repeat([]byte("p"), 64<<10+100)
		if _, err := m.WriteAt(p, 1000); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Write(p[:10]); err != nil {
			t.Fatal(err)
		}
		must(t, m.SetSlice(3<<20, 3<<20+len(p), p))
		if file, _ := os.ReadFile(path); !bytes.Equal(file, want) {
			t.Fatal("a private map's writes reached the file")
		}
		if b, _ := m.At(1000 + len(p) - 1); b != 'p' {
			t.Fatal("a private map does not show its own write")
		}
	})
}

// A write past the end of a file truncated under the map is the fault it
// would be through the mapping, on every path, once the size the map last
// saw is older than sizeFresh: pwrite must not grow the file back.
func TestWriteTruncatedFile(t *testing.T) {
	underQemu(t, "reports memory faults without their address, which the guard needs")
	writePaths(t, func(t *testing.T) {
		path, _ := randomFile(t, 4<<20)
		m, err := Open(path, AccessWrite)
		must(t, err)
		defer m.Close()
		m.WriteAt([]byte("a write that learns the size"), 100)
		must(t, os.Truncate(path, 1<<20))
		time.Sleep(2 * sizeFresh) // how long a size seen holds
		for _, n := range []int{100, 64 << 10} {
			if k, err := m.WriteAt(make([]byte, n), 2<<20); !errors.Is(err, ErrFault) || k != 0 {
				t.Fatalf("WriteAt of %d bytes past the end of the truncated file: %d, %v; want 0, ErrFault", n, k, err)
			}
			if st, _ := os.Stat(path); st.Size() != 1<<20 {
				t.Fatalf("a write past the end grew the truncated file to %d bytes", st.Size())
			}
		}
	})
}
