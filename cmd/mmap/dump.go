package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/mmapio/mmap"
)

var dumpOptions = []option{
	{'s', "seek", "OFFSET", "start at byte OFFSET (decimal, or hexadecimal with 0x; -N from the end)"},
	{'l', "len", "LENGTH", "dump at most LENGTH bytes"},
	{'n', "length", "LENGTH", "the same as -l"},
	{'c', "cols", "COLS", "COLS bytes a line (16; 30 with -p; at most 256)"},
	{'g', "groupsize", "BYTES", "BYTES bytes a group, separated by a space (2; 0 for none)"},
	{'p', "plain", "", "plain hex: no offsets, no groups, no text"},
	{'u', "upper", "", "upper case hex digits"},
	{'r', "revert", "", "turn a dump (of xxd's layout, or -p's) back into bytes: FILE or standard input to OUTFILE or standard output"},
}

func dump(args []string, stdout, stderr io.Writer) int {
	return subcommand("dump", "dump [-s OFFSET] [-l LENGTH] [-c COLS] [-g BYTES] [-p] [-u] FILE\n       mmap dump -r [-p] [FILE [OUTFILE]]",
		"Prints a hex dump of FILE as xxd does, with xxd's options: the offset, COLS bytes\n"+
			"in groups, and the bytes as text ('.' for what is not printable ASCII). With -r,\n"+
			"turns such a dump back into bytes, written at the offsets it gives into OUTFILE\n"+
			"(made if missing, never truncated) or, in order, to standard output.",
		dumpOptions, args, stdout, stderr, func(o *options, s *session) int {
			if o.has("revert") {
				return revert(o, s)
			}
			if len(o.operands) != 1 {
				return s.usageError("give one file")
			}
			l, err := dumpLayout(o)
			if err != nil {
				return s.usageError("%v", err)
			}
			name := o.operands[0]
			var off, length int64 = 0, -1
			fromEnd := false
			if v := o.value("seek"); v != "" {
				v, fromEnd = strings.CutPrefix(v, "-")
				v = strings.TrimPrefix(v, "+")
				if off, err = parseNumber(v); err != nil {
					return s.usageError("-s: %v", err)
				}
			}
			for _, n := range []string{"len", "length"} {
				if o.has(n) {
					if length, err = parseNumber(o.value(n)); err != nil {
						return s.usageError("-l: %v", err)
					}
				}
			}
			m, err := mmap.Open(name, mmap.AccessRead)
			if errors.Is(err, mmap.ErrEmptyFile) {
				return exitOK
			}
			if err != nil {
				s.fail(name, err)
				return exitError
			}
			defer m.Close()
			end := int64(m.Len())
			if fromEnd {
				off = max(end-off, 0)
			}
			if length >= 0 {
				end = min(end, off+length)
			}
			// Blocks of 1 MiB, a multiple of the line: copies that large
			// read the file itself on Linux, rather than fault in the
			// mapping page by page.
			block := max(1<<20/l.cols*l.cols, l.cols)
			buf := make([]byte, min(int64(block), max(end-off, 0)))
			for pos := off; pos < end; pos += int64(len(buf)) {
				n, err := m.ReadAt(buf[:min(int64(len(buf)), end-pos)], pos)
				if err != nil && err != io.EOF {
					s.fail(name, err)
					return exitError
				}
				for i := 0; i < n; i += l.cols {
					s.out.Write(l.line(pos+int64(i), buf[i:min(i+l.cols, n)]))
				}
			}
			return exitOK
		})
}

// layout is xxd's line: COLS bytes in groups of group.
type layout struct {
	cols, group int
	plain       bool
	digits      string
}

// dumpLayout reads -c, -g, -p and -u.
func dumpLayout(o *options) (layout, error) {
	l := layout{cols: 16, group: 2, plain: o.has("plain"), digits: "0123456789abcdef"}
	if l.plain {
		l.cols = 30
	}
	if o.has("upper") {
		l.digits = "0123456789ABCDEF"
	}
	for _, c := range []struct {
		name string
		to   *int
	}{{"cols", &l.cols}, {"groupsize", &l.group}} {
		if o.has(c.name) {
			n, err := strconv.ParseInt(o.value(c.name), 0, 32)
			if err != nil || n < 0 {
				return l, fmt.Errorf("--%s %q is not a count", c.name, o.value(c.name))
			}
			*c.to = int(n)
		}
	}
	if l.cols < 1 || l.cols > 256 {
		return l, fmt.Errorf("-c %d: from 1 to 256 bytes a line", l.cols)
	}
	if l.group < 1 || l.group > l.cols {
		l.group = l.cols // xxd: no grouping
	}
	return l, nil
}

