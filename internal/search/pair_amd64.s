//go:build !purego

#include "textflag.h"

// The packed-pair filter of Rust's memchr::memmem: compare the bytes at two
// offsets of the needle with a vector each, AND the results, and stop at a
// block of 32 places where some place has both. R8 and R9 point at s[i1:]
// and s[i2:], CX is the block's first place; Y1/X1 hold b1 in every byte,
// Y2/X2 b2.

// AVX_PAIR leaves in y a byte of ones for each place of the block at CX+off
// that has both bytes.
#define AVX_PAIR(off, y) \
	VPCMPEQB off(R8)(CX*1), Y1, y; \
	VPCMPEQB off(R9)(CX*1), Y2, Y4; \
	VPAND y, Y4, y

// SSE_PAIR leaves in AX the mask of the places of the block at CX that have
// both bytes, and sets the flags by it.
#define SSE_PAIR \
	MOVOU (R8)(CX*1), X3; \
	MOVOU (R9)(CX*1), X4; \
	PCMPEQB X1, X3; \
	PCMPEQB X2, X4; \
	PAND X4, X3; \
	MOVOU 16(R8)(CX*1), X5; \
	MOVOU 16(R9)(CX*1), X6; \
	PCMPEQB X1, X5; \
	PCMPEQB X2, X6; \
	PAND X6, X5; \
	PMOVMSKB X3, AX; \
	PMOVMSKB X5, BX; \
	SHLL $16, BX; \
	ORL  BX, AX

// SPLAT copies the low byte of x into its every byte (SSE2).
#define SPLAT(x) \
	PUNPCKLBW x, x; \
	PSHUFLW $0, x, x; \
	PUNPCKLQDQ x, x

// func pairs(s []byte, from, end, i1, i2 int, b1, b2 byte) (at int, mask uint32)
//
// Two blocks per round (the OR of the two tells whether either has a
// place), then one.
TEXT ·pairs(SB), NOSPLIT, $0-76
	MOVQ s_base+0(FP), SI
	MOVQ from+24(FP), CX
	MOVQ end+32(FP), DX
	MOVQ i1+40(FP), R8
	MOVQ i2+48(FP), R9
	LEAQ (SI)(R8*1), R8
	LEAQ (SI)(R9*1), R9
	MOVBLZX b1+56(FP), AX
	MOVQ AX, X1
	MOVBLZX b2+57(FP), AX
	MOVQ AX, X2
	CMPB ·useAVX2(SB), $1
	JNE  sse

	VPBROADCASTB X1, Y1
	VPBROADCASTB X2, Y2
	MOVQ DX, R10
	SUBQ $32, R10           // two blocks fit while at <= R10

avx64:
	CMPQ CX, R10
	JGT  avx32
	AVX_PAIR(0, Y3)
	AVX_PAIR(32, Y5)
	VPOR Y3, Y5, Y6
	VPTEST Y6, Y6
	JNZ  avxfound2
	ADDQ $64, CX
	JMP  avx64

avxfound2:
	VPMOVMSKB Y3, AX
	TESTL AX, AX
	JNZ  avxfound
	ADDQ $32, CX
	VPMOVMSKB Y5, AX
	JMP  avxfound

avx32:
	XORL AX, AX
	CMPQ CX, DX
	JGT  avxfound           // none: at is the next block, the mask 0
	AVX_PAIR(0, Y3)
	VPMOVMSKB Y3, AX
	TESTL AX, AX
	JNZ  avxfound
	ADDQ $32, CX

avxfound:
	VZEROUPPER
	MOVQ CX, at+64(FP)
	MOVL AX, mask+72(FP)
	RET

sse:
	SPLAT(X1)
	SPLAT(X2)

sse32:
	XORL AX, AX
	CMPQ CX, DX
	JGT  ssefound           // none: at is the next block, the mask 0
	SSE_PAIR
	JNZ  ssefound
	ADDQ $32, CX
	JMP  sse32

ssefound:
	MOVQ CX, at+64(FP)
	MOVL AX, mask+72(FP)
	RET

// func pairsBack(s []byte, from, i1, i2 int, b1, b2 byte) (at int, mask uint32)
//
// pairs from the end: the block at from first, then the ones below it.
TEXT ·pairsBack(SB), NOSPLIT, $0-68
	MOVQ s_base+0(FP), SI
	MOVQ from+24(FP), CX
	MOVQ i1+32(FP), R8
	MOVQ i2+40(FP), R9
	LEAQ (SI)(R8*1), R8
	LEAQ (SI)(R9*1), R9
	MOVBLZX b1+48(FP), AX
	MOVQ AX, X1
	MOVBLZX b2+49(FP), AX
	MOVQ AX, X2
	CMPB ·useAVX2(SB), $1
	JNE  bsse

	VPBROADCASTB X1, Y1
	VPBROADCASTB X2, Y2

bavx64:
	CMPQ CX, $32            // the block below starts at or above 0
	JLT  bavx32
	AVX_PAIR(0, Y3)
	AVX_PAIR(-32, Y5)
	VPOR Y3, Y5, Y6
	VPTEST Y6, Y6
	JNZ  bavxfound2
	SUBQ $64, CX
	JMP  bavx64

bavxfound2:
	VPMOVMSKB Y3, AX
	TESTL AX, AX
	JNZ  bavxfound
	SUBQ $32, CX
	VPMOVMSKB Y5, AX
	JMP  bavxfound

bavx32:
	XORL AX, AX
	CMPQ CX, $0
	JLT  bavxfound          // none: at is the block below, the mask 0
	AVX_PAIR(0, Y3)
	VPMOVMSKB Y3, AX
	TESTL AX, AX
	JNZ  bavxfound
	SUBQ $32, CX

bavxfound:
	VZEROUPPER
	MOVQ CX, at+56(FP)
	MOVL AX, mask+64(FP)
	RET

bsse:
	SPLAT(X1)
	SPLAT(X2)

bsse32:
	XORL AX, AX
	CMPQ CX, $0
	JLT  bssefound          // none: at is the block below, the mask 0
	SSE_PAIR
	JNZ  bssefound
	SUBQ $32, CX
	JMP  bsse32

bssefound:
	MOVQ CX, at+56(FP)
	MOVL AX, mask+64(FP)
	RET
