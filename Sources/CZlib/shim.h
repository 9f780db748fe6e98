#ifndef OORDEN_CZLIB_SHIM_H
#define OORDEN_CZLIB_SHIM_H
#include <zlib.h>

// deflateInit2 and inflateInit2 are macros, which Swift cannot call; these wrappers can be.
static inline int oorden_deflateInit2(z_streamp strm, int level, int method, int windowBits,
                                      int memLevel, int strategy) {
    return deflateInit2(strm, level, method, windowBits, memLevel, strategy);
}

static inline int oorden_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
#endif
