import CZlib
import Foundation

/// Undoes `Content-Encoding: gzip` and `deflate`, so that cassettes store bodies people can read.
enum Decompression {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The encodings this module can undo. `br` and others are kept as they are (base64).
    static func canDecode(_ contentEncoding: String) -> Bool {
        ["gzip", "x-gzip", "deflate"].contains(contentEncoding.lowercased())
    }

    /// Inflates gzip, zlib or raw deflate data, refusing to produce more than `limit` bytes
    /// (a decompression bomb is a hostile answer, not a reason to run out of memory).
    static func inflate(_ data: Data, limit: Int = 1 << 30) throws -> Data {
        if let result = try? run(data, windowBits: 15 + 32, limit: limit) { return result }
        // Some servers send raw deflate (no zlib header) for `Content-Encoding: deflate`.
        return try run(data, windowBits: -15, limit: limit)
    }

    private static func run(_ data: Data, windowBits: Int32, limit: Int) throws -> Data {
        var stream = z_stream()
        guard czlib_inflate_init(&stream, windowBits) == Z_OK else {
            throw Failure(description: "zlib could not start")
        }
        defer { inflateEnd(&stream) }

        var output = Data()
        let chunkSize = 64 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var input = [UInt8](data)
        var status: Int32 = Z_OK
        try input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            repeat {
                try chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkSize)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END else {
                        throw Failure(description: "the compressed body is corrupt (zlib status \(status))")
                    }
                    output.append(chunkBuffer.baseAddress!, count: chunkSize - Int(stream.avail_out))
                }
                guard output.count <= limit else {
                    throw Failure(description: "the body inflates to more than \(limit) bytes")
                }
            } while status != Z_STREAM_END && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        guard status == Z_STREAM_END else { throw Failure(description: "the compressed body is truncated") }
        return output
    }
}
