package mmap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// badCall is a call of one method with bad arguments and the error it must
// wrap.
type badCall struct {
	name string
	call func(m *Map) error
	want error
}

// badCalls lists every method with every bad argument, for a map of n bytes;
// the read-only ones need a writable map to reach their range check.
func badCalls(n int) (calls, writes []badCall) {
	e := func(_ any, err error) error { return err }
	calls = []badCall{
		{"At(Len)", func(m *Map) error { return e(m.At(n)) }, ErrOutOfRange},
		{"At(-Len-1)", func(m *Map) error { return e(m.At(-n - 1)) }, ErrOutOfRange},
		{"At(MaxInt)", func(m *Map) error { return e(m.At(math.MaxInt)) }, ErrOutOfRange},
		{"At(MinInt)", func(m *Map) error { return e(m.At(math.MinInt)) }, ErrOutOfRange},
		{"ReadAt(-1)", func(m *Map) error { return e(m.ReadAt(make([]byte, 1), -1)) }, ErrOutOfRange},
		{"ReadAt(MinInt64)", func(m *Map) error { return e(m.ReadAt(make([]byte, 1), math.MinInt64)) }, ErrOutOfRange},
		{"Seek(-1, start)", func(m *Map) error { return e(m.Seek(-1, io.SeekStart)) }, ErrOutOfRange},
		{"Seek(Len+1, start)", func(m *Map) error { return e(m.Seek(int64(n)+1, io.SeekStart)) }, ErrOutOfRange},
		{"Seek(1, end)", func(m *Map) error { return e(m.Seek(1, io.SeekEnd)) }, ErrOutOfRange},
		{"Seek(-Len-1, end)", func(m *Map) error { return e(m.Seek(int64(-n-1), io.SeekEnd)) }, ErrOutOfRange},
		{"Seek(MaxInt64, current)", func(m *Map) error { return e(m.Seek(math.MaxInt64, io.SeekCurrent)) }, ErrOutOfRange},
		{"Seek(MinInt64, current)", func(m *Map) error { return e(m.Seek(math.MinInt64, io.SeekCurrent)) }, ErrOutOfRange},
		{"Seek(MaxInt64, end)", func(m *Map) error { return e(m.Seek(math.MaxInt64, io.SeekEnd)) }, ErrOutOfRange},
		{"Seek(0, 3)", func(m *Map) error { return e(m.Seek(0, 3)) }, ErrInvalid},
		{"Seek(0, -1)", func(m *Map) error { return e(m.Seek(0, -1)) }, ErrInvalid},
		{"FlushRange(-1, 1)", func(m *Map) error { return m.FlushRange(-1, 1) }, ErrOutOfRange},
		{"FlushRange(0, -1)", func(m *Map) error { return m.FlushRange(0, -1) }, ErrOutOfRange},
		{"FlushRange(0, Len+1)", func(m *Map) error { return m.FlushRange(0, n+1) }, ErrOutOfRange},
		{"FlushRange(MaxInt, MaxInt)", func(m *Map) error { return m.FlushRange(math.MaxInt, math.MaxInt) }, ErrOutOfRange},
		{"MadviseRange(-1)", func(m *Map) error { return m.MadviseRange(MADV_NORMAL, -1, 1) }, ErrOutOfRange},
		{"MadviseRange(Len)", func(m *Map) error { return m.MadviseRange(MADV_NORMAL, n, 1) }, ErrOutOfRange},
		{"MadviseRange(0, -1)", func(m *Map) error { return m.MadviseRange(MADV_NORMAL, 0, -1) }, ErrInvalid},
		{"MadviseRange(1, 1)", func(m *Map) error { return m.MadviseRange(MADV_NORMAL, 1, 1) }, ErrInvalid},
	}
	writes = []badCall{
		{"SetAt(Len)", func(m *Map) error { return m.SetAt(n, 'x') }, ErrOutOfRange},
		{"SetAt(-Len-1)", func(m *Map) error { return m.SetAt(-n-1, 'x') }, ErrOutOfRange},
		{"SetSlice short", func(m *Map) error { return m.SetSlice(0, 3, []byte("xy")) }, ErrOutOfRange},
		{"SetSlice long", func(m *Map) error { return m.SetSlice(0, 3, []byte("wxyz")) }, ErrOutOfRange},
		{"SetSlice past the end", func(m *Map) error { return m.SetSlice(n-1, n+5, []byte("xyz")) }, ErrOutOfRange},
		{"SetSlice reversed", func(m *Map) error { return m.SetSlice(5, 2, []byte("x")) }, ErrOutOfRange},
		{"WriteAt(-1)", func(m *Map) error { return e(m.WriteAt([]byte("x"), -1)) }, ErrOutOfRange},
		{"WriteAt past the end", func(m *Map) error { return e(m.WriteAt([]byte("xyz"), int64(n-2))) }, ErrOutOfRange},
		{"WriteAt empty past the end", func(m *Map) error { return e(m.WriteAt(nil, int64(n+1))) }, ErrOutOfRange},
		{"WriteAt(MaxInt64)", func(m *Map) error { return e(m.WriteAt([]byte("x"), math.MaxInt64)) }, ErrOutOfRange},
		{"Write too long", func(m *Map) error { return e(m.Write(make([]byte, n))) }, ErrOutOfRange},
		{"WriteString too long", func(m *Map) error { return e(m.WriteString(string(make([]byte, n)))) }, ErrOutOfRange},
		{"Move(-1, 0, 1)", func(m *Map) error { return m.Move(-1, 0, 1) }, ErrOutOfRange},
		{"Move(0, -1, 1)", func(m *Map) error { return m.Move(0, -1, 1) }, ErrOutOfRange},
		{"Move(0, 0, -1)", func(m *Map) error { return m.Move(0, 0, -1) }, ErrOutOfRange},
		{"Move(0, 1, Len)", func(m *Map) error { return m.Move(0, 1, n) }, ErrOutOfRange},
		{"Move(1, 0, Len)", func(m *Map) error { return m.Move(1, 0, n) }, ErrOutOfRange},
		{"Move(MaxInt, MaxInt, MaxInt)", func(m *Map) error { return m.Move(math.MaxInt, math.MaxInt, math.MaxInt) }, ErrOutOfRange},
		{"Resize(0)", func(m *Map) error { return m.Resize(0) }, ErrInvalid},
		{"Resize(-1)", func(m *Map) error { return m.Resize(-1) }, ErrInvalid},
		{"Resize(MaxInt)", func(m *Map) error { return m.Resize(math.MaxInt) }, nil}, // ENOMEM or EFBIG: any error, nothing changed
	}
	return calls, writes
}

