import CZlib
import Foundation
import HTTPValues

/// Undoes `Content-Encoding: gzip` and `deflate`, so that cassettes store bodies people can read.
enum Decompression {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// A bound of ``Limits`` was crossed (the data itself may be fine).
        var isLimit = false
    }

    /// How far a body may inflate. A decompression bomb (1 MiB that inflates to 1 GiB) is a
    /// hostile answer, not a reason to run out of memory: inflating stops at the first bound
    /// crossed, so it never holds more than `maximumSize` plus a chunk.
    struct Limits: Sendable {
        /// Bytes out (`--max-body-size`).
        var maximumSize = HTTPResponse.standardMaximumBodySize
        /// Bytes out per byte in, once the output passes `ratioFloor`: JSON inflates 5 to 50
        /// times, a run of zeros a thousand.
        var maximumRatio = 200
        var ratioFloor = 1 << 20
    }

    /// The encodings this module can undo. `br` and others are kept as they are (base64).
    static func canDecode(_ contentEncoding: String) -> Bool {
        ["gzip", "x-gzip", "deflate"].contains(contentEncoding.lowercased())
    }

    /// Inflates gzip, zlib or raw deflate data, refusing to produce more than `limits` allow.
    static func inflate(_ data: Data, limits: Limits = Limits()) throws -> Data {
        do {
            return try run(data, windowBits: 15 + 32, limits: limits)
        } catch let failure as Failure where !failure.isLimit {
            // Some servers send raw deflate (no zlib header) for `Content-Encoding: deflate`.
            return try run(data, windowBits: -15, limits: limits)
        }
    }

    private static func run(_ data: Data, windowBits: Int32, limits: Limits) throws -> Data {
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
                if output.count > limits.maximumSize {
                    throw Failure(description: "it inflates beyond the \(limits.maximumSize.byteCountDescription) limit", isLimit: true)
                }
                if output.count > limits.ratioFloor, output.count / max(inputBuffer.count, 1) > limits.maximumRatio {
                    throw Failure(description: "it inflates more than \(limits.maximumRatio) times its \(inputBuffer.count.byteCountDescription)", isLimit: true)
                }
            } while status != Z_STREAM_END && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        guard status == Z_STREAM_END else { throw Failure(description: "the compressed body is truncated") }
        return output
    }
}
