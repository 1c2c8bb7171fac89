#ifndef NEXSH_CZLIB_SHIM_H
#define NEXSH_CZLIB_SHIM_H

#include <zlib.h>

/* inflateInit2 is a macro, which Swift cannot call. 15 + 32 lets zlib detect gzip or zlib headers. */
static inline int czlib_inflate_init(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

#endif
