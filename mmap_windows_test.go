package mmap

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows only: tag names, the 64 KiB granularity, CPython's Windows resize.

func TestWindowsTagNameSharesMemory(t *testing.T) {
	name := fmt.Sprintf("Local\\mmap-test-%d", os.Getpid())
	a, err := Anonymous(PageSize, &Options{TagName: name})
	must(t, err)
	defer a.Close()
	b, err := Anonymous(PageSize, &Options{TagName: name})
	must(t, err)
	defer b.Close()
	must(t, a.SetSlice(0, 5, []byte("hello")))
	if got := b.Slice(0, 5); string(got) != "hello" {
		t.Errorf("the second map of %s reads %q", name, got)
	}
	if a.TagName() != name {
		t.Errorf("TagName = %q", a.TagName())
	}
	// Another name is other memory.
	c, err := Anonymous(PageSize, &Options{TagName: name + "-other"})
	must(t, err)
	defer c.Close()
	if got := c.Slice(0, 5); !bytes.Equal(got, make([]byte, 5)) {
		t.Errorf("a map of another name reads %q", got)
	}
}

func TestWindowsGranularity(t *testing.T) {
	if AllocationGranularity != 64<<10 {
		t.Errorf("AllocationGranularity = %d, want 64 KiB", AllocationGranularity)
	}
	path := writeFile(t, make([]byte, 3*AllocationGranularity))
	f := openTestFile(t, path, false)
	if _, err := MapFile(f, PageSize, &Options{Offset: int64(PageSize)}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an offset of one page: %v", err)
	}
	m, err := MapFile(f, PageSize, &Options{Offset: int64(AllocationGranularity)})
	must(t, err)
	defer m.Close()
	must(t, m.SetAt(0, 'g'))
	if got := fileBytes(t, path)[AllocationGranularity]; got != 'g' {
		t.Errorf("the file holds %q at the offset", got)
	}
}

// TestWindowsGrowsFile: a length past the end of the file extends it, as
// CPython does on Windows.
func TestWindowsGrowsFile(t *testing.T) {
	path := writeFile(t, []byte("short"))
	m, err := MapFile(openTestFile(t, path, false), 100, nil)
	must(t, err)
	if m.Len() != 100 {
		t.Errorf("Len = %d", m.Len())
	}
	must(t, m.SetAt(99, 'e'))
	must(t, m.Close())
	if got := fileBytes(t, path); len(got) != 100 || got[99] != 'e' || string(got[:5]) != "short" {
		t.Errorf("the file of %d bytes after the map", len(got))
	}
}

func TestWindowsUnixOptions(t *testing.T) {
	for _, o := range []Options{{Flags: 1}, {Prot: 1}} {
		if _, err := Anonymous(PageSize, &o); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v on Windows: %v", o, err)
		}
	}
}

// TestWindowsResize: a file map grows and shrinks with its file; a resize
// that another map of the file forbids fails clearly and changes nothing.
func TestWindowsResize(t *testing.T) {
	path := writeFile(t, []byte("0123456789"))
	m, err := MapFile(openTestFile(t, path, false), 0, nil)
	must(t, err)
	defer m.Close()
	must(t, m.Resize(3*PageSize))
	must(t, m.SetAt(3*PageSize-1, 'z'))
	must(t, m.Resize(5))
	if got := fileBytes(t, path); string(got) != "01234" {
		t.Errorf("the file holds %q after Resize(5)", got)
	}
	other, err := MapFile(openTestFile(t, path, false), 0, nil)
	must(t, err)
	defer other.Close()
	if err := m.Resize(2); !errors.Is(err, ErrInvalid) {
		t.Errorf("Resize while another map holds the file: %v", err)
	}
	if got := m.Slice(0, m.Len()); string(got) != "01234" {
		t.Errorf("the failed Resize left the map as %q", got)
	}
	if got := fileBytes(t, path); string(got) != "01234" {
		t.Errorf("the failed Resize left the file as %q", got)
	}
	// Anonymous maps are copied into a new section.
	a, err := Anonymous(PageSize, nil)
	must(t, err)
	defer a.Close()
	must(t, a.SetAt(10, 'a'))
	must(t, a.Resize(4*PageSize))
	if b, _ := a.At(10); b != 'a' {
		t.Errorf("At(10) = %q after Resize", b)
	}
	must(t, a.SetAt(4*PageSize-1, 'b'))
}

// regionState is the state of the memory at p (MEM_FREE, MEM_RESERVE,
// MEM_COMMIT).
func regionState(t *testing.T, p *byte) uint32 {
	t.Helper()
	var info windows.MemoryBasicInformation
	if err := windows.VirtualQuery(uintptr(unsafe.Pointer(p)), &info, unsafe.Sizeof(info)); err != nil {
		t.Fatal(err)
	}
	return info.State
}

func TestStaleViewStaysReservedWindows(t *testing.T) {
	for _, escape := range []bool{false, true} {
		m, _ := mapData(t, bytes.Repeat([]byte("stale"), 4000), nil)
		p := &m.mem.data[0]
		want := uint32(memFree)
		if escape {
			m.Bytes()
			want = windows.MEM_RESERVE
		}
		must(t, m.Close())
		if got := regionState(t, p); got != want {
			t.Errorf("escaped %v: after Close the view's range is in state %#x, want %#x", escape, got, want)
		}
	}
}

const memFree = 0x10000 // MEM_FREE, which x/sys/windows does not declare

// TestSupportsUnderWine pins what Supports says under the Wine that
// .ci/wine.sh names in MMAP_TEST_WINE: Wine 10 has placeholders, so
// Reserve and Mirror's own path are done; Wine 8 refuses them, so Reserve
// is ErrUnsupported and Mirror falls back to its emulation.
func TestSupportsUnderWine(t *testing.T) {
	want := map[string][2]Support{ // Reserve, Mirror
		"10": {SupportNative, SupportNative},
		"8":  {SupportNone, SupportEmulated},
	}
	v := os.Getenv("MMAP_TEST_WINE")
	w, ok := want[v]
	if !ok {
		t.Skip("not under a Wine that .ci/wine.sh names (MMAP_TEST_WINE is 8 or 10 there)")
	}
	if got := Supports(FeatureReserve); got != w[0] {
		t.Errorf("under Wine %s Supports(FeatureReserve) = %v, want %v", v, got, w[0])
	}
	if got := Supports(FeatureMirror); got != w[1] {
		t.Errorf("under Wine %s Supports(FeatureMirror) = %v, want %v", v, got, w[1])
	}
}
