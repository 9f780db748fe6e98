import CZlib
import Foundation

/// zlib (RFC 1950) compression of inbox bodies, through the system zlib.
///
/// The inbox keeps the original length next to each compressed body, so decompression allocates
/// exactly once and a body that does not inflate to that length is reported as corrupt.
public enum InboxCodec {
    /// `data` deflated at `level` (0–9).
    public static func compress(_ data: Data, level: Int32 = 6) throws -> Data {
        var bound = compressBound(uLong(data.count))
        var out = Data(count: Int(bound))
        let status = out.withUnsafeMutableBytes { dst in
            data.withUnsafeBytes { src in
                compress2(dst.bindMemory(to: Bytef.self).baseAddress, &bound,
                          src.bindMemory(to: Bytef.self).baseAddress, uLong(data.count), level)
            }
        }
        guard status == Z_OK else {
            throw DaemonError(code: .corruptDelivery, message: "zlib could not compress a \(data.count)-byte body (status \(status)); check free memory")
        }
        out.count = Int(bound)
        return out
    }

    /// Inflates `data`, which must decompress to exactly `originalSize` bytes.
    public static func decompress(_ data: Data, originalSize: Int) throws -> Data {
        var size = uLong(originalSize)
        var out = Data(count: max(originalSize, 1))
        let status = out.withUnsafeMutableBytes { dst in
            data.withUnsafeBytes { src in
                uncompress(dst.bindMemory(to: Bytef.self).baseAddress, &size,
                           src.bindMemory(to: Bytef.self).baseAddress, uLong(data.count))
            }
        }
        guard status == Z_OK, Int(size) == originalSize else {
            throw DaemonError(code: .corruptDelivery,
                              message: "a stored webhook body does not inflate to its recorded \(originalSize) bytes (zlib status \(status)); the inbox file is damaged — the reconciliation pass still syncs the store")
        }
        out.count = originalSize
        return out
    }
}
