#ifndef BILATERAL_CZLIB_SHIM_H
#define BILATERAL_CZLIB_SHIM_H
#include <zlib.h>

// deflateInit2 and inflateInit2 are macros that pass ZLIB_VERSION and the stream size;
// Swift cannot import function-like macros, so wrap them.
static inline int bilateral_deflate_init2(z_streamp stream, int level, int windowBits, int memLevel) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}

static inline int bilateral_inflate_init2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
#endif