// TestBadInput calls every method with every bad argument on maps of every
// access mode, then on a closed map, and checks the error's identity and that
// nothing changed: bytes, position, file size.
func TestBadInput(t *testing.T) {
	const text = "hello world\nsecond line\n"
	n := len(text)
	calls, writes := badCalls(n)
	for _, access := range []Access{AccessDefault, AccessRead, AccessWrite, AccessCopy} {
		m, path := mapData(t, []byte(text), &Options{Access: access})
		m.Seek(3, io.SeekStart)
		check := func(c badCall, want error) {
			t.Helper()
			err := c.call(m)
			switch {
			case want == nil && err == nil:
				t.Errorf("%v %s: no error", access, c.name)
			case want != nil && !errors.Is(err, want):
				t.Errorf("%v %s: %v, want %v", access, c.name, err, want)
			}
			if err != nil && want != nil && err.Error() == want.Error() {
				t.Errorf("%v %s: the message %q names no value", access, c.name, err)
			}
			if b := contents(t, m); string(b) != text || m.Tell() != 3 || m.Len() != n {
				t.Errorf("%v %s changed the map: %q, position %d, length %d", access, c.name, b, m.Tell(), m.Len())
			}
			if st, _ := os.Stat(path); st.Size() != int64(n) {
				t.Errorf("%v %s changed the file size to %d", access, c.name, st.Size())
			}
		}
		for _, c := range calls {
			check(c, c.want)
		}
		for _, c := range writes {
			want := c.want
			if access == AccessRead || access == AccessCopy && c.name[:6] == "Resize" {
				want = ErrReadOnly // reported before any range check, as CPython
			}
			check(c, want)
		}
		if !bytes.Equal(fileBytes(t, path), []byte(text)) {
			t.Errorf("%v: the file changed", access)
		}
		must(t, m.Close())
		for _, c := range append(calls, writes...) {
			if err := c.call(m); !errors.Is(err, ErrClosed) {
				t.Errorf("%v %s on a closed map: %v", access, c.name, err)
			}
		}
	}
}

