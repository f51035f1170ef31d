package main

import (
	"bytes"
	"regexp/syntax"
	"slices"
	"unicode"
)

// dfa answers whether a line holds a match of an expression, as
// regexp.Match does, a byte at a time through a table of states built as
// the lines need them (a lazy DFA over the expression's compiled program),
// where Go's regexp runs its NFA or backtracker over the line at every
// start. It reads lines of ASCII: at a byte of 128 or more (part of a rune
// that '.' or [^x] takes whole, or that (?i)k or s may match) it gives up,
// and the caller asks the regexp. A line is a whole text here, without its
// '\n': ^ and $ hold at its ends only.
//
// An expression whose every match starts at the line's start (^...) runs
// anchored there, and stops at the first byte that no match can take; one
// whose every match ends at the line's end (...$, as in [0-9]{3}ms$) runs
// reversed from the end, anchored, so that it reads a few bytes of a line
// rather than all of them.
type dfa struct {
	prog     *syntax.Prog
	anchored bool             // threads start at the start only: a state of none is dead
	backward bool             // the program is the expression reversed, run from the end
	states   map[string]int32 // a state's key (its threads, its context) to its number
	keys     []string         // by number
	// next is the table: next[s+c] is the state after byte c in state s,
	// or one of the values below. A state is its row's offset in next, its
	// number times 256 (keys[s>>8], end[s>>8]), so that a step adds.
	next []int32
	end  []int8 // whether state s holds a match at the end of a line: 0 not known, 1 yes, 2 no
	// word is whether the program asks whether a byte is a word byte
	// (\b, \B), which the states then remember of the last byte.
	word  bool
	start int32 // the state at the start of a line
	// accel is the state of no thread but the start's (0 for none):
	// where the bytes that leave it are one or two (the first bytes of a
	// match: i of item/[0-9]+), those, in esc, and it never gives up on a
	// rune, the search jumps to the next of them by bytes.IndexByte.
	accel int32
	esc   []byte
	stack []uint32
	seen  []bool
}

const (
	dfaUnknown = 0  // not built yet
	dfaMatch   = -1 // the line holds a match: nothing more to read
	dfaGiveUp  = -2 // a byte of 128 or more, or too many states
	dfaDead    = -3 // anchored, and no thread left: no match
	// dfaMaxStates bounds the table (1 KiB a state): past it, the lines
	// go to the regexp.
	dfaMaxStates = 4096
)

// newDFA returns the DFA of the expression, parsed and simplified as
// regexp.Compile does (the caller's flags, syntax.Perl), or nil.
func newDFA(re *syntax.Regexp) *dfa {
	d := &dfa{states: map[string]int32{}, next: make([]int32, 256), keys: []string{""}, end: []int8{0}}
	switch {
	case anchoredAt(re, syntax.OpBeginLine, syntax.OpBeginText, 0):
		d.anchored = true
	case anchoredAt(re, syntax.OpEndLine, syntax.OpEndText, -1):
		d.anchored, d.backward = true, true
		re = reversed(re)
	}
	prog, err := syntax.Compile(re)
	if err != nil {
		return nil
	}
	d.prog = prog
	for _, in := range prog.Inst {
		if in.Op == syntax.InstEmptyWidth && syntax.EmptyOp(in.Arg)&(syntax.EmptyWordBoundary|syntax.EmptyNoWordBoundary) != 0 {
			d.word = true
		}
	}
	d.seen = make([]bool, len(prog.Inst))
	d.start = d.state([]uint32{uint32(prog.Start)}, true, false)
	if d.start < 0 {
		return nil
	}
	if !d.anchored && !d.word {
		d.accelerate()
	}
	return d
}

// accelerate sets accel and esc where the state of the start's thread
// alone is left by one or two bytes, and no rune of 128 or more starts a
// match (so that the jump passes runes safely).
func (d *dfa) accelerate() {
	s := d.state([]uint32{uint32(d.prog.Start)}, false, false)
	if s <= 0 {
		return
	}
	var esc []byte
	for c := range 256 {
		t := d.next[int(s)+c]
		if t == dfaUnknown {
			t = d.step(s, byte(c))
		}
		if c < 0x80 && t != s {
			if esc = append(esc, byte(c)); len(esc) > 2 {
				return
			}
		}
	}
	// The threads that the start's closure leaves to take the next byte,
	// past any assertion: none may take a rune of 128 or more.
	runes := false
	d.walk([]uint32{uint32(d.prog.Start)}, ^syntax.EmptyOp(0), func(in *syntax.Inst) {
		runes = runes || in.Op != syntax.InstMatch && takesRune(in)
	})
	if len(esc) > 0 && !runes {
		d.accel, d.esc = s, esc
	}
}

