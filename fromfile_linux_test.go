package mmap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/mmapio/mmap/internal/search"
	"golang.org/x/sys/unix"
)

// kernelSinks are the destinations of WriteTo: a regular file
// (copy_file_range), a TCP connection and a pipe (sendfile). Each returns
// the writer, and a function that returns all that reached the other end.
var kernelSinks = map[string]func(t *testing.T) (io.Writer, func() []byte){
	"file": func(t *testing.T) (io.Writer, func() []byte) {
		f, err := os.Create(filepath.Join(t.TempDir(), "out"))
		must(t, err)
		must(t, second(f.WriteString("head:"))) // the copy goes on at the file's offset
		return f, func() []byte {
			f.Close()
			b, err := os.ReadFile(f.Name())
			must(t, err)
			return b[len("head:"):]
		}
	},
	"tcp": func(t *testing.T) (io.Writer, func() []byte) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		must(t, err)
		got := make(chan []byte, 1)
		go func() {
			c, err := l.Accept()
			if err != nil {
				got <- nil
				return
			}
			b, _ := io.ReadAll(c)
			got <- b
		}()
		c, err := net.Dial("tcp", l.Addr().String())
		must(t, err)
		// The listener closes after the accept: closed before it, it
		// resets the connection waiting in its backlog, and nothing
		// arrives (a loaded machine ran the accept that late).
		return c, func() []byte { c.Close(); b := <-got; l.Close(); return b }
	},
	"pipe": func(t *testing.T) (io.Writer, func() []byte) {
		r, w, err := os.Pipe()
		must(t, err)
		got := make(chan []byte, 1)
		go func() { b, _ := io.ReadAll(r); got <- b }()
		return w, func() []byte { w.Close(); return <-got }
	},
}

// bothPaths runs f with the kernel's copy and with the mapping's path.
func bothPaths(t *testing.T, f func(t *testing.T, kernel bool)) {
	for _, kernel := range []bool{true, false} {
		name := "mapping"
		if kernel {
			name = "kernel"
		}
		t.Run(name, func(t *testing.T) {
			forcePath = pathMapping
			if kernel {
				forcePath = pathFile
			}
			defer func() { forcePath = pathAuto }()
			f(t, kernel)
		})
	}
}

func randomFile(t *testing.T, n int) (string, []byte) {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{1})
	r.Read(b)
	path := filepath.Join(t.TempDir(), "in")
	must(t, os.WriteFile(path, b, 0o644))
	return path, b
}

// Every path writes the same bytes, from the position, past several of the
// kernel's chunks, at a file offset, with a write through SetAt showing.
func TestWriteToKernelCopy(t *testing.T) {
	size := 5*writeToChunk + 12345
	path, want := randomFile(t, AllocationGranularity+size)
	want = want[AllocationGranularity:]
	bothPaths(t, func(t *testing.T, kernel bool) {
		for name, sink := range kernelSinks {
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			must(t, err)
			m, err := MapFile(f, size, &Options{Offset: int64(AllocationGranularity)})
			f.Close()
			must(t, err)
			must(t, m.SetAt(5000, want[5000]^0xff)) // a write through the map
			exp := bytes.Clone(want)
			exp[5000] ^= 0xff
			_, err = m.Seek(777, io.SeekStart)
			must(t, err)
			w, got := sink(t)
			if kernel && m.kernelCopier(w) == nil {
				t.Fatalf("%s: no kernel's copy", name)
			}
			if n, err := m.WriteTo(w); err != nil || n != int64(size-777) {
				t.Fatalf("%s: WriteTo = %d, %v", name, n, err)
			}
			if b := got(); !bytes.Equal(b, exp[777:]) {
				t.Fatalf("%s: %d bytes arrived, not the map's %d", name, len(b), size-777)
			}
			if m.Tell() != size {
				t.Fatalf("%s: position %d after WriteTo, want %d", name, m.Tell(), size)
			}
			m.Close()
		}
	})
}

// A private map keeps its own bytes: WriteTo sends what the map holds, not
// the file's.
func TestWriteToPrivateMapSendsItsOwnBytes(t *testing.T) {
	path, want := randomFile(t, 3*PageSize)
	m, err := Open(path, AccessCopy)
	must(t, err)
	defer m.Close()
	must(t, m.SetAt(10, want[10]^1))
	w, got := kernelSinks["file"](t)
	forcePath = pathFile // even forced, a private map keeps to the mapping
	k := m.kernelCopier(w)
	forcePath = pathAuto
	if k != nil {
		t.Fatal("the kernel's copy took a private map")
	}
	must(t, second(m.WriteTo(w)))
	if b := got(); len(b) != len(want) || b[10] != want[10]^1 {
		t.Fatal("WriteTo of a written private map did not send its bytes")
	}
}

