/* A stand-in for Windows' bcryptprimitives.dll, which Debian's Wine 8 lacks
 * and every Go >= 1.22 Windows binary needs at start: ProcessPrng, on top of
 * RtlGenRandom (SystemFunction036), which Wine has. Built by .ci/wine.sh. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG n = length > 0x10000000 ? 0x10000000 : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}
