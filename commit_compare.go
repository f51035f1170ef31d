package mmap

import "bytes"

// dirtyByCompare is sysDirty where the system does not tell which pages of
// a map were copied (Windows, the Unix systems but Linux, and Linux where
// /proc/self/pagemap does not answer for this process's addresses): the pages of
// data, the map, whose bytes differ from the file's at offset, which
// readAt reads. It reads the whole file, and touches every page of the map.
func dirtyByCompare(data []byte, offset int64, readAt func(p []byte, off int64) (int, error)) ([]run, error) {
	var runs []run
	buf := make([]byte, min(len(data), 1<<20))
	for off := 0; off < len(data); off += len(buf) {
		chunk := data[off:min(off+len(buf), len(data))]
		n := 0
		for n < len(chunk) {
			k, err := readAt(buf[n:len(chunk)], offset+int64(off+n))
			if err != nil {
				return nil, err
			}
			if k == 0 {
				break // the file ends: the rest differs
			}
			n += k
		}
		for p := 0; p < len(chunk); p += pageSize {
			e := min(p+pageSize, len(chunk))
			if e > n || !bytes.Equal(chunk[p:e], buf[p:e]) {
				runs = addRun(runs, off+p, e-p)
			}
		}
	}
	return runs, nil
}
