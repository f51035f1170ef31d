package mmap

import (
	"reflect"
	"unsafe"
)

// ViewOf returns the T at offset in m's memory, itself, not a copy: an
// atomic counter, a header, a record shared with another process. It is
// SliceOf(m, offset, 1)'s only element, with the same rules.
func ViewOf[T any](m *Map, offset int) (*T, error) {
	s, err := sliceOf[T](m, "view of", offset, 1)
	if err != nil {
		return nil, err
	}
	return &s[0], nil
}

// SliceOf returns the n values of type T that start at offset in m's
// memory, themselves, not copies.
//
// T must hold no pointers, also inside arrays and structs (no pointer,
// string, slice, map, channel, function or interface): the garbage
// collector does not look into mapped memory, and another process's
// pointers mean nothing here. Numbers, booleans, arrays and structs of them,
// and the types of sync/atomic (atomic.Uint64, …) qualify. The bytes are
// the machine's: its byte order (little-endian on amd64 and arm64,
// big-endian on s390x) and Go's layout of T, with its padding, as
// unsafe.Sizeof and unsafe.Offsetof give them; a file read on another
// architecture needs fixed-size fields in an agreed order
// (encoding/binary), and processes that share T must be built with the same
// definition of it.
//
// The address of offset must be a multiple of T's alignment
// (unsafe.Alignof), as atomic operations require. A T with pointers, a
// misaligned offset or a T of size 0 is [ErrInvalid]; a range past either
// end of the map, or a negative n, is [ErrOutOfRange]; a closed [Map] is
// ErrClosed.
//
// The result is a view like Bytes: valid until Close or a Resize that moves
// the map, and unguarded (if the file is truncated under it, touching the
// lost pages kills the process with SIGBUS). Once it escaped, Close leaves
// its range inaccessible rather than reusable (see Bytes).
func SliceOf[T any](m *Map, offset, n int) ([]T, error) {
	return sliceOf[T](m, "slice of", offset, n)
}

func sliceOf[T any](m *Map, op string, offset, n int) ([]T, error) {
	t := reflect.TypeFor[T]()
	size, align := int(t.Size()), t.Align()
	switch {
	case hasPointers(t):
		return nil, errorf(ErrInvalid, op, "%s holds pointers, which cannot live in mapped memory", t)
	case size == 0:
		return nil, errorf(ErrInvalid, op, "%s has no size", t)
	case n < 0:
		return nil, errorf(ErrOutOfRange, op, "negative count %d", n)
	}
	if m == nil || m.mem == nil {
		return nil, m.closedError(op)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed.Load() {
		return nil, m.closedError(op)
	}
	data := m.mem.data
	if offset < 0 || offset > len(data) || n > (len(data)-offset)/size {
		return nil, errorf(ErrOutOfRange, op, "%d values of %d bytes at offset %d in a map of %d bytes",
			n, size, offset, len(data))
	}
	p := unsafe.Add(unsafe.Pointer(unsafe.SliceData(data)), offset)
	if uintptr(p)%uintptr(align) != 0 {
		return nil, errorf(ErrInvalid, op, "offset %d is not aligned for %s (a multiple of %d)", offset, t, align)
	}
	m.mem.escaped.Store(true)
	return unsafe.Slice((*T)(p), n), nil
}

// hasPointers reports whether a value of type t holds a pointer.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	}
	return true // pointers, strings, slices, maps, channels, functions, interfaces
}
