package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/mmapio/mmap"
)

var findOptions = []option{
	{'e', "regexp", "REGEXP", "search for a regular expression (Go syntax)"},
	{'F', "fixed-strings", "STRING", "search for a literal string"},
	{'c', "count", "", "print only the number of matching lines of each file"},
	{'o', "only-matching", "", "print each match instead of the line that holds it"},
	{0, "max-count", "N", "stop reading a file after N matching lines"},
}

// finder reports the matches of one pattern in one map.
type finder struct {
	s       *session
	name    string
	literal []byte         // -F, or a regexp that is a literal
	re      *regexp.Regexp // otherwise
	only    bool
	count   bool
	max     int // matching lines to report; <0 for all
	lines   int // matching lines so far
}

func find(args []string, stdout, stderr io.Writer) int {
	return subcommand("find", "find [-e REGEXP | -F STRING] [-c] [-o] [--max-count N] FILE...",
		"Prints FILE:OFFSET:LINE for each line that matches, or with -o FILE:OFFSET:MATCH for\n"+
			"each match, OFFSET being the byte offset in the file (as grep -H -b -a). The files are\n"+
			"mapped, not read, so files larger than memory are searched at memory speed.\n"+
			"Exit status: 0 if a line matched, 1 if none did, 2 on an error.",
		findOptions, args, stdout, stderr, func(o *options, s *session) int {
			f := &finder{s: s, only: o.has("only-matching"), count: o.has("count"), max: -1}
			files := o.operands
			switch {
			case o.has("regexp") && o.has("fixed-strings"):
				return s.usageError("give -e or -F, not both")
			case o.has("fixed-strings"):
				f.literal = []byte(o.value("fixed-strings"))
			case o.has("regexp"):
				re, err := regexp.Compile(o.value("regexp"))
				if err != nil {
					return s.usageError("bad regexp: %v", err)
				}
				f.re = re
			case len(files) > 0: // the pattern as the first operand, as grep
				re, err := regexp.Compile(files[0])
				if err != nil {
					return s.usageError("bad regexp: %v", err)
				}
				f.re, files = re, files[1:]
			}
			if f.re != nil {
				if prefix, complete := f.re.LiteralPrefix(); complete {
					f.literal, f.re = []byte(prefix), nil
				}
			}
			if len(files) == 0 {
				return s.usageError("no file to search")
			}
			if o.has("max-count") {
				n, err := strconv.Atoi(o.value("max-count"))
				if err != nil || n < 0 {
					return s.usageError("--max-count %q is not a count", o.value("max-count"))
				}
				f.max = n
			}
			found := false
			for _, name := range files {
				if f.file(name) {
					found = true
				}
			}
			if found {
				return exitOK
			}
			return exitNotFound
		})
}

// file searches one file and reports whether a line matched.
func (f *finder) file(name string) bool {
	f.name, f.lines = name, 0
	m, err := mmap.Open(name, mmap.AccessRead)
	switch {
	case errors.Is(err, mmap.ErrEmptyFile):
		// nothing to find
	case err != nil:
		f.s.fail(name, err)
		return false
	default:
		defer m.Close()
		m.Madvise(mmap.MADV_SEQUENTIAL) // read ahead; advice only
		if len(f.literal) > 0 && bytes.IndexByte(f.literal, '\n') < 0 {
			f.findLiteral(m)
		} else {
			f.findLines(m)
		}
	}
	if f.count {
		fmt.Fprintf(f.s.out, "%s:%d\n", name, f.lines)
	}
	return f.lines > 0
}

// done reports whether --max-count lines have matched.
func (f *finder) done() bool { return f.max >= 0 && f.lines >= f.max }

// findLiteral finds a literal with FindIn, which skips the lines in between
// at memory speed.
func (f *finder) findLiteral(m *mmap.Map) {
	n, nl := m.Len(), []byte{'\n'}
	for start := 0; !f.done(); {
		i := m.FindIn(f.literal, start, n)
		if i < 0 {
			return
		}
		lineStart := m.RFindIn(nl, 0, i) + 1
		lineEnd := m.FindIn(nl, i, n)
		if lineEnd < 0 {
			lineEnd = n
		}
		f.lines++
		switch {
		case f.count:
		case f.only:
			for j := i; j >= 0 && j+len(f.literal) <= lineEnd; j = m.FindIn(f.literal, j+len(f.literal), lineEnd) {
				f.emit(j, f.literal)
			}
		default:
			f.emit(lineStart, m.Slice(lineStart, lineEnd))
		}
		start = lineEnd + 1
		if lineEnd == n {
			return
		}
	}
}

// findLines runs the regexp over each line, the '\n' left out as grep does.
func (f *finder) findLines(m *mmap.Map) {
	off := 0
	re := f.re
	if re == nil { // a literal with a '\n', or empty
		re = regexp.MustCompile(regexp.QuoteMeta(string(f.literal)))
	}
	prefix, _ := re.LiteralPrefix()
	for line := range m.Lines() {
		if f.done() {
			return
		}
		text := bytes.TrimSuffix(line, []byte{'\n'})
		if prefix != "" && !bytes.Contains(text, []byte(prefix)) {
			off += len(line)
			continue
		}
		if f.only && !f.count {
			matched := false
			for _, loc := range re.FindAllIndex(text, -1) {
				matched = true
				if loc[1] > loc[0] { // grep -o prints no empty match
					f.emit(off+loc[0], text[loc[0]:loc[1]])
				}
			}
			if matched {
				f.lines++
			}
		} else if re.Match(text) {
			f.lines++
			if !f.count {
				f.emit(off, text)
			}
		}
		off += len(line)
	}
}

// emit prints one result: FILE:OFFSET:BYTES.
func (f *finder) emit(off int, b []byte) {
	out := f.s.out
	out.WriteString(f.name)
	out.WriteByte(':')
	out.WriteString(strconv.Itoa(off))
	out.WriteByte(':')
	out.Write(b)
	out.WriteByte('\n')
}
