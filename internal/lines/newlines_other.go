//go:build !amd64 || purego

package lines

// newlines is done by the loop in Ends where there is no vector code.
func newlines(data []byte, pos int, ends []int) (n, next int) { return 0, pos }
