package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mmapio/mmap"
)

var findOptions = []option{
	{'e', "regexp", "PATTERNS", "search for PATTERNS (one per line; any number of -e)"},
	{'f', "file", "FILE", "take the patterns from FILE, one per line"},
	{'E', "extended-regexp", "", "the patterns are extended regular expressions (Go's syntax)"},
	{'F', "fixed-strings", "", "the patterns are strings"},
	{'G', "basic-regexp", "", "the patterns are basic regular expressions (the default)"},
	{'i', "ignore-case", "", "ignore the case of ASCII letters"},
	{0, "no-ignore-case", "", "do not ignore case (the default)"},
	{'v', "invert-match", "", "select the lines that do not match"},
	{'w', "word-regexp", "", "match only whole words"},
	{'x', "line-regexp", "", "match only whole lines"},
	{'c', "count", "", "print only the number of selected lines of each file"},
	{'l', "files-with-matches", "", "print only the names of the files with selected lines"},
	{'L', "files-without-match", "", "print only the names of the files without selected lines"},
	{'o', "only-matching", "", "print each match instead of the line that holds it"},
	{'q', "quiet", "", "print nothing; exit 0 at the first selected line"},
	{'s', "no-messages", "", "no messages about files that cannot be read"},
	{'m', "max-count", "NUM", "stop reading a file after NUM selected lines"},
	{'n', "line-number", "", "print each line's number"},
	{'b', "byte-offset", "", "print each line's (with -o each match's) byte offset"},
	{'H', "with-filename", "", "print the file name for each line"},
	{'h', "no-filename", "", "print no file names"},
	{'A', "after-context", "NUM", "print NUM lines after each selected line"},
	{'B', "before-context", "NUM", "print NUM lines before each selected line"},
	{'C', "context", "NUM", "print NUM lines before and after each selected line"},
	{'a', "text", "", "search binary files as text"},
	{'r', "recursive", "", "search the files under each directory, not following symbolic links"},
	{'R', "dereference-recursive", "", "search the files under each directory, following symbolic links"},
	{0, "color", "WHEN", "mark matches, names and numbers in color: never, always or auto (a terminal)"},
}

const findAbout = `Searches FILEs, or standard input ("-", or none), for lines that match PATTERNS,
as grep does: the same options, output and exit status (0 if a line was selected,
1 if none was, 2 on an error, unless -q selected one). A bare first operand is the
pattern when no -e or -f gives one. Files are mapped and read through the map a
window at a time (by pread, as grep reads); standard input is read.

Patterns are basic regular expressions (-G) by default, extended with -E, strings
with -F; a line matches if any pattern does. The expressions use Go's syntax
(RE2): there are no back-references (\1 is an error), \< and \> are \b, and
[[:alpha:]] classes are ASCII. A binary file (a NUL in its first 32 KiB) that
matches is reported on standard error ("binary file matches") unless -a.`

func find(args []string, stdout, stderr io.Writer) int {
	// --color alone is --color=auto, as grep's optional argument.
	for i, a := range args {
		if a == "--" {
			break
		}
		if a == "--color" || a == "--colour" {
			args[i] = "--color=auto"
		} else if v, ok := strings.CutPrefix(a, "--colour="); ok {
			args[i] = "--color=" + v
		}
	}
	return subcommand("find", "find [OPTION]... PATTERNS [FILE]...", findAbout,
		findOptions, args, stdout, stderr, func(o *options, s *session) int {
			return runFind(o, s, stdout)
		})
}

