package mmap

import "golang.org/x/sys/windows"

// The changed pages of a FILE_MAP_COPY view, on Windows, are found by
// comparing the view with the file (commit.go): Windows reports a copied
// page as read-write to VirtualQuery, but Wine does not, and the tests run
// under Wine.

// private reports a copy-on-write map (AccessCopy).
func (c *config) private() bool { return c.access == AccessCopy }

// sysDirty returns the runs of pages of mem that differ from the file (and
// as spans to give back the same: sysGiveBack maps the whole view anew).
func sysDirty(mem *memory, c *config) (runs, spans []run, err error) {
	runs, err = dirtyByCompare(mem.data, c.offset, func(p []byte, off int64) (int, error) {
		var n uint32
		o := windows.Overlapped{Offset: uint32(off), OffsetHigh: uint32(off >> 32)}
		err := windows.ReadFile(windows.Handle(mem.fd), p, &n, &o)
		if err == windows.ERROR_HANDLE_EOF {
			err = nil
		}
		return int(n), err
	})
	return runs, runs, err
}

// sysWriteRun writes b to fd at off, all of it.
func sysWriteRun(fd int, b []byte, off int64) error {
	for len(b) > 0 {
		var n uint32
		o := windows.Overlapped{Offset: uint32(off), OffsetHigh: uint32(off >> 32)}
		if err := windows.WriteFile(windows.Handle(fd), b[:min(len(b), 1<<30)], &n, &o); err != nil {
			return err
		}
		b, off = b[n:], off+int64(n)
	}
	return nil
}

// sysSyncData waits until the file's data is on the disk.
func sysSyncData(fd int) error { return windows.FlushFileBuffers(windows.Handle(fd)) }

// sysGiveBack maps the view anew, which drops every copied page (runs is
// ignored: a view cannot give back some of its pages), and keeps a
// Protect(AccessRead) in force.
func sysGiveBack(mem *memory, c *config, _ []run) error {
	if _, err := sysResize(mem, c, len(mem.data)); err != nil {
		return err
	}
	if c.protected {
		return sysProtect(mem.data, c, true)
	}
	return nil
}

// isBadFD reports the error of a write through a handle opened read-only.
func isBadFD(err error) bool { return err == windows.ERROR_ACCESS_DENIED }
