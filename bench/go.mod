module github.com/mmapio/mmap/bench

go 1.26.0

replace github.com/mmapio/mmap => ../

require (
	github.com/edsrzf/mmap-go v1.2.0
	github.com/mmapio/mmap v0.0.0
	golang.org/x/exp v0.0.0-20261014143641-f0251eb4aa3e
	golang.org/x/image v0.47.0
	golang.org/x/sys v0.49.0
)
