package search

// rank orders bytes by how often they occur in typical files, text and
// binary: 0 for the rarest, higher for the common ones. The order is a
// heuristic for choosing which byte of a needle to scan for; a wrong guess
// costs speed, never correctness.
var rank = func() (r [256]uint8) {
	for c := range r {
		r[c] = 10 // control bytes and bytes past ASCII: rare
	}
	for c := '!'; c <= '~'; c++ {
		r[c] = 40 // punctuation
	}
	for c := 'A'; c <= 'Z'; c++ {
		r[c] = 60
	}
	for c := '0'; c <= '9'; c++ {
		r[c] = 100
	}
	// Lower-case letters by their frequency in English text, rarest first.
	for i, c := range "zqjxkvbpygfwmucldrhsnioate" {
		r[c] = uint8(80 + 6*i)
	}
	for _, c := range "/.,-:=\"_" {
		r[c] = 90
	}
	for _, c := range "ESTARINO" {
		r[c] = 75
	}
	r['\n'], r['\t'], r['\r'] = 150, 120, 100
	r[' '] = 255
	r[0x00], r[0xff] = 200, 110 // padding in binary files
	return r
}()
