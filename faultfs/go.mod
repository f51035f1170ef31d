module github.com/mmapio/mmap/faultfs

go 1.24.0

require (
	github.com/hanwen/go-fuse/v2 v2.12.1
	github.com/mmapio/mmap v0.0.0
)

require golang.org/x/sys v0.41.0 // indirect

replace github.com/mmapio/mmap => ../
