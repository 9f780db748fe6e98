import Foundation

/// Why an emulator snapshot could not be restored; the emulator is left exactly as it was.
///
/// `code` is one of `snapshot_unreadable` (not JSON, truncated, a field missing or of the wrong
/// type), `snapshot_foreign` (another store kind or an unknown format version) and
/// `snapshot_inconsistent` (the records contradict the id counters).
public struct EmulatorSnapshotError: Error, Sendable, Hashable, CustomStringConvertible {
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "emulator snapshot \(code): \(message)" }

    static func unreadable(_ kind: String, _ error: any Error) -> EmulatorSnapshotError {
        EmulatorSnapshotError(code: "snapshot_unreadable",
                              message: "the data is not a readable \(kind) emulator snapshot (\(error)); restore a file written by snapshot(), or delete it to start from a fresh seed")
    }

    static func foreign(expected: String, found: String, version: Int) -> EmulatorSnapshotError {
        EmulatorSnapshotError(code: "snapshot_foreign",
                              message: "the snapshot is of a \(found) emulator, format \(version); this is a \(expected) emulator reading format \(EmulatorSnapshotHeader.currentVersion); restore it into the matching emulator")
    }

    static func inconsistent(_ kind: String, _ detail: String) -> EmulatorSnapshotError {
        EmulatorSnapshotError(code: "snapshot_inconsistent",
                              message: "the \(kind) snapshot contradicts itself: \(detail); the file is damaged, delete it to start from a fresh seed")
    }
}

/// The fields every emulator snapshot starts with: which emulator wrote it, in which format.
struct EmulatorSnapshotHeader: Codable, Sendable, Hashable {
    static let currentVersion = 1

    var emulator: String
    var version: Int

    /// Reads the header and checks it names `kind` and the current version.
    static func check(_ data: Data, kind: String) throws {
        let header: EmulatorSnapshotHeader
        do {
            header = try JSONDecoder().decode(EmulatorSnapshotHeader.self, from: data)
        } catch {
            throw EmulatorSnapshotError.unreadable(kind, error)
        }
        guard header.emulator == kind, header.version == currentVersion else {
            throw EmulatorSnapshotError.foreign(expected: kind, found: header.emulator, version: header.version)
        }
    }
}

/// Encoding and decoding shared by the emulators' snapshots: canonical JSON (sorted keys).
enum EmulatorSnapshotCoding {
    static func encode<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return try encoder.encode(value)
        } catch {
            // Every snapshot field is a plain value (strings, integers, exact decimals, arrays,
            // dictionaries): encoding cannot fail.
            preconditionFailure("emulator snapshot encoding failed: \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data, kind: String) throws -> T {
        try EmulatorSnapshotHeader.check(data, kind: kind)
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw EmulatorSnapshotError.unreadable(kind, error)
        }
    }
}
