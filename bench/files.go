package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mmapio/mmap"
)

const (
	textSize = 1 << 30 // W1, W2, W4, W6
	bigSize  = 4 << 30 // W3
)

// files are the inputs of the workloads, made once in a directory and kept
// between runs of the program.
type files struct {
	dir, text, big, small, out string
	cold                       string // W6's copy of text, so that evicting it leaves text as it was

	heap          []byte
	heapW4        []byte
	populated     *mmap.Map
	pythonElapsed time.Duration
}

func makeFiles(dir string) (*files, error) {
	f := &files{dir: dir, text: filepath.Join(dir, "text-1g.txt"), big: filepath.Join(dir, "big-4g.bin"),
		small: filepath.Join(dir, "small-4k.txt"), out: filepath.Join(dir, "out-1g.bin"),
		cold: filepath.Join(dir, "text-cold-1g.txt")}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for _, m := range []struct {
		path string
		size int64
	}{{f.text, textSize}, {f.cold, textSize}, {f.big, bigSize}, {f.small, 4096}} {
		if st, err := os.Stat(m.path); err == nil && st.Size() == m.size {
			continue
		}
		fmt.Fprintf(os.Stderr, "making %s (%d bytes)\n", m.path, m.size)
		if err := writeText(m.path, m.size); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// writeText writes size bytes of ~80-byte lines of words.
func writeText(path string, size int64) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(file, 1<<20)
	words := strings.Fields("the quick brown fox jumps over a lazy dog while seven wizards quietly hex " +
		"bold jovial kings and every needle stays hidden in the haystack of plain text lines")
	n, i := int64(0), 0
	for n < size {
		var line strings.Builder
		for line.Len() < 72 {
			line.WriteString(words[i%len(words)])
			line.WriteByte(' ')
			i = (i*7 + 3) % 1000003
		}
		fmt.Fprintf(&line, "%06d\n", i%1000000)
		s := line.String()
		if n+int64(len(s)) > size {
			s = s[:size-n]
		}
		w.WriteString(s)
		n += int64(len(s))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return file.Close()
}

// heapText returns W1's text in the heap, read once.
func (f *files) heapText() []byte {
	if f.heap == nil {
		b, err := os.ReadFile(f.text)
		if err != nil {
			panic(err)
		}
		f.heap = b
	}
	return f.heap
}

// heapOut returns a 1 GiB heap buffer, touched once.
func (f *files) heapOut() []byte {
	if f.heapW4 == nil {
		f.heapW4 = make([]byte, textSize)
		for i := 0; i < len(f.heapW4); i += 4096 {
			f.heapW4[i] = 1
		}
	}
	return f.heapW4
}

// dropPopulated closes the map of populatedBig, if any.
func (f *files) dropPopulated() {
	if f.populated != nil {
		f.populated.Close()
		f.populated = nil
	}
}

// populatedBig returns a map of the 4 GiB file with every page faulted in.
func (f *files) populatedBig() *mmap.Map {
	if f.populated == nil {
		m, err := mmap.Open(f.big, mmap.AccessRead)
		if err != nil {
			panic(err)
		}
		if err := m.Populate(); err != nil {
			panic(err)
		}
		f.populated = m
	}
	return f.populated
}

// pythonRun runs one workload in CPython, through cpython.py, which prints
// its result and the seconds it took.
func pythonRun(kind string) run { return pythonRunNeedle(kind, needle) }

func pythonRunNeedle(kind string, needle []byte) run {
	return func(f *files) (int64, error) {
		path := map[string]string{"find": f.text, "findcold": f.cold, "lines": f.text, "random": f.big, "write": f.out,
			"cycles": f.small}[kind]
		out, err := exec.Command("python3", "cpython.py", strings.TrimSuffix(kind, "cold"), path, string(needle)).Output()
		if err != nil {
			return 0, fmt.Errorf("cpython.py %s: %v", kind, err)
		}
		fields := strings.Fields(string(out))
		if len(fields) != 2 {
			return 0, fmt.Errorf("cpython.py %s printed %q", kind, out)
		}
		res, err1 := strconv.ParseInt(fields[0], 10, 64)
		secs, err2 := strconv.ParseFloat(fields[1], 64)
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("cpython.py %s printed %q", kind, out)
		}
		f.pythonElapsed = time.Duration(secs * float64(time.Second))
		return res, nil
	}
}
