package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/mmapio/mmap"
)

// stat, warm and evict: the page cache, as vmtouch shows and changes it.

// openResident maps name read-only for a residency command; an empty file
// is no error, and gives a nil map.
func openResident(s *session, name string) (*mmap.Map, bool) {
	m, err := mmap.Open(name, mmap.AccessRead)
	if errors.Is(err, mmap.ErrEmptyFile) {
		return nil, true
	}
	if err != nil {
		s.fail(name, err)
		return nil, false
	}
	return m, true
}

// residency prints "FILE: R/T pages resident (P%), SIZE".
func residency(s *session, name string, m *mmap.Map) (resident, total int, ok bool) {
	if m != nil {
		var err error
		if resident, total, err = m.Resident(); err != nil {
			s.fail(name, err)
			return 0, 0, false
		}
	}
	size := int64(0)
	if m != nil {
		size = int64(m.Len())
	}
	fmt.Fprintf(s.out, "%s: %d/%d pages resident (%.1f%%), %s (%s)\n",
		name, resident, total, percent(resident, total), plural(int(size), "byte"), human(size))
	s.tally.files++
	s.tally.resident += resident
	s.tally.total += total
	return resident, total, true
}

const barWidth = 64

// bar draws where the map is resident: 'O' where all of a column's pages
// are, 'o' where some are, ' ' where none is.
func bar(m *mmap.Map) (string, error) {
	var b strings.Builder
	b.WriteByte('[')
	n := m.Len()
	for col := range barWidth {
		start, end := n*col/barWidth, n*(col+1)/barWidth
		if end <= start {
			b.WriteByte(' ')
			continue
		}
		start -= start % mmap.PageSize
		res, total, err := m.ResidentRange(start, end-start)
		if err != nil {
			return "", err
		}
		switch {
		case res == total:
			b.WriteByte('O')
		case res > 0:
			b.WriteByte('o')
		default:
			b.WriteByte(' ')
		}
	}
	b.WriteByte(']')
	return b.String(), nil
}

func stat(args []string, stdout, stderr io.Writer) int {
	spec := []option{{'v', "verbose", "", "draw a residency bar per file (O all resident, o some, blank none), and name its file system"},
		recursiveOption}
	return subcommand("stat", "stat [-v] [-r] FILE...",
		"Prints how many of each file's pages are in the page cache, as vmtouch does.\n"+
			"Windows does not report its file cache: there it counts the pages that this\n"+
			"process's map of the file has in its working set.",
		spec, args, stdout, stderr, func(o *options, s *session) int {
			return eachFile(o, s, func(name string) {
				m, ok := openResident(s, name)
				if !ok {
					return
				}
				if _, _, ok := residency(s, name, m); ok && o.has("verbose") && m != nil {
					if b, err := bar(m); err != nil {
						s.fail(name, err)
					} else {
						fmt.Fprintf(s.out, "%s\n", b)
					}
					if fs, remote := m.FileSystem(); fs != "" {
						note := ""
						if remote {
							note = " (remote: the library reads it by the descriptor)"
						}
						fmt.Fprintf(s.out, "file system: %s%s\n", fs, note)
					}
				}
				if m != nil {
					m.Close()
				}
			})
		})
}

// recursiveOption is -r of stat, warm and evict.
var recursiveOption = option{'r', "recursive", "", "walk directories (symbolic links not followed); print the totals, as vmtouch"}

// eachFile runs f on each FILE operand; none is a usage error. With -r a
// directory's files are walked (symbolic links not followed, as vmtouch
// without -f), and the totals follow, in vmtouch's words; several operands
// get the totals too.
func eachFile(o *options, s *session, f func(name string)) int {
	if len(o.operands) == 0 {
		return s.usageError("no file given")
	}
	for _, name := range o.operands {
		if fi, err := os.Stat(name); err == nil && fi.IsDir() && o.has("recursive") {
			walkFiles(s, name, f)
			continue
		}
		f(name)
	}
	if o.has("recursive") || len(o.operands) > 1 {
		t := &s.tally
		fmt.Fprintf(s.out, "\n%17s %d\n%17s %d\n%17s %d/%d  %s/%s  %s\n", "Files:", t.files,
			"Directories:", t.dirs, "Resident Pages:", t.resident, t.total, vmtouchSize(t.resident),
			vmtouchSize(t.total), vmtouchPercent(t.resident, t.total))
	}
	return exitOK
}

// walkFiles runs f on the regular files under dir, in the directory's
// order.
func walkFiles(s *session, dir string, f func(name string)) {
	s.tally.dirs++
	d, err := os.Open(dir)
	if err != nil {
		s.fail(dir, err)
		return
	}
	ents, err := d.ReadDir(-1)
	d.Close()
	if err != nil {
		s.fail(dir, err)
	}
	for _, e := range ents {
		path := strings.TrimSuffix(dir, string(os.PathSeparator)) + string(os.PathSeparator) + e.Name()
		switch {
		case e.IsDir():
			walkFiles(s, path, f)
		case e.Type().IsRegular():
			f(path)
		}
	}
}