// TestBadConstruction checks every bad argument of the constructors, each
// error's identity, and that the file is left as it was.
func TestBadConstruction(t *testing.T) {
	path := writeFile(t, []byte("0123456789"))
	f := openTestFile(t, path, false)
	ro := openTestFile(t, path, true)
	dir, err := os.Open(tempDir(t))
	must(t, err)
	defer dir.Close()
	for _, c := range []struct {
		name string
		f    *os.File
		n    int
		opts *Options
		want error
	}{
		{"negative length", f, -1, nil, ErrInvalid},
		{"negative offset", f, 0, &Options{Offset: -4096}, ErrInvalid},
		{"unaligned offset", f, 0, &Options{Offset: 1}, ErrInvalid},
		{"unknown access", f, 0, &Options{Access: 4}, ErrInvalid},
		{"negative access", f, 0, &Options{Access: -1}, ErrInvalid},
		// MAP_PRIVATE and PROT_READ are 2 and 1 on every Unix; on Windows any
		// Flags or Prot is ErrInvalid.
		{"access and flags", f, 0, &Options{Access: AccessRead, Flags: 2}, ErrInvalid},
		{"access and prot", f, 0, &Options{Access: AccessCopy, Prot: 1}, ErrInvalid},
		{"offset past the end", f, 0, &Options{Offset: int64(AllocationGranularity)}, ErrInvalid},
		{"length past the end", f, 11, nil, ErrInvalid},
		{"length past the end at an offset", f, 1, &Options{Offset: int64(AllocationGranularity)}, ErrInvalid},
		{"write map of a read-only file", ro, 0, nil, os.ErrPermission},
		{"directory", dir, 0, &Options{Access: AccessRead}, ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			if growsFile && strings.HasPrefix(c.name, "length past the end") {
				t.Skip("Windows extends the file, as CPython there: TestWindowsGrowsFile")
			}
			if m, err := MapFile(c.f, c.n, c.opts); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
				if m != nil {
					m.Close()
				}
			}
		})
	}
	for _, n := range []int{0, -1} {
		if _, err := Anonymous(n, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("Anonymous(%d): %v", n, err)
		}
	}
	if _, err := Anonymous(10, &Options{Offset: int64(AllocationGranularity)}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Anonymous with an offset: %v", err)
	}
	if _, err := Open(path, 7); !errors.Is(err, ErrInvalid) {
		t.Errorf("Open with access 7: %v", err)
	}
	if _, err := Open(path+".missing", AccessRead); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open of a missing file: %v", err)
	}
	if got := fileBytes(t, path); string(got) != "0123456789" {
		t.Errorf("the file changed: %q", got)
	}
}

