/* A stand-in for Windows' bcryptprimitives.dll, for running certkit under Wine 8 only.
 *
 * Rust's standard library (1.78 and later) and the getrandom crate take random bytes from
 * ProcessPrng, exported by bcryptprimitives.dll on Windows 10 and later. Wine 8.0 (Debian 12's
 * wine64) has no such DLL, so a Rust program built for Windows does not start under it
 * (status c0000135, "bcryptprimitives.dll not found"). This file gives Wine that one export,
 * answered by BCryptGenRandom with the system's preferred generator, which Wine implements.
 * It is built and installed into the test's Wine prefix by scripts/build-windows.sh; it is
 * never shipped: real Windows has the DLL. See docs/windows.md.
 */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
