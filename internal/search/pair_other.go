//go:build !amd64 || purego

package search

// pairs is done by the loop of bytes.IndexByte in Index where there is no
// vector code: it looks at nothing.
func pairs(s []byte, from, end, i1, i2 int, b1, b2 byte) (at int, mask uint32) {
	return from, 0
}

// pairsBack is done by the loop in LastIndex: it looks at nothing.
func pairsBack(s []byte, from, i1, i2 int, b1, b2 byte) (at int, mask uint32) {
	return from, 0
}