// takesRune reports whether in, an instruction that takes a rune, matches
// one of 128 or more ('.', a range past ASCII, or a case of an ASCII
// letter, as K of k, under (?i)).
func takesRune(in *syntax.Inst) bool {
	if in.Op == syntax.InstRuneAny || in.Op == syntax.InstRuneAnyNotNL {
		return true
	}
	for i := 0; i < len(in.Rune); i += 2 {
		lo, hi := in.Rune[i], in.Rune[i]
		if i+1 < len(in.Rune) {
			hi = in.Rune[i+1]
		}
		if hi >= 0x80 {
			return true
		}
		if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
			for r := lo; r <= hi; r++ {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					if f >= 0x80 {
						return true
					}
				}
			}
		}
	}
	return false
}

// match reports whether line holds a match, and ok, false where the DFA
// gave up on the line.
func (d *dfa) match(line []byte) (matched, ok bool) {
	s := d.start
	if d.backward {
		for i := len(line) - 1; i >= 0; i-- {
			t := d.next[int(s)+int(line[i])]
			if t <= 0 {
				if t = d.special(s, t, line[i]); t <= 0 {
					return t == dfaMatch, t != dfaGiveUp
				}
			}
			s = t
		}
	} else {
		for i := 0; i < len(line); i++ {
			if s == d.accel {
				j := d.skip(line[i:])
				if j < 0 {
					break
				}
				i += j
			}
			c := line[i]
			t := d.next[int(s)+int(c)]
			if t <= 0 {
				if t = d.special(s, t, c); t <= 0 {
					return t == dfaMatch, t != dfaGiveUp
				}
			}
			s = t
		}
	}
	return d.atEnd(s), true
}

// skip returns the index in b of the first byte of esc, or -1.
func (d *dfa) skip(b []byte) int {
	i := bytes.IndexByte(b, d.esc[0])
	if len(d.esc) > 1 {
		if j := bytes.IndexByte(b, d.esc[1]); j >= 0 && (i < 0 || j < i) {
			i = j
		}
	}
	return i
}

// special is the move t of state s on byte c where the table holds no
// state: built if not known, else the end that t says.
func (d *dfa) special(s, t int32, c byte) int32 {
	if t == dfaUnknown {
		t = d.step(s, c)
	}
	return t
}

// atEnd reports whether state s holds a match at the end of a line.
func (d *dfa) atEnd(s int32) bool {
	if d.end[s>>8] == 0 {
		d.end[s>>8] = 2
		if d.closure(s, true, 0) {
			d.end[s>>8] = 1
		}
	}
	return d.end[s>>8] == 1
}

// step builds the move of state s on byte c.
func (d *dfa) step(s int32, c byte) int32 {
	var t int32
	switch {
	case d.closure(s, false, c):
		t = dfaMatch // whatever follows
	case c >= 0x80:
		t = dfaGiveUp
	case d.anchored && len(d.stack) == 0:
		t = dfaDead
	default:
		t = d.state(d.stack, false, isWord(c))
	}
	d.next[int(s)+int(c)] = t
	return t
}

// closure follows the threads of state s through the program's empty
// moves at the position before byte c (or at the end of the line, atEnd),
// and reports whether one reaches a match. Where none does, it leaves in
// d.stack the threads that byte c moves on, and the start unless anchored.
func (d *dfa) closure(s int32, atEnd bool, c byte) bool {
	key := d.keys[s>>8]
	atStart, prevWord := key[0]&1 != 0, key[0]&2 != 0
	var flags syntax.EmptyOp
	if atStart {
		flags |= syntax.EmptyBeginLine | syntax.EmptyBeginText
	}
	if atEnd {
		flags |= syntax.EmptyEndLine | syntax.EmptyEndText
	}
	if nextWord := !atEnd && isWord(c); prevWord != nextWord {
		flags |= syntax.EmptyWordBoundary
	} else {
		flags |= syntax.EmptyNoWordBoundary
	}
	pcs := d.stack[:0]
	for i := 1; i+4 <= len(key); i += 4 {
		pcs = append(pcs, uint32(key[i])|uint32(key[i+1])<<8|uint32(key[i+2])<<16|uint32(key[i+3])<<24)
	}
	var moved []uint32
	matched := false
	d.walk(pcs, flags, func(in *syntax.Inst) {
		if in.Op == syntax.InstMatch {
			matched = true
		} else if !atEnd && c < 0x80 && in.MatchRune(rune(c)) {
			moved = append(moved, in.Out)
		}
	})
	if !d.anchored {
		moved = append(moved, uint32(d.prog.Start))
	}
	d.stack = moved
	return matched
}

