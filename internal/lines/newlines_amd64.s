//go:build !purego

#include "textflag.h"

// func newlines(data []byte, pos int, ends []int) (n, next int)
//
// Compare 64 bytes at a time with '\n' (AVX2), then 32 (SSE2, every amd64),
// and store the offset past each match, taking the bits of the comparison
// lowest first so that the ends come out in order. The last bytes, fewer
// than 32, are left to the caller.
//
// Lines are mostly longer than 32 bytes, so a block of 64 holds at most two
// ends, and usually one or none: the AVX2 loop stores two ends whatever the
// count of matches (TZCNT of no bits is 64: a store that the next one
// overwrites) and advances by the count (POPCNT), without a branch per line.
// Blocks with more matches, or too near the end of ends for two stores,
// take the bits one at a time.
TEXT ·newlines(SB), NOSPLIT, $0-72
	MOVQ data_base+0(FP), SI
	MOVQ data_len+8(FP), DX
	MOVQ pos+24(FP), CX
	MOVQ ends_base+32(FP), DI
	MOVQ ends_len+40(FP), R8
	XORQ AX, AX
	MOVQ $0x0a0a0a0a0a0a0a0a, R9
	MOVQ R9, X1
	PUNPCKLQDQ X1, X1

	MOVQ DX, R12
	SUBQ $64, R12       // a block of 64 starts at or before R12
	CMPB ·useAVX2(SB), $1
	JNE  sse
	VPBROADCASTB X1, Y1
	MOVQ R8, R15
	SUBQ $3, R15        // two stores fit, and ends stays not full, while n <= R15

loop64:
	CMPQ CX, R12
	JGT  avxdone
	VPCMPEQB (SI)(CX*1), Y1, Y2
	VPCMPEQB 32(SI)(CX*1), Y1, Y3
	VPMOVMSKB Y2, BX
	VPMOVMSKB Y3, R13
	SHLQ $32, R13
	ORQ  R13, BX
	POPCNTQ BX, R14
	CMPQ R14, $2
	JGT  slow64
	CMPQ AX, R15
	JGT  slow64
	TZCNTQ BX, R9
	LEAQ 1(CX)(R9*1), R10
	MOVQ R10, (DI)(AX*8)
	BLSRQ BX, BX
	TZCNTQ BX, R9
	LEAQ 1(CX)(R9*1), R10
	MOVQ R10, 8(DI)(AX*8)
	ADDQ R14, AX
	ADDQ $64, CX
	JMP  loop64

slow64:
	TESTQ BX, BX
	JZ   next64

bits64:
	TZCNTQ BX, R9
	LEAQ 1(CX)(R9*1), R10
	MOVQ R10, (DI)(AX*8)
	INCQ AX
	CMPQ AX, R8
	JEQ  avxfull
	BLSRQ BX, BX
	JNZ  bits64

next64:
	ADDQ $64, CX
	JMP  loop64

avxfull:
	VZEROUPPER
	JMP full

avxdone:
	VZEROUPPER

sse:
	ADDQ $32, R12       // a block of 32 starts at or before R12

loop32:
	CMPQ CX, R12
	JGT  done
	MOVOU (SI)(CX*1), X0
	MOVOU 16(SI)(CX*1), X2
	PCMPEQB X1, X0
	PCMPEQB X1, X2
	PMOVMSKB X0, BX
	PMOVMSKB X2, R13
	SHLQ $16, R13
	ORQ  R13, BX
	JZ   next32

bits32:
	BSFQ BX, R9
	LEAQ 1(CX)(R9*1), R10
	MOVQ R10, (DI)(AX*8)
	INCQ AX
	CMPQ AX, R8
	JEQ  full
	LEAQ -1(BX), R11
	ANDQ R11, BX
	JNZ  bits32

next32:
	ADDQ $32, CX
	JMP  loop32

done:
	MOVQ AX, n+56(FP)
	MOVQ CX, next+64(FP)
	RET

full:
	MOVQ AX, n+56(FP)
	MOVQ R10, next+64(FP)
	RET
