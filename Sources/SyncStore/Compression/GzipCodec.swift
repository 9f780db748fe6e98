import CZlib
import Foundation

/// gzip compression through the system zlib.
///
/// Change-set files and the daemon's inbox are gzip (RFC 1952): zlib checks the CRC-32 and length
/// in the trailer, so a truncated or corrupted file is an error, never a silently short result.
///
/// ```swift
/// let packed = try GzipCodec.compress(Data("hola".utf8))
/// try GzipCodec.decompress(packed)   // "hola"
/// ```
public enum GzipCodec {
    /// The largest output ``decompress(_:maxOutput:)`` produces by default (1 GiB): a guard
    /// against decompression bombs.
    public static let defaultMaxOutput = 1 << 30

    /// Compresses `data` into the gzip format.
    public static func compress(_ data: Data, level: Int32 = 6) throws -> Data {
        var stream = z_stream()
        // windowBits 15 + 16 selects the gzip wrapper.
        var status = oorden_deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
        guard status == Z_OK else { throw error("deflateInit2 failed (\(status))") }
        defer { deflateEnd(&stream) }
        var output = Data()
        let chunk = 64 * 1024
        var buffer = [UInt8](repeating: 0, count: chunk)
        var input = [UInt8](data)
        try input.withUnsafeMutableBufferPointer { inPtr in
            stream.next_in = inPtr.baseAddress
            stream.avail_in = uInt(inPtr.count)
            repeat {
                try buffer.withUnsafeMutableBufferPointer { outPtr in
                    stream.next_out = outPtr.baseAddress
                    stream.avail_out = uInt(chunk)
                    status = deflate(&stream, Z_FINISH)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw error("deflate failed (\(status))")
                    }
                    output.append(outPtr.baseAddress!, count: chunk - Int(stream.avail_out))
                }
            } while status != Z_STREAM_END
        }
        return output
    }

    /// Decompresses gzip data, verifying its trailer. Throws for truncated, corrupt or oversized input.
    public static func decompress(_ data: Data, maxOutput: Int = defaultMaxOutput) throws -> Data {
        guard data.count >= 18, data[data.startIndex] == 0x1F, data[data.startIndex + 1] == 0x8B else {
            throw error("not gzip data (missing the 1f 8b header)")
        }
        var stream = z_stream()
        var status = oorden_inflateInit2(&stream, 15 + 16)
        guard status == Z_OK else { throw error("inflateInit2 failed (\(status))") }
        defer { inflateEnd(&stream) }
        var output = Data()
        let chunk = 64 * 1024
        var buffer = [UInt8](repeating: 0, count: chunk)
        var input = [UInt8](data)
        try input.withUnsafeMutableBufferPointer { inPtr in
            stream.next_in = inPtr.baseAddress
            stream.avail_in = uInt(inPtr.count)
            repeat {
                try buffer.withUnsafeMutableBufferPointer { outPtr in
                    stream.next_out = outPtr.baseAddress
                    stream.avail_out = uInt(chunk)
                    status = inflate(&stream, Z_NO_FLUSH)
                    switch status {
                    case Z_OK, Z_STREAM_END:
                        break
                    case Z_BUF_ERROR:
                        // No progress possible: the input ended before the stream did.
                        throw error("truncated gzip data (the stream ends early)")
                    case Z_DATA_ERROR:
                        throw error("corrupt gzip data (\(stream.msg.map { String(cString: $0) } ?? "data error"))")
                    default:
                        throw error("inflate failed (\(status))")
                    }
                    output.append(outPtr.baseAddress!, count: chunk - Int(stream.avail_out))
                    if output.count > maxOutput {
                        throw error("decompressed size exceeds \(maxOutput) bytes")
                    }
                }
            } while status != Z_STREAM_END
        }
        guard stream.avail_in == 0 else {
            throw error("trailing bytes after the gzip stream")
        }
        return output
    }

    static func error(_ message: String) -> SyncStoreError {
        SyncStoreError(code: .compression, message: message)
    }
}
