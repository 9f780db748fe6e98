import Foundation
import SyncCore

// 16-byte big-endian BLOBs for ids, built without intermediate arrays: merge makes several per
// field, so this is on the hottest path of an import.
extension EntityID {
    /// The id as the 16-byte big-endian BLOB the store keeps.
    public var blob: Data { Blobs.make(high, low) }
}

extension ReplicaID {
    /// The id as the 16-byte big-endian BLOB the store keeps (SQLite orders BLOBs bytewise, as
    /// ``ReplicaID`` orders itself).
    public var blob: Data { Blobs.make(high, low) }
}

enum Blobs {
    /// A replica id from a 16-byte BLOB; nil for any other length.
    static func replica(_ data: Data) -> ReplicaID? {
        guard data.count == 16 else { return nil }
        return data.withUnsafeBytes { raw in
            ReplicaID(high: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                      low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    static func make(_ high: UInt64, _ low: UInt64) -> Data {
        var pair = (high.bigEndian, low.bigEndian)
        return withUnsafeBytes(of: &pair) { Data($0) }
    }
}
