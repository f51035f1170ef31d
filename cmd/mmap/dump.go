package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/mmapio/mmap"
)

func dump(args []string, stdout, stderr io.Writer) int {
	spec := []option{
		{'s', "seek", "OFFSET", "start at byte OFFSET (decimal, or hexadecimal with 0x)"},
		{'n', "length", "LENGTH", "dump at most LENGTH bytes"},
	}
	return subcommand("dump", "dump [-s OFFSET] [-n LENGTH] FILE",
		"Prints a hex dump of FILE in the layout of xxd: the offset, 16 bytes in groups of\n"+
			"two, and the bytes as text ('.' for what is not printable ASCII).",
		spec, args, stdout, stderr, func(o *options, s *session) int {
			if len(o.operands) != 1 {
				return s.usageError("give one file")
			}
			name := o.operands[0]
			var off, length int64 = 0, -1
			var err error
			if o.has("seek") {
				if off, err = parseNumber(o.value("seek")); err != nil {
					return s.usageError("-s: %v", err)
				}
			}
			if o.has("length") {
				if length, err = parseNumber(o.value("length")); err != nil {
					return s.usageError("-n: %v", err)
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
			if length >= 0 {
				end = min(end, off+length)
			}
			// Blocks of 1 MiB: copies that large read the file itself on
			// Linux, rather than fault in the mapping page by page.
			buf := make([]byte, min(1<<20, max(end-off, 0)))
			for pos := off; pos < end; pos += int64(len(buf)) {
				n, err := m.ReadAt(buf[:min(int64(len(buf)), end-pos)], pos)
				if err != nil && err != io.EOF {
					s.fail(name, err)
					return exitError
				}
				for i := 0; i < n; i += 16 {
					hexLine(s.out, pos+int64(i), buf[i:min(i+16, n)])
				}
			}
			return exitOK
		})
}

// hexLine writes one line of xxd's layout: "00000010: 6d6f 7265 ...  more".
func hexLine(w io.Writer, off int64, b []byte) {
	const digits = "0123456789abcdef"
	buf := fmt.Appendf(make([]byte, 0, 80), "%08x: ", off) // xxd: %08lx
	for i := range 16 {
		if i < len(b) {
			buf = append(buf, digits[b[i]>>4], digits[b[i]&15])
		} else {
			buf = append(buf, ' ', ' ')
		}
		if i%2 == 1 {
			buf = append(buf, ' ')
		}
	}
	buf = append(buf, ' ')
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			c = '.'
		}
		buf = append(buf, c)
	}
	w.Write(append(buf, '\n'))
}