// A file truncated under the map is ErrFault on both paths, after the
// bytes that the file still has.
func TestWriteToTruncatedFaults(t *testing.T) {
	underQemu(t, "reports faults without an address")
	bothPaths(t, func(t *testing.T, _ bool) {
		path, want := randomFile(t, 8*PageSize)
		m, err := Open(path, AccessRead)
		must(t, err)
		defer m.Close()
		must(t, os.Truncate(path, int64(3*PageSize)))
		w, got := kernelSinks["tcp"](t)
		n, err := m.WriteTo(w)
		if !errors.Is(err, ErrFault) {
			t.Fatalf("WriteTo over a truncated file: %d, %v; want ErrFault", n, err)
		}
		if b := got(); n > 3*int64(PageSize) || !bytes.Equal(b, want[:n]) {
			t.Fatalf("%d bytes arrived (%d counted) before the fault; the file has %d", len(b), n, 3*PageSize)
		}
	})
}

// BenchmarkWriteTo: Open, WriteTo, Close of a file in the page cache to a
// loopback TCP connection and to a file: the path WriteTo picks (auto),
// and each path forced. The page cache holds the file in large folios
// (read in sequentially after eviction) or in 4 KiB ones (read at random,
// a page at a time). MMAP_BENCH_WRITETO sets the size (default 64 MiB;
// BENCHMARKS.md quotes 1 GiB).
func BenchmarkWriteTo(b *testing.B) {
	size := benchSize(b, "MMAP_BENCH_WRITETO")
	path := filepath.Join(b.TempDir(), "in")
	must(b, os.WriteFile(path, bytes.Repeat([]byte("0123456789abcdef"), size/16), 0o644))
	for _, folios := range []string{"large", "4KiB"} {
		must(b, cacheIn(path, folios == "4KiB"))
		for _, sink := range []string{"tcp", "file"} {
			for _, p := range []struct {
				name string
				path int
			}{{"kernel", pathFile}, {"mapping", pathMapping}, {"auto", pathAuto}} {
				b.Run(folios+"/"+sink+"/"+p.name, func(b *testing.B) {
					forcePath = p.path
					defer func() { forcePath = pathAuto }()
					w, done := benchSink(b, sink)
					defer done()
					b.SetBytes(int64(size))
					for b.Loop() {
						if f, ok := w.(*os.File); ok {
							f.Seek(0, io.SeekStart)
						}
						m, err := Open(path, AccessRead) // a fresh map, as a file server makes
						must(b, err)
						if n, err := m.WriteTo(w); err != nil || n != int64(size) {
							b.Fatalf("WriteTo = %d, %v", n, err)
						}
						m.Close()
					}
				})
			}
		}
	}
}

// cacheIn evicts the file from the page cache and reads it back in: at
// random, a page at a time, for 4 KiB folios, or sequentially in large
// reads, which the kernel caches in large folios where the file system
// has them.
func cacheIn(path string, small bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fd := int(f.Fd())
	if err := unix.Fadvise(fd, 0, 0, unix.FADV_DONTNEED); err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !small {
		unix.Fadvise(fd, 0, 0, unix.FADV_SEQUENTIAL)
		_, err := io.Copy(io.Discard, f)
		return err
	}
	unix.Fadvise(fd, 0, 0, unix.FADV_RANDOM)
	pages := int(st.Size()) / PageSize
	buf := make([]byte, PageSize)
	for _, p := range rand.Perm(pages) {
		if _, err := f.ReadAt(buf, int64(p*PageSize)); err != nil {
			return err
		}
	}
	return nil
}

// benchSink returns a loopback TCP connection whose far end reads as fast
// as it can, or a file, and what closes it.
func benchSink(b *testing.B, sink string) (io.Writer, func()) {
	if sink == "file" {
		f, err := os.Create(filepath.Join(b.TempDir(), "out"))
		must(b, err)
		return f, func() { f.Close() }
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(b, err)
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		buf := make([]byte, 1<<20)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	}()
	c, err := net.Dial("tcp", l.Addr().String())
	must(b, err)
	return c, func() { c.Close(); l.Close() }
}

