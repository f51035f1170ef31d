package mmap

import "golang.org/x/sys/windows"

// The procedures and constants of Windows that x/sys/windows does not
// declare, in one place: the placeholders of Options.Reserve and Mirror
// (reserve_windows.go, mirror_windows.go), named memory's opening and
// ownership check (named_windows.go), and the system's facts and
// prefetching (mmap_windows.go).
var (
	kernel32                  = windows.NewLazySystemDLL("kernel32.dll")
	kernelbase                = windows.NewLazySystemDLL("kernelbase.dll")
	procGetSystemInfo         = kernel32.NewProc("GetSystemInfo")
	procPrefetchVirtualMemory = kernel32.NewProc("PrefetchVirtualMemory")
	procMapViewOfFileEx       = kernel32.NewProc("MapViewOfFileEx")
	procOpenFileMappingW      = kernel32.NewProc("OpenFileMappingW")
	procNtQuerySection        = windows.NewLazySystemDLL("ntdll.dll").NewProc("NtQuerySection")
	procVirtualAlloc2         = kernelbase.NewProc("VirtualAlloc2")    // Windows 10 1803
	procMapViewOfFile3        = kernelbase.NewProc("MapViewOfFile3")   // Windows 10 1803
	procUnmapViewOfFile2      = kernelbase.NewProc("UnmapViewOfFile2") // Windows 10 1803
)

// The placeholder flags of VirtualAlloc2, MapViewOfFile3, UnmapViewOfFile2
// and VirtualFree.
const (
	memCoalescePlaceholders = 0x1
	memPreservePlaceholder  = 0x2
	memReplacePlaceholder   = 0x4000
	memReservePlaceholder   = 0x40000
)
