//go:build unix

package mmap

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// The benchmarks that count page faults or compare with raw system calls.

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