// vmtouchSize is vmtouch's size of pages: 8K, 12M, 3G (rounded down).
func vmtouchSize(pages int) string {
	n := int64(pages) * int64(mmap.PageSize)
	for _, unit := range []string{"", "K", "M"} {
		if n < 1024 {
			return fmt.Sprintf("%d%s", n, unit)
		}
		n /= 1024
	}
	return fmt.Sprintf("%dG", n)
}

// vmtouchPercent is vmtouch's share: %.3g of a percent.
func vmtouchPercent(a, b int) string {
	if b == 0 {
		return "0%"
	}
	return strconv.FormatFloat(100*float64(a)/float64(b), 'g', 3, 64) + "%"
}

// warmChunk is how much warm reads between two updates of its progress bar.
const warmChunk = 64 << 20

func warm(args []string, stdout, stderr io.Writer) int {
	return subcommand("warm", "warm [-r] FILE...",
		"Reads files into the page cache (MADV_WILLNEED, PrefetchVirtualMemory on\n"+
			"Windows, then a byte of every page; 64 MiB that are mostly in memory already\n"+
			"are read by the file's descriptor), with a progress bar on a terminal, and\n"+
			"reports the throughput; a file in memory already is read no more.",
		[]option{recursiveOption}, args, stdout, stderr, func(o *options, s *session) int {
			progress := isTerminal(stdout)
			return eachFile(o, s, func(name string) {
				m, ok := openResident(s, name)
				if !ok {
					return
				}
				if m == nil {
					residency(s, name, nil)
					return
				}
				start := time.Now()
				n := m.Len()
				read := 0 // bytes not in memory before
				var err error
				buf := make([]byte, 1<<20)
				for off := 0; off < n && err == nil; off += warmChunk {
					end := min(off+warmChunk, n)
					// A chunk in memory already is left alone. One mostly in
					// memory is copied out in reads of 1 MiB, which on Linux
					// read the file: touching it would fault in the mapping
					// page by page where the page cache holds small folios,
					// for a few pages. The rest is touched, after the advice
					// has the kernel read it all ahead.
					res, total, rerr := m.ResidentRange(off, end-off)
					if rerr != nil || res < total {
						read += end - off
					}
					switch {
					case rerr == nil && res == total:
					case rerr == nil && res >= total/2:
						err = readAll(m, buf, off, end)
					default:
						m.MadviseRange(mmap.MADV_WILLNEED, off, end-off) // advice only
						err = touchPages(m, off, end)
					}
					if progress {
						drawProgress(s, name, end, n, time.Since(start))
					}
				}
				if progress {
					fmt.Fprint(s.out, "\r\033[K")
				}
				if err != nil {
					s.fail(name, err)
					m.Close()
					return
				}
				d := time.Since(start)
				if read == 0 {
					fmt.Fprintf(s.out, "%s: already in memory, nothing read\n", name)
				} else {
					fmt.Fprintf(s.out, "%s: warmed %s in %.3f s (%s/s)\n", name, human(int64(read)), d.Seconds(),
						human(int64(float64(read)/max(d.Seconds(), 1e-9))))
				}
				residency(s, name, m)
				m.Close()
			})
		})
}

// readAll copies the bytes of m in [off, end) out, len(buf) at a time.
func readAll(m *mmap.Map, buf []byte, off, end int) error {
	for i := off; i < end; i += len(buf) {
		if _, err := m.ReadAt(buf[:min(len(buf), end-i)], int64(i)); err != nil {
			return err
		}
	}
	return nil
}

// touchPages reads a byte of every page of m in [off, end), through the
// mapping.
func touchPages(m *mmap.Map, off, end int) error {
	return m.View(func(b []byte) error {
		var sink byte
		for i := off; i < end; i += mmap.PageSize {
			sink += b[i]
		}
		runtime.KeepAlive(sink) // the reads are the point
		return nil
	})
}

// drawProgress draws a progress bar over the current line.
func drawProgress(s *session, name string, done, total int, d time.Duration) {
	const width = 40
	filled := int(int64(width) * int64(done) / int64(max(total, 1)))
	fmt.Fprintf(s.out, "\r%s [%s%s] %5.1f%% %s/s", name, strings.Repeat("#", filled), strings.Repeat(".", width-filled),
		percent(done, total), human(int64(float64(done)/max(d.Seconds(), 1e-9))))
	s.out.Flush()
}

func evict(args []string, stdout, stderr io.Writer) int {
	return subcommand("evict", "evict [-r] FILE...",
		"Writes files' dirty pages to disk, drops the files from the page cache\n"+
			"(posix_fadvise POSIX_FADV_DONTNEED; on Windows an open without buffering,\n"+
			"which throws the file's cached pages away) and reports their residency.\n"+
			"Pages that another process has mapped stay.",
		[]option{recursiveOption}, args, stdout, stderr, func(o *options, s *session) int {
			return eachFile(o, s, func(name string) {
				if err := dropCache(name); err != nil {
					s.fail(name, err)
					return
				}
				if m, ok := openResident(s, name); ok {
					residency(s, name, m)
					if m != nil {
						m.Close()
					}
				}
			})
		})
}

// dropCache asks the kernel to drop name's pages from the page cache.
func dropCache(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return err
	} else if st.IsDir() {
		return errors.New("is a directory")
	}
	f.Sync() // dirty pages cannot be dropped: write them first (best effort)
	return fadviseDontNeed(f)
}
