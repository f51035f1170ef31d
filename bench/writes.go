package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// The writes' table (go run . -writes): issue 23's goals, each measured
// against os.File, a bare x/sys map and CPython's mmap in one run, with the
// promise check's samples and rounds. The peers' samples are here; ours,
// os.File's and the bare map's random writes are the promise check's.

// writeRows are the rows of -writes: every implementation of each goal.
var writeRows = []promise{
	{"1 GiB in 64 KiB Writes and Flush: ≤ 1.1× os.File Write and Sync", stateNone, "out", "write/ours", []string{"write/osfile", "write/bare", "write/python"}, 1.1, "time", true},
	{"random 4 KiB WriteAt and Flush into a warm file: ≤ the faster of a bare map and pwrite", stateLarge, "wtext", "wrand/ours", []string{"wrand/pwrite", "wrand/bare", "wrand/python"}, 1.0, "time", true},
	{"random 4 KiB WriteAt and Flush into a warm file: ≤ the faster of a bare map and pwrite", stateSmall, "wtext", "wrand/ours", []string{"wrand/pwrite", "wrand/bare", "wrand/python"}, 1.0, "time", true},
	{"WriteAt of newly grown pages: ≤ 1.1× pwrite", stateNone, "grow", "grow/ours", []string{"grow/pwrite", "grow/bare", "grow/python"}, 1.1, "time", true},
}

// runWrites is go run . -writes: the promise check over writeRows, with
// every implementation's times.
func runWrites(dir string, rounds int) error {
	promises = writeRows
	showTimes = true
	_, err := runPromises(dir, fullSize, rounds, "")
	return err
}

func init() {
	samples["write/bare"] = func(path string, sz checkSize) (float64, int64, error) {
		os.Remove(path)
		start := time.Now()
		f, err := createSized(path, sz.write)
		if err != nil {
			return 0, 0, err
		}
		defer f.Close()
		b, err := unix.Mmap(int(f.Fd()), 0, int(sz.write), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		if err != nil {
			return 0, 0, err
		}
		at := 0
		n, _ := writeChunks(sz.write, func(p []byte) (int, error) { k := copy(b[at:], p); at += k; return k, nil })
		err = unix.Msync(b, unix.MS_SYNC)
		return since(start), n, errors.Join(err, unix.Munmap(b))
	}
	samples["grow/bare"] = func(path string, sz checkSize) (float64, int64, error) {
		defer os.Remove(path)
		start := time.Now()
		f, err := createSized(path, 1<<20)
		if err != nil {
			return 0, 0, err
		}
		defer f.Close()
		b, err := unix.Mmap(int(f.Fd()), 0, 1<<20, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		if err != nil {
			return 0, 0, err
		}
		grow := func(size int) error { // bbolt's way without its lock: the file, then the mapping
			if err := f.Truncate(int64(size)); err != nil {
				return err
			}
			if err := unix.Fallocate(int(f.Fd()), 0, 0, int64(size)); err != nil {
				return err
			}
			nb, err := unix.Mremap(b, size, unix.MREMAP_MAYMOVE)
			if err == nil {
				b = nb
			}
			return err
		}
		n, err := growPages(sz.growTo, grow, func(p []byte, off int64) (int, error) { return copy(b[off:], p), nil })
		if err == nil {
			err = unix.Msync(b, unix.MS_SYNC)
		}
		return since(start), n, errors.Join(err, unix.Munmap(b))
	}
	samples["write/python"] = func(path string, sz checkSize) (float64, int64, error) {
		defer os.Remove(path)
		return pythonSample("write", path, "-", sz.write)
	}
	samples["wrand/python"] = func(path string, sz checkSize) (float64, int64, error) {
		length, err := fileSize(path)
		if err != nil {
			return 0, 0, err
		}
		offs := randomOffsets(sz.reads4k, 4096, length)
		raw := make([]byte, 0, 8*len(offs))
		for _, off := range offs {
			raw = binary.LittleEndian.AppendUint64(raw, uint64(off))
		}
		list := path + ".offsets"
		if err := os.WriteFile(list, raw, 0o644); err != nil {
			return 0, 0, err
		}
		defer os.Remove(list)
		return pythonSample("wrand", path, list, 0)
	}
	samples["grow/python"] = func(path string, sz checkSize) (float64, int64, error) {
		return pythonSample("grow", path, "-", int64(sz.growTo))
	}
	sampleNames["write/bare"], sampleNames["write/python"] = "a bare map", "CPython mmap"
	sampleNames["wrand/python"] = "CPython mmap"
	sampleNames["grow/bare"], sampleNames["grow/python"] = "a bare map (ftruncate, fallocate, mremap)", "CPython mmap (resize)"
}

// pythonSample runs cpython.py's kind over path and returns the seconds it
// took (the interpreter's start left out) and its result.
func pythonSample(kind, path, arg string, size int64) (float64, int64, error) {
	out, err := exec.Command("python3", "cpython.py", kind, path, arg, strconv.FormatInt(size, 10)).Output()
	if err != nil {
		return 0, 0, fmt.Errorf("cpython.py %s: %w", kind, err)
	}
	f := strings.Fields(string(out))
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("cpython.py %s printed %q", kind, out)
	}
	res, err1 := strconv.ParseInt(f[0], 10, 64)
	secs, err2 := strconv.ParseFloat(f[1], 64)
	return secs, res, errors.Join(err1, err2)
}

// showTimes says whether the check prints every implementation's times
// after its table (-writes does).
var showTimes bool

// timesTable prints every implementation's best time in each round of the
// rows: times[i][impl] are row i's.
func timesTable(rows []promise, times []map[string][]float64) {
	fmt.Printf("\nSeconds, best of each round:\n\n| row | page cache | implementation | each round |\n|---|---|---|---|\n")
	for i, p := range rows {
		for _, impl := range append([]string{p.ours}, p.refs...) {
			name := "this library"
			if impl != p.ours {
				name = sampleNames[impl]
			}
			var cells []string
			for _, v := range times[i][impl] {
				cells = append(cells, fmt.Sprintf("%.3f", v))
			}
			fmt.Printf("| %s | %s | %s | %s |\n", strings.SplitN(p.name, ":", 2)[0], p.state, name, strings.Join(cells, ", "))
		}
	}
}
