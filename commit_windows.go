package mmap

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// The changed pages of a FILE_MAP_COPY view, on Windows: a page the program
// wrote has been copied, and VirtualQuery reports it read-write where the
// pages it did not write are still copy-on-write.

// private reports a copy-on-write map (AccessCopy).
func (c *config) private() bool { return c.access == AccessCopy }

// sysDirty returns the runs of pages of mem that the program changed (and
// as spans to give back the same: sysGiveBack maps the whole view anew).
func sysDirty(mem *memory, _ *config) (runs, spans []run, err error) {
	data := mem.data
	base := addr(data)
	for off := 0; off < len(data); {
		var mbi windows.MemoryBasicInformation
		if err := windows.VirtualQuery(base+uintptr(off), &mbi, unsafe.Sizeof(mbi)); err != nil {
			return nil, nil, err
		}
		end := min(int(mbi.BaseAddress+mbi.RegionSize-base), len(data))
		if end <= off {
			break
		}
		if mbi.Protect&(windows.PAGE_READWRITE|windows.PAGE_EXECUTE_READWRITE) != 0 {
			for p := off; p < end; p += pageSize {
				runs = addRun(runs, p, min(pageSize, len(data)-p))
			}
		}
		off = end
	}
	return runs, runs, nil
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
