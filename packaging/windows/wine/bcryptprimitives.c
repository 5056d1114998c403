/*
 * bcryptprimitives.c: a stand-in for Windows' bcryptprimitives.dll, for the
 * Wine test only (packaging/windows/wine/test.sh). It never ships and is
 * never part of the Windows program.
 *
 * Why it exists: since Go 1.22 the runtime of every Windows program draws
 * its random bytes from ProcessPrng in bcryptprimitives.dll, which Windows
 * has had since Windows 8. Wine 8 (Debian 12's) has no such DLL, so every
 * Go 1.26 program dies at start ("bcryptprimitives.dll not found") before
 * any of softtoken's code runs. Later Wine versions have it.
 *
 * ProcessPrng fills the buffer from advapi32's RtlGenRandom
 * (SystemFunction036), which Wine implements over the host's random
 * source. The test copies the built DLL into the prefix's system32 and
 * loads it with WINEDLLOVERRIDES=bcryptprimitives=n.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	/* RtlGenRandom takes a ULONG: fill larger requests in chunks. */
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