// runFind is find after its options were parsed.
func runFind(o *options, s *session, stdout io.Writer) int {
	patterns, files, err := findPatterns(o)
	if err != nil {
		return s.usageError("%v", err)
	}
	mode := byte('G')
	switch {
	case o.has("fixed-strings"):
		mode = 'F'
	case o.has("extended-regexp"):
		mode = 'E'
	}
	fold := o.has("ignore-case") && !o.has("no-ignore-case")
	mt, err := newMatcher(patterns, mode, fold, o.has("word-regexp"), o.has("line-regexp"))
	if err != nil {
		return s.usageError("%v", err)
	}
	g := &grepper{mt: mt, out: &strings.Builder{}, o: grepOpts{
		invert: o.has("invert-match"), count: o.has("count"), list: o.has("files-with-matches"),
		listNot: o.has("files-without-match"), only: o.has("only-matching"), number: o.has("line-number"),
		byteOff: o.has("byte-offset"), quiet: o.has("quiet"), text: o.has("text"), max: -1,
	}}
	for _, c := range []struct {
		name string
		to   *int
	}{{"max-count", &g.o.max}, {"context", &g.o.after}, {"context", &g.o.before},
		{"after-context", &g.o.after}, {"before-context", &g.o.before}} {
		if o.has(c.name) {
			n, err := strconv.Atoi(o.value(c.name))
			if err != nil || n < 0 && c.name != "max-count" {
				return s.usageError("%s %q is not a number", c.name, o.value(c.name))
			}
			*c.to = n
		}
	}
	if g.o.max < 0 && o.has("max-count") {
		g.o.max = -1 // grep: a negative count is no limit
	}
	switch o.value("color") {
	case "", "never", "no", "none":
	case "always", "yes", "force":
		g.o.color = true
	case "auto", "tty", "if-tty":
		g.o.color = isTerminal(stdout) && os.Getenv("TERM") != "dumb"
	default:
		return s.usageError("--color=%s: want never, always or auto", o.value("color"))
	}
	recurse := o.has("recursive") || o.has("dereference-recursive")
	f := &findRun{g: g, s: s, quietErrs: o.has("no-messages"), recurse: recurse,
		deref: o.has("dereference-recursive")}
	// Names: -H, -h, else when several operands, or under a directory
	// searched recursively (grep's rule).
	switch {
	case o.has("no-filename"):
		f.names = namesNever
	case o.has("with-filename"):
		f.names = namesAlways
	case len(files) > 1:
		f.names = namesAlways
	case recurse:
		f.names = namesUnderDirs
	}
	if len(files) == 0 {
		files = []string{"-"}
		if recurse {
			files, f.dotPrefix = []string{"."}, true
		}
	}
	for _, name := range files {
		if f.operand(name) {
			break
		}
	}
	s.out.WriteString(g.out.String())
	switch {
	case f.selected && g.o.quiet:
		s.failed = false // grep -q: a selected line wins over an error
		return exitOK
	case f.selected:
		return exitOK
	}
	return exitNotFound
}