// line is one line of the dump of b, at offset off: xxd's columns, to the
// byte (the hex of byte x at 10+(2g+1)x/g, the text at 12+((2g+1)c-1)/g).
func (l layout) line(off int64, b []byte) []byte {
	if l.plain {
		out := make([]byte, 0, 2*len(b)+1)
		for _, c := range b {
			out = append(out, l.digits[c>>4], l.digits[c&15])
		}
		return append(out, '\n')
	}
	g, grp := l.group, 2*l.group+1
	text := 12 + (grp*l.cols-1)/g
	out := bytes.Repeat([]byte{' '}, text+len(b)+1)
	copy(out, fmt.Appendf(nil, "%08x:", off)) // xxd keeps the offset lower case
	for x, c := range b {
		at := 10 + grp*x/g
		out[at], out[at+1] = l.digits[c>>4], l.digits[c&15]
		if c < 0x20 || c > 0x7e {
			c = '.'
		}
		out[text+x] = c
	}
	out[len(out)-1] = '\n'
	return out
}

// revert is dump -r: a dump back into bytes.
func revert(o *options, s *session) int {
	if len(o.operands) > 2 {
		return s.usageError("give at most FILE and OUTFILE")
	}
	in := io.Reader(os.Stdin)
	name := "(standard input)"
	if len(o.operands) > 0 && o.operands[0] != "-" {
		name = o.operands[0]
		f, err := os.Open(name)
		if err != nil {
			s.fail(name, err)
			return exitError
		}
		defer f.Close()
		in = f
	}
	var out io.Writer = s.out
	var file *os.File
	if len(o.operands) == 2 {
		f, err := os.OpenFile(o.operands[1], os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			s.fail(o.operands[1], err)
			return exitError
		}
		defer f.Close()
		file = f
	}
	var err error
	if o.has("plain") {
		err = revertPlain(in, out, file)
	} else {
		err = revertDump(in, out, file)
	}
	if err != nil {
		s.fail(name, err)
		return exitError
	}
	return exitOK
}

// revertPlain turns -p's hex, whitespace anywhere, into bytes.
func revertPlain(in io.Reader, out io.Writer, file *os.File) error {
	b, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	clean := bytes.Map(func(r rune) rune {
		if strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return r
		}
		return -1
	}, b)
	data := make([]byte, len(clean)/2)
	hex.Decode(data, clean[:2*len(data)])
	if file != nil {
		_, err = file.Write(data)
		return err
	}
	_, err = out.Write(data)
	return err
}

// revertDump turns lines of xxd's layout into bytes at their offsets: the
// hex ends at the two spaces before the text.
func revertDump(in io.Reader, out io.Writer, file *os.File) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var pos int64
	for n := 1; sc.Scan(); n++ {
		addr, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue // as xxd: a line without an offset says nothing
		}
		off, err := strconv.ParseInt(strings.TrimSpace(addr), 16, 64)
		if err != nil {
			return fmt.Errorf("line %d: offset %q is not hexadecimal", n, addr)
		}
		rest = strings.TrimPrefix(rest, " ")
		if i := strings.Index(rest, "  "); i >= 0 {
			rest = rest[:i]
		}
		data, err := hex.DecodeString(strings.ReplaceAll(rest, " ", ""))
		if err != nil {
			return fmt.Errorf("line %d: %v", n, err)
		}
		if file != nil {
			if _, err := file.WriteAt(data, off); err != nil {
				return err
			}
			continue
		}
		if off < pos {
			return fmt.Errorf("line %d: offset %#x goes back, which standard output cannot", n, off)
		}
		if _, err := out.Write(make([]byte, off-pos)); err != nil { // a gap: zeros
			return err
		}
		if _, err := out.Write(data); err != nil {
			return err
		}
		pos = off + int64(len(data))
	}
	return sc.Err()
}
