package mmap

// View runs f over the mapped bytes, for code that takes a []byte (regexp,
// hash/crc32, encoding/binary, a parser) and must not crash the process. It
// returns f's error, or:
//
//   - an error wrapping [ErrFault] when the memory behind the map is gone
//     while f runs (the file was truncated under it, say): the fault may
//     arise anywhere in f's goroutine, inside the standard library too, and
//     f is cut short there;
//   - the error of a closed Map ([ErrClosed]), or of a nil or zero one
//     ([ErrInvalid]), without running f.
//
// While f runs, Close and Resize wait for it, so b stays valid; b is not
// valid after f returns, and must not be kept (copy what is needed). f must
// not call Close, Resize or Protect on m, which would wait for f forever;
// the other methods of m may be called. A goroutine that f starts is not
// guarded. On a read-only map, writing to b kills the process, as writing
// to Bytes does.
func (m *Map) View(f func(b []byte) error) (err error) {
	old, ok := m.enter()
	if !ok {
		return m.closedError("view")
	}
	defer func() { m.leave(old, recover(), &err, "view") }()
	if f == nil {
		return errorf(ErrInvalid, "view", "nil function")
	}
	data := m.mem.data
	return f(data[:len(data):len(data)])
}