// methodErrors calls every method of m that returns an error, by name.
func methodErrors(m *Map) map[string]error {
	p := make([]byte, 4)
	errs := map[string]error{}
	errs["At"] = second(m.At(0))
	errs["SetAt"] = m.SetAt(0, 'x')
	errs["SetSlice"] = m.SetSlice(0, 1, []byte("x"))
	errs["ReadAt"] = second(m.ReadAt(p, 0))
	errs["WriteAt"] = second(m.WriteAt(p, 0))
	errs["Move"] = m.Move(0, 1, 1)
	errs["Read"] = second(m.Read(p))
	errs["ReadByte"] = second(m.ReadByte())
	errs["ReadLine"] = second(m.ReadLine())
	errs["Write"] = second(m.Write(p))
	errs["WriteString"] = second(m.WriteString("x"))
	errs["WriteByte"] = m.WriteByte('x')
	errs["Seek"] = second(m.Seek(0, io.SeekStart))
	errs["WriteTo"] = second(m.WriteTo(io.Discard))
	errs["Flush"] = m.Flush()
	errs["FlushRange"] = m.FlushRange(0, 1)
	errs["FlushAsync"] = m.FlushAsync()
	errs["Madvise"] = m.Madvise(MADV_NORMAL)
	errs["MadviseRange"] = m.MadviseRange(MADV_NORMAL, 0, 1)
	errs["Resize"] = m.Resize(8192)
	errs["Size"] = second(m.Size())
	errs["File"] = second(m.File())
	errs["Lock"] = m.Lock()
	errs["Unlock"] = m.Unlock()
	errs["Protect"] = m.Protect(AccessRead)
	errs["Populate"] = m.Populate()
	_, _, errs["Resident"] = m.Resident()
	_, _, errs["ResidentRange"] = m.ResidentRange(0, 1)
	return errs
}

// TestUnusableMaps: a nil *Map and a zero Map answer ErrInvalid, as os does
// for a nil *File, and a closed Map ErrClosed, from every method and never a
// panic; every such error names the package and the operation.
func TestUnusableMaps(t *testing.T) {
	closed, err := Anonymous(4096, nil)
	must(t, err)
	must(t, closed.Close())
	for _, c := range []struct {
		name string
		m    *Map
		want error
	}{
		{"nil", nil, ErrInvalid},
		{"zero", &Map{}, ErrInvalid},
		{"closed", closed, ErrClosed},
	} {
		t.Run(c.name, func(t *testing.T) {
			for name, err := range methodErrors(c.m) {
				if !errors.Is(err, c.want) || !strings.HasPrefix(err.Error(), "mmap: ") || strings.Count(err.Error(), ": ") < 2 {
					t.Errorf("%s: %v, want an error wrapping %v that names the operation", name, err, c.want)
				}
			}
			if c.m.Len() != 0 || c.m.Tell() != 0 || c.m.Bytes() != nil || c.m.Slice(0, 1) != nil ||
				c.m.Find([]byte("x")) != -1 || c.m.RFindIn([]byte("x"), 0, 1) != -1 || !c.m.Closed() ||
				c.m.TagName() != "" || c.m.Access() != AccessDefault {
				t.Errorf("the methods without an error do not report an unusable map")
			}
			for range c.m.Lines() {
				t.Errorf("Lines yields a line")
			}
			if c.name == "closed" {
				if err := c.m.Close(); err != nil {
					t.Errorf("second Close: %v", err)
				}
			} else if err := c.m.Close(); !errors.Is(err, ErrInvalid) {
				t.Errorf("Close: %v, want ErrInvalid", err)
			}
		})
	}
}

// TestAnonymousNegativeMessage: the message says "invalid argument" once,
// and the error is both ErrInvalid and EINVAL (CPython's OSError).
func TestAnonymousNegativeMessage(t *testing.T) {
	_, err := Anonymous(-1, nil)
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("Anonymous(-1): %v", err)
	}
	if n := strings.Count(err.Error(), "invalid argument"); n != 1 {
		t.Errorf("%q says invalid argument %d times", err, n)
	}
}

// TestPageSizeAssigned: the package never reads the exported PageSize and
// AllocationGranularity, which a program may assign (as in Python).
func TestPageSizeAssigned(t *testing.T) {
	ps, ag := PageSize, AllocationGranularity
	PageSize, AllocationGranularity = 3, 5
	defer func() { PageSize, AllocationGranularity = ps, ag }()
	m, err := Anonymous(4*ps, &Options{Access: AccessWrite})
	must(t, err)
	defer m.Close()
	if err := m.FlushRange(ps, ps); err != nil {
		t.Errorf("FlushRange(%d, %d) with PageSize = 3: %v", ps, ps, err)
	}
	if err := m.FlushRange(3, 3); !errors.Is(err, ErrInvalid) {
		t.Errorf("FlushRange(3, 3) with PageSize = 3: %v, want ErrInvalid", err)
	}
	if err := m.MadviseRange(MADV_NORMAL, ps, ps); err != nil {
		t.Errorf("MadviseRange(%d, %d) with PageSize = 3: %v", ps, ps, err)
	}
	if _, err := MapFile(openTestFile(t, writeFile(t, make([]byte, 2*ag)), false), 0, &Options{Offset: 5}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Offset 5 with AllocationGranularity = 5: %v, want ErrInvalid", err)
	}
	if err := m.Resize(3*ps + 1); err != nil || m.Len() != 3*ps+1 {
		t.Errorf("Resize with PageSize = 3: %v, Len %d", err, m.Len())
	}
}

