#ifndef NEXSH_CZLIB_SHIM_H
#define NEXSH_CZLIB_SHIM_H

#include <zlib.h>

/* inflateInit2 is a macro, which Swift cannot call. 15 + 32 lets zlib detect gzip or zlib headers. */
static inline int czlib_inflate_init(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

/* deflateInit2 is a macro too; 15 + 16 writes gzip. Only the tests compress (decompression bombs). */
static inline int czlib_deflate_init(z_stream *stream, int level, int window_bits) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
}

#endif