// findPatterns returns the patterns of -e and -f, or else the first
// operand, and the file operands.
func findPatterns(o *options) (patterns, files []string, err error) {
	files = o.operands
	given := o.has("regexp") || o.has("file")
	for _, p := range o.values["regexp"] {
		patterns = append(patterns, strings.Split(p, "\n")...)
	}
	for _, name := range o.values["file"] {
		var b []byte
		if name == "-" {
			b, err = io.ReadAll(os.Stdin)
		} else {
			b, err = os.ReadFile(name)
		}
		if err != nil {
			return nil, nil, err
		}
		if len(b) > 0 {
			patterns = append(patterns, strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")...)
		}
	}
	if !given {
		if len(files) == 0 {
			return nil, nil, errors.New("no pattern given")
		}
		patterns, files = strings.Split(files[0], "\n"), files[1:]
	}
	return patterns, files, nil
}

// When file names lead the lines.
const (
	namesNever     = iota
	namesAlways    // -H, or several operands
	namesUnderDirs // -r with one operand: the files found under it
)

// findRun is one run of find over its operands.
type findRun struct {
	g                         *grepper
	s                         *session
	names                     int
	quietErrs, recurse, deref bool
	dotPrefix                 bool // -r with no operand searches ".", and names "x", not "./x"
	selected                  bool
	buf                       []byte // what windows reads into, kept for the next file
}

// operand searches one operand, a file, a directory or "-", and reports
// whether the search is over (-q selected a line).
func (f *findRun) operand(name string) (stop bool) {
	if name == "-" {
		b, err := io.ReadAll(os.Stdin)
		if err != nil {
			f.fail(name, err)
			return false
		}
		return f.bytes(b, "(standard input)", f.names == namesAlways)
	}
	fi, err := os.Stat(name)
	if err != nil {
		f.fail(name, err)
		return false
	}
	if !fi.IsDir() {
		return f.file(name, name, f.names == namesAlways)
	}
	if !f.recurse {
		f.fail(name, errors.New("is a directory"))
		return false
	}
	return f.walk(name)
}

// walk searches the files under dir in the directory's own order, as grep
// (fts) does: symbolic links are followed with -R only.
func (f *findRun) walk(dir string) (stop bool) {
	d, err := os.Open(dir)
	if err != nil {
		f.fail(dir, err)
		return false
	}
	ents, err := d.ReadDir(-1) // unsorted: the order grep meets them in
	d.Close()
	if err != nil {
		f.fail(dir, err)
	}
	for _, e := range ents {
		path := strings.TrimSuffix(dir, string(filepath.Separator)) + string(filepath.Separator) + e.Name()
		if f.dotPrefix && dir == "." {
			path = e.Name() // grep -r with no operand names "x", not "./x"
		}
		t := e.Type()
		if t&fs.ModeSymlink != 0 {
			if !f.deref {
				continue
			}
			fi, err := os.Stat(path)
			if err != nil {
				f.fail(path, err)
				continue
			}
			t = fi.Mode().Type()
		}
		switch {
		case t.IsDir():
			if f.walk(path) {
				return true
			}
		case t.IsRegular():
			if f.file(path, path, f.names != namesNever) {
				return true
			}
		}
	}
	return false
}

// file searches the file at path, named name in the output.
func (f *findRun) file(path, name string, showName bool) (stop bool) {
	m, err := mmap.Open(path, mmap.AccessRead)
	if errors.Is(err, mmap.ErrEmptyFile) {
		return f.bytes(nil, name, showName)
	}
	if err != nil {
		f.fail(name, err)
		return false
	}
	defer m.Close()
	res, err := f.windows(m, name, showName)
	if err != nil {
		f.fail(name, err)
		return false
	}
	return f.report(res, name, showName)
}

// window is how much of a file find reads at a time; a window grows to
// hold a line longer than it.
var window = 1 << 20

// windows greps the file of m a window at a time, read by the map's ReadAt
// (by pread, for copies this large) into a buffer that every window
// reuses, as grep reads: scanning the mapping itself costs a TLB miss per
// page, which on the VM of BENCHMARKS.md made a count of a warm 1.09 GiB
// file's lines 0.47-0.55 s through the mapping (populated first or not)
// against 0.07-0.10 s by pread into a 1 MiB buffer.
// A fault (a file truncated meanwhile, a disk error) is an error.
func (f *findRun) windows(m *mmap.Map, name string, showName bool) (fileResult, error) {
	size := m.Len()
	if len(f.buf) < min(window, size) {
		f.buf = make([]byte, min(window, size))
	}
	buf := f.buf
	read := func(p []byte, off int) (int, error) {
		n, err := m.ReadAt(p, int64(off))
		if err == io.EOF && n == len(p) {
			err = nil
		}
		return n, err
	}
	// The first window is short, for the searches that stop at the first
	// match (-l, -q, -m): 64 KiB read 4 ms sooner than 1 MiB here.
	have, err := read(buf[:min(64<<10, len(buf), size)], 0) // buf[:have] is the file's bytes from base
	if err != nil {
		return fileResult{}, err
	}
	head := buf[:have]
	if want := min(32<<10, size); have < want { // the binary test reads 32 KiB
		head = make([]byte, want)
		if _, err := read(head, 0); err != nil {
			return fileResult{}, err
		}
	}
	sc := f.g.newScan(head, name, showName)
	base, from := 0, 0
	for {
		end := have
		if base+have < size { // the lines that end in the window
			end = from + bytes.LastIndexByte(buf[from:have], '\n') + 1
		}
		if end > from && sc.lines(buf[:have], from, end, base) || base+have == size {
			return sc.res, nil
		}
		drop := 0
		if end > from {
			drop = sc.slide(buf, end)
			from = end - drop
		}
		copy(buf, buf[drop:have])
		have -= drop
		base += drop
		if have == len(buf) { // a line longer than the window
			buf = append(buf, make([]byte, len(buf))...)
			f.buf = buf
		}
		k, err := read(buf[have:min(len(buf), size-base)], base+have)
		if err != nil {
			return sc.res, err
		}
		have += k
	}
}

// bytes searches b, the bytes of the file named name.
func (f *findRun) bytes(b []byte, name string, showName bool) (stop bool) {
	return f.report(f.g.file(b, name, showName), name, showName)
}

// report prints what the search of the file named name found, as the
// options ask, and reports whether the search is over (-q).
func (f *findRun) report(res fileResult, name string, showName bool) (stop bool) {
	g := f.g
	if res.selected > 0 {
		f.selected = true
	}
	switch {
	case g.o.quiet:
		return res.selected > 0
	case g.o.list:
		if res.selected > 0 {
			g.colored([]byte(name), colorName)
			g.out.WriteByte('\n')
		}
	case g.o.listNot:
		if res.selected == 0 {
			g.colored([]byte(name), colorName)
			g.out.WriteByte('\n')
		}
	case g.o.count:
		if showName {
			g.colored([]byte(name), colorName)
			g.colored([]byte{':'}, colorSep)
		}
		g.out.WriteString(strconv.Itoa(res.selected))
		g.out.WriteByte('\n')
	case res.binary:
		f.flush()
		fmt.Fprintf(f.s.stderr, "mmap find: %s: binary file matches\n", name)
	}
	if g.out.Len() > 256<<10 {
		f.flush()
	}
	return false
}

// flush writes what the search printed so far.
func (f *findRun) flush() {
	f.s.out.WriteString(f.g.out.String())
	f.g.out.Reset()
	f.s.out.Flush()
}

// fail reports an error about name, unless -s, and makes the exit status 2.
func (f *findRun) fail(name string, err error) {
	f.flush()
	if f.quietErrs {
		f.s.failed = true
		return
	}
	f.s.fail(name, err)
}
