import Foundation
import GRDB
import GRDBSQLite

/// Why one of OordenSync's SQLite files cannot be used, said so a person can act on it.
///
/// GRDB reports a failure as `SQLite error 26: file is not a database`, which names neither the
/// file nor what to do. The engine database, the Oorden ledger and the webhook inbox all map their
/// opening failures through ``from(_:role:path:)`` so the three say the same thing the same way:
/// which file (and which configuration key names it), what the failure means, and what to do.
///
/// ```swift
/// do { queue = try DatabaseQueue(path: path) } catch { throw DatabaseFileError.from(error, role: .ledger, path: path) }
/// ```
public struct DatabaseFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which of OordenSync's files it is, and the configuration key that names it.
    public enum Role: String, Sendable, Hashable, CaseIterable {
        case engine, ledger, inbox

        /// How the message refers to the file.
        public var title: String {
            switch self {
            case .engine: "the engine database (engine.database)"
            case .ledger: "the Oorden ledger (ledger.path)"
            case .inbox: "the webhook inbox (daemon.inbox)"
            }
        }
    }

    /// What went wrong, independent of SQLite's numbering.
    public enum Reason: String, Sendable, Hashable {
        case notADatabase = "not_a_database"
        case damaged
        case readOnly = "read_only"
        case diskFull = "disk_full"
        case cannotOpen = "cannot_open"
        case cannotCreateDirectory = "cannot_create_directory"
        case locked
        case ioError = "io_error"
        case other
    }

    public let role: Role
    /// The file (or, for ``Reason/cannotCreateDirectory``, the directory) concerned.
    public let path: String
    public let reason: Reason
    /// SQLite's or the system's own words, kept for the curious (never a secret: these are file errors).
    public let detail: String?

    public init(role: Role, path: String, reason: Reason, detail: String? = nil) {
        self.role = role
        self.path = path
        self.reason = reason
        self.detail = detail
    }

    public var description: String {
        let what = "\(role.title) \(path)"
        let text: String
        switch reason {
        case .notADatabase:
            text = "\(what) is not an SQLite database. Check that the key names the right file; if it is the right one, it was overwritten: restore it from a backup"
        case .damaged:
            text = "\(what) is damaged (the database image is malformed or truncated). Stop oorden-sync and restore the file from a backup; do not delete its -wal file"
        case .readOnly:
            text = "\(what) is read-only. Give the user running oorden-sync write permission on the file and its directory (SQLite writes -wal and -shm files next to it)"
        case .diskFull:
            text = "the disk holding \(what) is full. Free some space and run again; the failed change was not written"
        case .cannotOpen:
            text = "cannot open \(what). Check that its directory exists and that the user running oorden-sync may read and write there"
        case .cannotCreateDirectory:
            text = "cannot create the directory \(path) for \(role.title). Create it yourself or point the key at a directory that exists"
        case .locked:
            text = "\(what) is locked by another process. Another oorden-sync may be using it; wait for it to finish or stop it, then run again"
        case .ioError:
            text = "the disk failed while reading or writing \(what). Check the disk and the file system (dmesg), then run again"
        case .other:
            text = "cannot use \(what)"
        }
        return detail.map { "\(text) (\($0))" } ?? text
    }

    // MARK: Factories

    public static func notADatabase(_ role: Role, path: String) -> DatabaseFileError { DatabaseFileError(role: role, path: path, reason: .notADatabase) }
    public static func damaged(_ role: Role, path: String) -> DatabaseFileError { DatabaseFileError(role: role, path: path, reason: .damaged) }
    public static func readOnly(_ role: Role, path: String) -> DatabaseFileError { DatabaseFileError(role: role, path: path, reason: .readOnly) }
    public static func diskFull(_ role: Role, path: String) -> DatabaseFileError { DatabaseFileError(role: role, path: path, reason: .diskFull) }
    public static func cannotOpen(_ role: Role, path: String) -> DatabaseFileError { DatabaseFileError(role: role, path: path, reason: .cannotOpen) }

    public static func cannotCreateDirectory(_ role: Role, directory: String, detail: String?) -> DatabaseFileError {
        DatabaseFileError(role: role, path: directory, reason: .cannotCreateDirectory, detail: detail)
    }

    /// The reason an SQLite primary result code stands for (`SQLITE_NOTADB` → ``Reason/notADatabase``).
    public static func reason(forResultCode code: Int32) -> Reason {
        switch code & 0xFF {
        case 26: .notADatabase          // SQLITE_NOTADB
        case 11: .damaged               // SQLITE_CORRUPT
        case 8, 3, 23: .readOnly        // SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH
        case 13: .diskFull              // SQLITE_FULL
        case 14: .cannotOpen            // SQLITE_CANTOPEN
        case 5, 6: .locked              // SQLITE_BUSY, SQLITE_LOCKED
        case 10: .ioError               // SQLITE_IOERR
        default: .other
        }
    }

    /// `error` as a ``DatabaseFileError`` when it is an SQLite failure; any other error unchanged.
    ///
    /// An error that already is a ``DatabaseFileError`` passes through, so nested openers can map freely.
    public static func from(_ error: any Error, role: Role, path: String) -> any Error {
        if error is DatabaseFileError { return error }
        guard let sqlite = error as? DatabaseError else { return error }
        let reason = reason(forResultCode: sqlite.resultCode.primaryResultCode.rawValue)
        // SQLite's sentence adds nothing to the known reasons; for the others it is all there is.
        let detail = reason == .other ? "SQLite says: \(sqlite.message ?? "result code \(sqlite.resultCode.rawValue)")" : nil
        return DatabaseFileError(role: role, path: path, reason: reason, detail: detail)
    }
}

extension DatabaseFileError {
    /// Refuses a database SQLite could open only for reading.
    ///
    /// SQLite quietly falls back to read-only when it cannot write the file (permissions, an
    /// immutable file, a read-only mount), and an already-migrated database then opens without
    /// complaint, only to fail at the first write — mid-pass — with `SQLite error 8`. OordenSync's
    /// files are always written, so the fallback is refused when the file is opened.
    public static func requireWritable(_ writer: any DatabaseWriter, role: Role, path: String) throws {
        let readOnly = try writer.writeWithoutTransaction { db in sqlite3_db_readonly(db.sqliteConnection, "main") == 1 }
        if readOnly { throw DatabaseFileError.readOnly(role, path: path) }
    }
}
