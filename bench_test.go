package mmap

import (
	"bufio"
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// benchText is size bytes of ~80-byte lines of text, the needle of the
// search benchmarks absent.
func benchText(size int) []byte {
	line := []byte("the quick brown fox jumps over the lazy dog, and then some more words follow it\n")
	return bytes.Repeat(line, size/len(line)+1)[:size]
}

// benchMap maps a file of data read-write.
func benchMap(b *testing.B, data []byte) *Map {
	m, _ := mapData(b, data, nil)
	return m
}

// BenchmarkFind searches a 64 MiB mapped file for an absent 16-byte needle.
func BenchmarkFind(b *testing.B) {
	const size = 64 << 20
	m := benchMap(b, benchText(size))
	needle := []byte("a needle absent!")
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if m.Find(needle) != -1 {
			b.Fatal("found the absent needle")
		}
	}
}

// BenchmarkReadAt reads 4 KiB at random offsets of a 64 MiB mapped file.
func BenchmarkReadAt(b *testing.B) {
	const size = 64 << 20
	m := benchMap(b, benchText(size))
	p := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.ReadAt(p, rng.Int64N(size-4096)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadAt1 reads one byte: the cost of a call, guards included.
func BenchmarkReadAt1(b *testing.B) {
	m := benchMap(b, benchText(4096))
	p := make([]byte, 1)
	b.ReportAllocs()
	for b.Loop() {
		m.ReadAt(p, 100)
	}
}

// BenchmarkReadAt1Unguarded is BenchmarkReadAt1 on the bare slice: what the
// guards of BenchmarkReadAt1 cost is the difference.
func BenchmarkReadAt1Unguarded(b *testing.B) {
	m := benchMap(b, benchText(4096))
	data := m.Bytes()
	p := make([]byte, 1)
	b.ReportAllocs()
	for b.Loop() {
		readAtBare(data, p, 100)
	}
}

//go:noinline
func readAtBare(data, p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, ErrOutOfRange
	}
	if off >= int64(len(data)) {
		return 0, io.EOF
	}
	return copy(p, data[off:]), nil
}

// BenchmarkReadLine reads every line of a 16 MiB mapped text file.
func BenchmarkReadLine(b *testing.B) {
	const size = 16 << 20
	m := benchMap(b, benchText(size))
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		m.Seek(0, io.SeekStart)
		for {
			if _, err := m.ReadLine(); err != nil {
				break
			}
		}
	}
}

// BenchmarkLines iterates over the same lines without copies.
func BenchmarkLines(b *testing.B) {
	const size = 16 << 20
	m := benchMap(b, benchText(size))
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		m.Seek(0, io.SeekStart)
		n := 0
		for line := range m.Lines() {
			n += len(line)
		}
		if n != size {
			b.Fatalf("lines hold %d bytes", n)
		}
	}
}

// BenchmarkWrite writes a 64 MiB mapped file in 64 KiB chunks.
func BenchmarkWrite(b *testing.B) {
	const size = 64 << 20
	m := benchMap(b, make([]byte, size))
	chunk := benchText(64 << 10)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		m.Seek(0, io.SeekStart)
		for range size / len(chunk) {
			if _, err := m.Write(chunk); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkScanner reads the lines of BenchmarkLines from the file with
// bufio.Scanner, the usual way without a map.
func BenchmarkScanner(b *testing.B) {
	const size = 16 << 20
	_, path := mapData(b, benchText(size), nil)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		n := 0
		for sc.Scan() {
			n += len(sc.Bytes()) + 1
		}
		f.Close()
		if n != size+1 { // the last line has no '\n'
			b.Fatalf("lines hold %d bytes", n)
		}
	}
}

// minorFaults returns the page faults the process has taken so far that
// needed no disk.
func minorFaults(b *testing.B) int64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return int64(ru.Minflt)
}

// BenchmarkFirstScan maps a warm 64 MiB file anew and scans all of it: the
// time to a first full scan, with the page faults it takes, plain and with
// Options.Populate.
//
// On a disk file system with large folios the kernel maps big blocks per
// fault already; the tmpfs case (/dev/shm) shows what Populate saves where
// every fault maps 16 pages at most.
func BenchmarkFirstScan(b *testing.B) {
	const size = 64 << 20
	_, disk := mapData(b, benchText(size), nil)
	paths := map[string]string{"disk": disk}
	if f, err := os.CreateTemp("/dev/shm", "mmap-bench-"); err == nil {
		f.Write(benchText(size))
		f.Close()
		b.Cleanup(func() { os.Remove(f.Name()) })
		paths["tmpfs"] = f.Name()
	}
	needle := []byte("a needle absent!")
	for _, run := range []struct {
		fs       string
		populate bool
	}{{"disk", false}, {"disk", true}, {"tmpfs", false}, {"tmpfs", true}} {
		path, ok := paths[run.fs]
		if !ok {
			continue
		}
		populate := run.populate
		b.Run(run.fs+"/"+map[bool]string{false: "plain", true: "populate"}[populate], func(b *testing.B) {
			f := openTestFile(b, path, true)
			b.SetBytes(size)
			var faults, scanFaults int64
			for b.Loop() {
				before := minorFaults(b)
				m, err := MapFile(f, 0, &Options{Access: AccessRead, Populate: populate})
				if err != nil {
					b.Fatal(err)
				}
				mapped := minorFaults(b)
				if m.Find(needle) != -1 {
					b.Fatal("found the absent needle")
				}
				after := minorFaults(b)
				faults += after - before
				scanFaults += after - mapped
				m.Close()
			}
			b.ReportMetric(float64(faults)/float64(b.N), "faults/op")
			b.ReportMetric(float64(scanFaults)/float64(b.N), "scan-faults/op")
		})
	}
}

// BenchmarkAnonTouch makes 64 MiB of anonymous memory and writes a byte to
// every page, with and without Options.HugePages. The map is private:
// transparent huge pages apply to shared anonymous memory only where
// /sys/kernel/mm/transparent_hugepage/shmem_enabled allows.
func BenchmarkAnonTouch(b *testing.B) {
	const size = 64 << 20
	for _, huge := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "huge"}[huge], func(b *testing.B) {
			b.SetBytes(size)
			faults := minorFaults(b)
			for b.Loop() {
				m, err := Anonymous(size, &Options{Flags: MAP_PRIVATE, HugePages: huge})
				if err != nil {
					b.Fatal(err)
				}
				for i := 0; i < size; i += PageSize {
					m.SetAt(i, 1)
				}
				m.Close()
			}
			b.ReportMetric(float64(minorFaults(b)-faults)/float64(b.N), "faults/op")
		})
	}
}

// BenchmarkOpenClose maps a 4 KiB file and closes it; BenchmarkOpenCloseRaw
// makes the same system calls and nothing else: the floor.
func BenchmarkOpenClose(b *testing.B) {
	_, path := mapData(b, benchText(4096), nil)
	b.ReportAllocs()
	for b.Loop() {
		m, err := Open(path, AccessRead)
		if err != nil {
			b.Fatal(err)
		}
		m.Close()
	}
}

func BenchmarkOpenCloseRaw(b *testing.B) {
	_, path := mapData(b, benchText(4096), nil)
	b.ReportAllocs()
	for b.Loop() {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			b.Fatal(err)
		}
		var st unix.Stat_t
		unix.Fstat(fd, &st)
		p, err := unix.MmapPtr(fd, 0, nil, uintptr(st.Size), unix.PROT_READ, unix.MAP_SHARED)
		if err != nil {
			b.Fatal(err)
		}
		unix.MunmapPtr(p, uintptr(st.Size))
		unix.Close(fd)
	}
}
