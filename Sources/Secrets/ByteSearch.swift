#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finding bytes in bytes with the C library's vectorized loops: every text of every exchange
/// is searched for every secret, and most hold none.
public enum ByteSearch {
    /// The offset of the first `needle` in `haystack` at or after `start`.
    public static func firstOffset(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let first = needle.first else { return start }
        guard let base = haystack.baseAddress, haystack.count - start >= needle.count else { return nil }
        return needle.withUnsafeBytes { needleBytes in
            var position = start
            let last = haystack.count - needle.count
            while position <= last {
                guard let found = memchr(base + position, Int32(first), last - position + 1) else { return nil }
                let offset = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                if memcmp(found, needleBytes.baseAddress!, needle.count) == 0 { return offset }
                position = offset + 1
            }
            return nil
        }
    }

    public static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { firstOffset(of: needle, in: $0, from: 0) != nil }
    }
}
