package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/mmapio/mmap"
)

func patch(args []string, stdout, stderr io.Writer) int {
	return subcommand("patch", "patch FILE OFFSET HEXBYTES",
		"Writes HEXBYTES (\"deadbeef\", \"de ad be ef\" or \"0xdeadbeef\") at byte OFFSET of FILE through a\n"+
			"write-through map, flushes it to disk, and prints the bytes before and after.\n"+
			"It never grows the file: bytes past its end are an error, and nothing is written.",
		nil, args, stdout, stderr, func(o *options, s *session) int {
			if len(o.operands) != 3 {
				return s.usageError("give FILE, OFFSET and HEXBYTES")
			}
			name := o.operands[0]
			off, err := parseNumber(o.operands[1])
			if err != nil {
				return s.usageError("OFFSET: %v", err)
			}
			data, err := hex.DecodeString(strings.NewReplacer(" ", "", ":", "", "0x", "", "0X", "").Replace(o.operands[2]))
			if err != nil || len(data) == 0 {
				return s.usageError("HEXBYTES %q is not hexadecimal bytes", o.operands[2])
			}
			m, err := mmap.Open(name, mmap.AccessWrite)
			if err != nil {
				s.fail(name, err)
				return exitError
			}
			defer m.Close()
			if off > int64(m.Len()) || int64(m.Len())-off < int64(len(data)) {
				s.fail(name, fmt.Errorf("%s at offset %d pass the end of the %d-byte file; patch never grows a file",
					plural(len(data), "byte"), off, m.Len()))
				return exitError
			}
			before := m.Slice(int(off), int(off)+len(data))
			if _, err := m.WriteAt(data, off); err != nil {
				s.fail(name, err)
				return exitError
			}
			if err := m.Flush(); err != nil {
				s.fail(name, err)
				return exitError
			}
			fmt.Fprintf(s.out, "%s: %s at offset %d (%#x): %x -> %x\n", name, plural(len(data), "byte"), off, off, before, data)
			return exitOK
		})
}