// Find reads the same bytes from the file as from the mapping: needles
// across the chunks' seams, one written through SetAt, none in a file
// truncated under the map.
func TestFindFromFile(t *testing.T) {
	size := aheadFrom + 6*aheadChunk + 999
	path := filepath.Join(t.TempDir(), "in")
	must(t, os.WriteFile(path, bytes.Repeat([]byte("abcdefgh"), size/8), 0o644))
	needle := []byte("NEEDLE!")
	bothPaths(t, func(t *testing.T, file bool) {
		m, err := Open(path, AccessWrite)
		must(t, err)
		defer m.Close()
		if !m.sameAsFile() {
			t.Fatal("a shared file map does not read its file")
		}
		for _, at := range []int{aheadFrom + aheadChunk - 3, aheadFrom + 4*aheadChunk + 1, aheadFrom + 2*aheadChunk + filePiece - 5, m.Len() - len(needle)} {
			must(t, m.SetSlice(at, at+len(needle), needle)) // through the map: the file sees it
			if got := m.FindIn(needle, 0, m.Len()); got != at {
				t.Errorf("FindIn = %d, want %d", got, at)
			}
			if got := m.Find(needle); got != at {
				t.Errorf("Find = %d, want %d", got, at)
			}
			must(t, m.SetSlice(at, at+len(needle), bytes.Repeat([]byte{'a'}, len(needle))))
		}
		if got := m.Find(needle); got != -1 {
			t.Errorf("Find of an absent needle = %d", got)
		}
	})
	// Private maps keep to the mapping.
	m, err := Open(path, AccessCopy)
	must(t, err)
	defer m.Close()
	if m.sameAsFile() {
		t.Error("a private map reads its file")
	}
}

func TestFindTruncatedFile(t *testing.T) {
	underQemu(t, "reports faults without an address")
	bothPaths(t, func(t *testing.T, _ bool) {
		size := aheadFrom + 4*aheadChunk
		path := filepath.Join(t.TempDir(), "in")
		must(t, os.WriteFile(path, bytes.Repeat([]byte("abcdefgh"), size/8), 0o644))
		m, err := Open(path, AccessRead)
		must(t, err)
		defer m.Close()
		must(t, os.Truncate(path, int64(aheadFrom+aheadChunk+5)))
		if got := m.Find([]byte("absent")); got != -1 {
			t.Fatalf("Find over a truncated file = %d, want -1", got)
		}
		if got := m.FindIn([]byte("abc"), aheadFrom+2*aheadChunk, -1); got != -1 {
			t.Fatalf("FindIn past the file's end = %d, want -1", got)
		}
	})
}

// BenchmarkFindFresh: Open, Find an absent 16-byte needle, Close, over a
// file in the page cache in large folios and in 4 KiB ones: the path Find
// picks (auto), each path forced, and a ReadAt loop into a 1 MiB buffer
// with the same search. MMAP_BENCH_FIND sets the size (default 64 MiB;
// BENCHMARKS.md quotes 1 GiB).
func BenchmarkFindFresh(b *testing.B) {
	size := benchSize(b, "MMAP_BENCH_FIND")
	path := filepath.Join(b.TempDir(), "in")
	must(b, os.WriteFile(path, bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog\n"), size/44), 0o644))
	needle := []byte("zq#absent-needle")
	for _, folios := range []string{"large", "4KiB"} {
		must(b, cacheIn(path, folios == "4KiB"))
		for _, p := range []struct {
			name string
			path int
		}{{"file", pathFile}, {"mapping", pathMapping}, {"readat", -1}, {"auto", pathAuto}} {
			b.Run(folios+"/"+p.name, func(b *testing.B) {
				b.SetBytes(int64(size))
				if p.path < 0 {
					buf := make([]byte, 1<<20+len(needle)-1)
					for b.Loop() {
						f, err := os.Open(path)
						must(b, err)
						readAtFind(b, f, buf, needle)
						f.Close()
					}
					return
				}
				forcePath = p.path
				defer func() { forcePath = pathAuto }()
				for b.Loop() {
					m, err := Open(path, AccessRead)
					must(b, err)
					if m.Find(needle) != -1 {
						b.Fatal("found")
					}
					m.Close()
				}
			})
		}
	}
}

// benchSize is the size that the variable env sets, 64 MiB by default.
func benchSize(b *testing.B, env string) int {
	size := 64 << 20
	if s := os.Getenv(env); s != "" {
		if _, err := fmt.Sscan(s, &size); err != nil {
			b.Fatal(err)
		}
	}
	return size
}

// readAtFind is the benchmarks' ReadAt loop: f read into buf 1 MiB at a
// time (the pieces overlapping by the needle), each piece searched.
func readAtFind(b *testing.B, f *os.File, buf, needle []byte) {
	for off := int64(0); ; off += 1 << 20 {
		n, _ := f.ReadAt(buf, off)
		if search.Index(buf[:n], needle) >= 0 {
			b.Fatal("found")
		}
		if n < len(buf) {
			return
		}
	}
}

// BenchmarkFindLongLived: the 2nd and later Find of an absent 16-byte
// needle over one map, against the same ReadAt loop as BenchmarkFindFresh
// and the heap (the limit), in both folio states. MMAP_BENCH_FIND sets the
// size (default 64 MiB; BENCHMARKS.md quotes 1 GiB).
func BenchmarkFindLongLived(b *testing.B) {
	size := benchSize(b, "MMAP_BENCH_FIND")
	path := filepath.Join(b.TempDir(), "in")
	text := bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog\n"), size/44)
	must(b, os.WriteFile(path, text, 0o644))
	needle := []byte("zq#absent-needle")
	for _, folios := range []string{"large", "4KiB"} {
		must(b, cacheIn(path, folios == "4KiB"))
		b.Run(folios+"/map", func(b *testing.B) {
			b.SetBytes(int64(size))
			m, err := Open(path, AccessRead)
			must(b, err)
			defer m.Close()
			m.Find(needle) // the first, whose probe decides
			for b.Loop() {
				if m.Find(needle) != -1 {
					b.Fatal("found")
				}
			}
		})
		b.Run(folios+"/readat", func(b *testing.B) {
			b.SetBytes(int64(size))
			f, err := os.Open(path)
			must(b, err)
			defer f.Close()
			buf := make([]byte, 1<<20+len(needle)-1)
			for b.Loop() {
				readAtFind(b, f, buf, needle)
			}
		})
		b.Run(folios+"/heap", func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				if search.Index(text, needle) >= 0 {
					b.Fatal("found")
				}
			}
		})
	}
}

