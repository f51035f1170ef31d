package mmap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"testing"
)

// TestCPythonOps replays the random operation sequences recorded from CPython
// by testdata/cpython_ops.py and checks every result, error class, position
// and the bytes of the map after each step, and the file after Close.
func TestCPythonOps(t *testing.T) {
	raw, err := os.ReadFile("testdata/cpython_ops.json")
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Python   string
		PageSize int
		Cases    []struct {
			Fixed  bool // one call after a given setup (Open, Flags, Prot), recorded on Linux
			Anon   bool
			Access string
			Data   string
			File   string
			Open   string // how the file was opened: "rb" read-only, else read-write
			Flags  int
			Prot   int
			Steps  []struct {
				Op    []json.RawMessage
				Ok    json.RawMessage
				Err   string
				Errno string // the errno name of an OSError
				Msg   string
				Pos   int64
				Bytes string
			}
		}
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Cases) < 100 {
		t.Fatalf("only %d recorded cases", len(rec.Cases))
	}
	if rec.PageSize != PageSize {
		t.Skipf("recorded with a page size of %d, this host has %d", rec.PageSize, PageSize)
	}
	access := map[string]Access{"default": AccessDefault, "read": AccessRead, "write": AccessWrite, "copy": AccessCopy}
	steps := 0
	for ci, c := range rec.Cases {
		t.Run(fmt.Sprint(ci), func(t *testing.T) {
			if c.Fixed && runtime.GOOS != "linux" {
				t.Skip("recorded with Linux's flags and errors")
			}
			data := []byte(latin1(c.Data))
			opts := &Options{Access: access[c.Access], Flags: c.Flags, Prot: c.Prot}
			var m *Map
			var path string
			if c.Anon {
				var err error
				m, err = Anonymous(len(data), opts)
				if err != nil {
					t.Fatal(err)
				}
				if err := m.SetSlice(0, len(data), data); err != nil {
					t.Fatal(err)
				}
			} else {
				path = writeFile(t, data)
				var err error
				m, err = MapFile(openTestFile(t, path, c.Open == "rb" || c.Access == "read"), 0, opts)
				if err != nil {
					t.Fatal(err)
				}
			}
			defer m.Close()
			for si, s := range c.Steps {
				var name string
				json.Unmarshal(s.Op[0], &name)
				args := s.Op[1:]
				where := fmt.Sprintf("case %d (%s, anon=%v, %.40q) step %d %s%s", ci, c.Access, c.Anon, c.Data, si, name, args)
				str := func(i int) string { var v string; json.Unmarshal(args[i], &v); return latin1(v) }
				num := func(i int) int {
					var v int64
					json.Unmarshal(args[i], &v)
					if v > math.MaxInt || v < math.MinInt {
						return math.MaxInt // only reached on 32-bit, where the case is skipped
					}
					return int(v)
				}
				if c.Fixed && name == "madvise" && os.Getenv("MMAP_TEST_QEMU") != "" {
					t.Skip("qemu-user ignores madvise")
				}
				if !fitsInt(args) {
					t.Skip("a number does not fit in an int")
				}
				var got any
				var gotErr error
				switch name {
				case "find":
					got = m.Find([]byte(str(0)))
				case "rfind":
					got = m.RFind([]byte(str(0)))
				case "findin":
					got = m.FindIn([]byte(str(0)), num(1), num(2))
				case "rfindin":
					got = m.RFindIn([]byte(str(0)), num(1), num(2))
				case "read":
					atEnd := m.Tell() >= m.Len()
					p := make([]byte, num(0))
					n, err := m.Read(p)
					got = string(p[:n])
					if n == 0 && atEnd != (err == io.EOF) || err != nil && err != io.EOF {
						t.Fatalf("%s: Read returned (%d, %v) at position %d of %d", where, n, err, m.Tell(), m.Len())
					}
				case "read_byte":
					var b byte
					b, gotErr = m.ReadByte()
					got = int(b)
				case "readline":
					var line []byte
					line, gotErr = m.ReadLine()
					if gotErr == io.EOF && line == nil {
						gotErr = nil
					}
					got = string(line)
				case "write":
					got, gotErr = m.Write([]byte(str(0)))
				case "write_byte":
					gotErr = m.WriteByte(byte(num(0)))
				case "seek":
					var pos int64
					pos, gotErr = m.Seek(int64(num(0)), num(1))
					if gotErr == nil && pos != s.Pos {
						t.Fatalf("%s: Seek returned %d, CPython's position is %d", where, pos, s.Pos)
					}
				case "tell":
					got = m.Tell()
				case "getitem":
					var b byte
					b, gotErr = m.At(num(0))
					got = int(b)
				case "setitem":
					gotErr = m.SetAt(num(0), byte(num(1)))
				case "getslice":
					got = string(m.Slice(num(0), num(1)))
				case "setslice":
					gotErr = m.SetSlice(num(0), num(1), []byte(str(2)))
				case "move":
					gotErr = m.Move(num(0), num(1), num(2))
				case "flush":
					gotErr = m.FlushRange(num(0), num(1))
				case "resize":
					gotErr = m.Resize(num(0))
				case "madvise":
					gotErr = m.MadviseRange(num(0), num(1), num(2))
				case "size":
					var n int64
					n, gotErr = m.Size()
					got = int(n)
					if c.Anon { // CPython 3.13 returns the length; 3.11 fails with EBADF
						if gotErr != nil || n != int64(m.Len()) {
							t.Fatalf("%s: Size of an anonymous map = (%d, %v), want (%d, nil)", where, n, gotErr, m.Len())
						}
						goto checkState
					}
				case "len":
					got = m.Len()
				default:
					t.Fatalf("%s: unknown operation", where)
				}
				if s.Err != "" {
					want := pythonError(name, s.Err, s.Msg)
					if s.Errno != "" && c.Fixed {
						want = errnos[s.Errno]
					}
					if want == nil || !errors.Is(gotErr, want) {
						t.Fatalf("%s: got error %v, CPython raised %s(%q), want %v", where, gotErr, s.Err, s.Msg, want)
					}
				} else {
					if gotErr != nil {
						t.Fatalf("%s: got error %v, CPython returned %s", where, gotErr, s.Ok)
					}
					if got != nil && string(s.Ok) != "null" {
						var want any
						switch got.(type) {
						case int:
							var v int
							json.Unmarshal(s.Ok, &v)
							want = v
						case string:
							var v string
							json.Unmarshal(s.Ok, &v)
							want = latin1(v)
						}
						if got != want {
							t.Fatalf("%s: got %#v, CPython returned %#v", where, got, want)
						}
					}
				}
			checkState:
				if int64(m.Tell()) != s.Pos {
					t.Fatalf("%s: position %d, CPython's is %d", where, m.Tell(), s.Pos)
				}
				if b := contents(t, m); !bytes.Equal(b, []byte(latin1(s.Bytes))) {
					t.Fatalf("%s: bytes %q, CPython's are %q", where, b, latin1(s.Bytes))
				}
				steps++
			}
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			if path != "" {
				if b := fileBytes(t, path); !bytes.Equal(b, []byte(latin1(c.File))) {
					t.Fatalf("case %d: file holds %q after Close, CPython's held %q", ci, b, latin1(c.File))
				}
			}
		})
	}
	t.Logf("%d steps of %d cases agree with CPython %s", steps, len(rec.Cases), rec.Python)
}

// pythonError is the error of this package that stands for what CPython
// raised in op.
func pythonError(op, exc, msg string) error {
	switch {
	case exc == "TypeError":
		return ErrReadOnly
	case exc == "IndexError":
		return ErrOutOfRange
	case op == "read_byte":
		return io.EOF // Go's io.ByteReader convention
	case msg == "unknown seek type", op == "resize", exc == "OSError" && op == "flush",
		exc == "OverflowError" && op == "madvise":
		return ErrInvalid
	}
	return ErrOutOfRange
}

// latin1 turns a string that Python decoded as Latin-1 back into its bytes.
func latin1(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = append(b, byte(r))
	}
	return string(b)
}

// fitsInt reports whether every number among args fits in an int.
func fitsInt(args []json.RawMessage) bool {
	for _, a := range args {
		var v float64
		if json.Unmarshal(a, &v) == nil && (v > math.MaxInt || v < math.MinInt) {
			return false
		}
	}
	return true
}
