import Foundation
import SyncCore

/// Change sets as gzip-compressed canonical JSON: the export/import file format.
///
/// Reading validates everything — gzip trailer, JSON, format name, version, every row — before
/// returning, so a truncated, corrupt or future-version file is refused with nothing applied.
///
/// ```swift
/// let file = try ChangeSetArchive.encode(try store.changes(since: VersionVector()))
/// let back = try ChangeSetArchive.decode(file)
/// ```
public enum ChangeSetArchive {
    public static func encode(_ changeSet: ChangeSet) throws -> Data {
        try GzipCodec.compress(Data(changeSet.jsonDocument().serialized()))
    }

    public static func decode(_ data: Data) throws -> ChangeSet {
        let raw: Data
        do {
            raw = try GzipCodec.decompress(data)
        } catch let e as SyncStoreError {
            let truncated = e.message.contains("truncated")
            throw ChangeSetError(code: truncated ? .truncated : .corrupt, message: "\(e.message); the file is damaged — export it again")
        }
        let doc: JSONValue
        do {
            doc = try JSONValue.parse(raw)
        } catch {
            throw ChangeSetError(code: .corrupt, message: "the decompressed change set is not JSON (\(error))")
        }
        return try ChangeSet(jsonDocument: doc)
    }

    /// Writes `changeSet` to `path` atomically.
    public static func write(_ changeSet: ChangeSet, to path: String) throws {
        let data = try encode(changeSet)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SyncStoreError(code: .io, message: "cannot write \(path): \(error.localizedDescription)")
        }
    }

    public static func read(from path: String) throws -> ChangeSet {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SyncStoreError(code: .io, message: "cannot read \(path): \(error.localizedDescription)")
        }
        return try decode(data)
    }
}
