package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// fadviseDontNeed drops the file from Windows's file cache: an open without
// buffering (FILE_FLAG_NO_BUFFERING) makes the cache manager throw away
// the file's cached pages, as it has done since Windows 98, except those
// that a process has mapped. Windows does not report its file cache, so
// stat cannot show the effect: it reports this process's working set.
func fadviseDontNeed(f *os.File) error {
	name, err := windows.UTF16PtrFromString(f.Name())
	if err != nil {
		return err
	}
	h, err := windows.CreateFile(name, windows.GENERIC_READ,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE, nil,
		windows.OPEN_EXISTING, windows.FILE_FLAG_NO_BUFFERING, 0)
	if err != nil {
		return err
	}
	return windows.CloseHandle(h)
}