// noMemory are the errors of memory the system cannot give (Resize(1<<62),
// as Anonymous(1<<62)): the system's answer, which keeps its identity, not
// bad input.
var noMemory = []error{errnos["ENOMEM"]}

// TestEveryMethodWithBadArguments calls every exported method of Map, found
// by reflection so that a new method cannot be missed, with nil, zero,
// negative and huge arguments, on writable file and anonymous maps: none panics; an
// error wraps one of the package's sentinels, io.EOF or
// errors.ErrUnsupported; and a call that fails leaves the bytes and the
// position as they were.
func TestEveryMethodWithBadArguments(t *testing.T) {
	skip := map[string]string{
		"Close": "ends the map (TestUnusableMaps calls every method after it)",
		"Bytes": "returns the memory, no argument",
	}
	sentinels := append([]error{ErrClosed, ErrReadOnly, ErrOutOfRange, ErrInvalid, ErrEmptyFile, ErrFault,
		io.EOF, errors.ErrUnsupported}, noMemory...)
	const n = 4 * 4096
	want := bytes.Repeat([]byte("0123456789abcdef"), n/16)
	typ := reflect.TypeOf((*Map)(nil))
	for i := range typ.NumMethod() {
		meth := typ.Method(i)
		if why, ok := skip[meth.Name]; ok {
			t.Logf("%s skipped: %s", meth.Name, why)
			continue
		}
		for _, c := range []struct{ kind, mem string }{{"zero", "file"}, {"negative", "file"}, {"huge", "file"},
			{"zero", "anonymous"}, {"negative", "anonymous"}, {"huge", "anonymous"}} {
			kind := c.kind
			var m *Map
			if c.mem == "file" {
				m, _ = mapData(t, want, nil)
			} else {
				var err error
				m, err = Anonymous(n, nil)
				must(t, err)
				defer m.Close()
				must(t, second(m.WriteAt(want, 0)))
			}
			seek(t, m, 100, io.SeekStart, 100)
			args := []reflect.Value{reflect.ValueOf(m)}
			for k := 1; k < meth.Type.NumIn(); k++ {
				arg := reflect.New(meth.Type.In(k)).Elem() // zero: nil slices, funcs, writers
				if arg.CanInt() && kind != "zero" {
					v := int64(-1)
					if kind == "huge" {
						v = 1 << 62
						if arg.Type().Bits() < 64 {
							v = 1<<(arg.Type().Bits()-1) - 1
						}
					}
					arg.SetInt(v)
				}
				args = append(args, arg)
			}
			name := fmt.Sprintf("%s(%s) on %s memory", meth.Name, kind, c.mem)
			var out []reflect.Value
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s panics: %v", name, r)
					}
				}()
				out = meth.Func.Call(args)
			}()
			var err error
			for _, o := range out {
				if e, ok := o.Interface().(error); ok && o.Type() == reflect.TypeFor[error]() {
					err = e
				}
			}
			if err == nil {
				continue
			}
			if !slices.ContainsFunc(sentinels, func(s error) bool { return errors.Is(err, s) }) {
				t.Errorf("%s = %v, which wraps none of the package's sentinels", name, err)
			}
			if !m.Closed() && !errors.Is(err, io.EOF) {
				if m.Tell() != 100 {
					t.Errorf("%s failed (%v) and moved the position to %d", name, err, m.Tell())
				}
				if got := contents(t, m); !bytes.Equal(got, want) {
					t.Errorf("%s failed (%v) and changed the bytes", name, err)
				}
			}
		}
	}
}