// walk follows the threads pcs (whose slice it uses) through the
// program's empty moves, the assertions that flags hold, and calls f once
// for each instruction it reaches that takes a rune or matches.
func (d *dfa) walk(pcs []uint32, flags syntax.EmptyOp, f func(in *syntax.Inst)) {
	clear(d.seen)
	for work := pcs; len(work) > 0; {
		pc := work[len(work)-1]
		work = work[:len(work)-1]
		if d.seen[pc] {
			continue
		}
		d.seen[pc] = true
		switch in := &d.prog.Inst[pc]; in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			work = append(work, in.Arg, in.Out)
		case syntax.InstCapture, syntax.InstNop:
			work = append(work, in.Out)
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg)&^flags == 0 {
				work = append(work, in.Out)
			}
		case syntax.InstMatch, syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			f(in)
		}
	}
}

// state returns the number of the state of threads pcs (sorted here) in
// the context given, made if new; dfaGiveUp past dfaMaxStates.
func (d *dfa) state(pcs []uint32, atStart, prevWord bool) int32 {
	slices.Sort(pcs)
	pcs = slices.Compact(pcs)
	ctx := byte(0)
	if atStart {
		ctx |= 1
	}
	if prevWord && d.word {
		ctx |= 2
	}
	key := make([]byte, 1, 1+4*len(pcs))
	key[0] = ctx
	for _, pc := range pcs {
		key = append(key, byte(pc), byte(pc>>8), byte(pc>>16), byte(pc>>24))
	}
	if s, ok := d.states[string(key)]; ok {
		return s
	}
	if len(d.keys) > dfaMaxStates {
		return dfaGiveUp
	}
	s := int32(len(d.keys)) << 8
	d.states[string(key)] = s
	d.keys = append(d.keys, string(key))
	d.end = append(d.end, 0)
	d.next = append(d.next, make([]int32, 256)...)
	return s
}

// anchoredAt reports whether every match of re holds op1 or op2 (^ or \A,
// $ or \z) at its start (at = 0) or its end (at = -1).
func anchoredAt(re *syntax.Regexp, op1, op2 syntax.Op, at int) bool {
	switch re.Op {
	case op1, op2:
		return true
	case syntax.OpCapture:
		return anchoredAt(re.Sub[0], op1, op2, at)
	case syntax.OpConcat:
		i := at
		if at < 0 {
			i = len(re.Sub) - 1
		}
		return len(re.Sub) > 0 && anchoredAt(re.Sub[i], op1, op2, at)
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !anchoredAt(sub, op1, op2, at) {
				return false
			}
		}
		return len(re.Sub) > 0
	}
	return false
}

// reversed is re read from right to left: it matches the reverse of what
// re matches, with the anchors of the start and of the end swapped.
func reversed(re *syntax.Regexp) *syntax.Regexp {
	r := *re
	r.Sub = make([]*syntax.Regexp, len(re.Sub))
	for i, sub := range re.Sub {
		r.Sub[i] = reversed(sub)
	}
	switch re.Op {
	case syntax.OpLiteral:
		r.Rune = slices.Clone(re.Rune)
		slices.Reverse(r.Rune)
	case syntax.OpConcat:
		slices.Reverse(r.Sub)
	case syntax.OpBeginLine:
		r.Op = syntax.OpEndLine
	case syntax.OpEndLine:
		r.Op = syntax.OpBeginLine
	case syntax.OpBeginText:
		r.Op = syntax.OpEndText
	case syntax.OpEndText:
		r.Op = syntax.OpBeginText
	}
	return &r
}
