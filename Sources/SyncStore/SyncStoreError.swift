/// An error of the SQLite CRDT store: a code and a message that says what to do.
public struct SyncStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The database belongs to another replica or was written by a newer build.
        case incompatibleDatabase
        /// A change contradicts stored state (e.g. an entity's kind changed).
        case conflictingChange
        /// Compressed input could not be read.
        case compression
        /// A file could not be read or written.
        case io
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "sync store \(code.rawValue): \(message)" }
}
