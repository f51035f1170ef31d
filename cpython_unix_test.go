//go:build unix

package mmap

import (
	"errors"
	"fmt"
	"testing"
)

// The parts of CPython's test_mmap.py that use Unix's flags and protection.

// CPython: test_access_parameter, its Unix part.
func TestAccessParameterFlagsProt(t *testing.T) {
	const size = 10
	path := writeFile(t, make([]byte, size))
	_, err := MapFile(openTestFile(t, path, false), size, &Options{Flags: MAP_PRIVATE, Prot: PROT_READ, Access: AccessWrite})
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("access with flags and prot: %v", err)
	}

	// Access as CPython records it.
	for _, c := range []struct {
		opts Options
		want Access
	}{
		{Options{}, AccessDefault},
		{Options{Prot: PROT_READ}, AccessRead},
		{Options{Prot: PROT_WRITE}, AccessWrite},
		{Options{Prot: PROT_READ | PROT_WRITE}, AccessDefault},
		{Options{Flags: MAP_PRIVATE}, AccessDefault},
		{Options{Access: AccessRead}, AccessRead},
		{Options{Access: AccessWrite}, AccessWrite},
		{Options{Access: AccessCopy}, AccessCopy},
	} {
		t.Run(fmt.Sprintf("%+v", c.opts), func(t *testing.T) {
			m, err := MapFile(openTestFile(t, path, false), size, &c.opts)
			must(t, err)
			if m.Access() != c.want {
				t.Errorf("%+v: Access() = %v, want %v", c.opts, m.Access(), c.want)
			}
			m.Close()
		})
	}
}

// CPython: test_prot_readonly.
func TestProtReadonly(t *testing.T) {
	path := writeFile(t, []byte("foo"))
	m, err := MapFile(openTestFile(t, path, true), 3, &Options{Prot: PROT_READ})
	must(t, err)
	defer m.Close()
	if _, err := m.Write([]byte("foo")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Write to a PROT_READ map: %v", err)
	}
}

// CPython: test_resize_up_private_anonymous_mapping (3.13).
func TestResizeUpPrivateAnonymousMapping(t *testing.T) {
	m, err := Anonymous(PageSize, &Options{Flags: MAP_PRIVATE})
	must(t, err)
	defer m.Close()
	must(t, m.SetAt(0, 'p'))
	must(t, m.Resize(4*PageSize))
	if b, _ := m.At(0); b != 'p' {
		t.Errorf("private map lost its byte: %q", b)
	}
	must(t, m.SetAt(4*PageSize-1, 'q'))
}