// WriteTo a socket sends by sendfile where the map learned that its faults
// map small folios, and by the mapping where they map large ones; the
// bytes are the map's either way.
func TestWriteToSocketBySmallFolios(t *testing.T) {
	size := minKernelCopy + 12345
	path, want := randomFile(t, size)
	for _, mode := range []uint32{modePages, modeFolios} {
		m, err := Open(path, AccessRead)
		must(t, err)
		m.paths.mode.Store(mode)
		w, got := kernelSinks["tcp"](t)
		k := m.kernelCopier(w)
		if (k != nil) != (mode == modePages) {
			t.Fatalf("mode %d: sendfile chosen: %v", mode, k != nil)
		}
		if n, err := m.WriteTo(w); err != nil || n != int64(size) {
			t.Fatalf("mode %d: WriteTo = %d, %v", mode, n, err)
		}
		if !bytes.Equal(got(), want) {
			t.Fatalf("mode %d: the bytes that arrived are not the map's", mode)
		}
		m.Close()
	}
}

// WriteTo a file takes the kernel's copy where the map's faults map small
// folios, and the mapping where they map large ones.
func TestWriteToFileFollowsTheProbe(t *testing.T) {
	if pagemap() < 0 {
		t.Skip("/proc/self/pagemap cannot be read here")
	}
	path, _ := randomFile(t, minKernelCopy+12345)
	m, err := Open(path, AccessRead)
	must(t, err)
	defer m.Close()
	w, _ := kernelSinks["file"](t)
	m.paths.mode.Store(modePages)
	if k := m.kernelCopier(w); k == nil {
		t.Fatal("with small folios, WriteTo to a file did not choose the kernel's copy")
	}
	m.paths.mode.Store(modeFolios)
	if k := m.kernelCopier(w); k != nil {
		t.Fatal("with large folios, WriteTo to a file did not keep to the mapping")
	}
	m.paths.mode.Store(modeUnknown)
	m.kernelCopier(w)
	if m.paths.mode.Load() == modeUnknown {
		t.Fatal("WriteTo of a map that knew nothing of its folios did not probe")
	}
}

// Find from the file while another goroutine resizes the map: the scan
// reads the file under the lock that Resize takes, and must neither
// deadlock (32-bit systems, where the scan holds that lock already) nor
// find a needle that is not there.
func TestFindFromFileWhileResizing(t *testing.T) {
	forcePath = pathFile
	defer func() { forcePath = pathAuto }()
	size := aheadFrom + 3*aheadChunk
	path := filepath.Join(t.TempDir(), "in")
	must(t, os.WriteFile(path, bytes.Repeat([]byte("abcdefgh"), size/8), 0o644))
	m, err := Open(path, AccessWrite)
	must(t, err)
	defer m.Close()
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for i := 0; i < 500; i++ { // bounded: a Resize is slow under qemu
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if err := m.Resize(size + (i%2)*PageSize); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for range 10 {
		if got := m.Find([]byte("absent")); got != -1 {
			t.Errorf("Find = %d during Resize", got)
		}
	}
	close(stop)
	must(t, <-done)
}
