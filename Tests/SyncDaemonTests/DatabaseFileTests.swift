import DatabaseFiles
import Foundation
import Logging
import OordenLedger
import SyncCore
import SyncDaemon
import SyncEngine
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The three SQLite files the CLI opens — engine, ledger, inbox — when the file is not what it
/// should be (issue #16 item 7), and how private the files are when created (item 14).
@Suite struct DatabaseFileTests {
    /// One way of opening a database file, as the CLI does it.
    struct Opener: CustomStringConvertible {
        var description: String
        var open: @Sendable (String) throws -> Void
    }

    static let openers: [Opener] = [
        Opener(description: "engine") { path in
            _ = try SyncEngine.open(path: path, clock: SystemWallClock(), seed: 1, logger: Logger(label: "test"))
        },
        Opener(description: "ledger") { path in _ = try OordenLedger(path: path, clock: SystemWallClock()) },
        Opener(description: "inbox") { path in _ = try WebhookInbox(path: path) },
    ]

    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-dbfile-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The error `open` throws for `path`, as the user reads it; fails the test when it opens.
    static func message(_ opener: Opener, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            try opener.open(path)
            Issue.record("\(opener) opened \(path), but it should have been refused", sourceLocation: sourceLocation)
            return ""
        } catch {
            return "\(error)"
        }
    }

    /// Every message names the file, never the bare `SQLite error N`, and says what to do.
    static func expectUseful(_ text: String, path: String, saying words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(text.contains(path), "the message names the file: \(text)", sourceLocation: sourceLocation)
        #expect(!text.contains("SQLite error"), "no raw SQLite error code: \(text)", sourceLocation: sourceLocation)
        for word in words {
            #expect(text.contains(word), "the message says \"\(word)\": \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: openers) func aFileThatIsNotADatabase(_ opener: Opener) throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("notes.sqlite").path
        try Data(String(repeating: "these are my notes, not a database\n", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        Self.expectUseful(Self.message(opener, path), path: path, saying: ["is not an SQLite database"])
    }

    @Test(arguments: openers) func aDatabaseOverwrittenWithGarbageOrTruncated(_ opener: Opener) throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let garbage = dir.appendingPathComponent("garbage.sqlite").path
        try opener.open(garbage)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: garbage))
        var rng = SeededRandom(seed: 7)
        for i in 0..<min(bytes.count, 200) { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
        try bytes.write(to: URL(fileURLWithPath: garbage))
        Self.expectUseful(Self.message(opener, garbage), path: garbage, saying: ["backup"])

        let truncated = dir.appendingPathComponent("truncated.sqlite").path
        try opener.open(truncated)
        let whole = try Data(contentsOf: URL(fileURLWithPath: truncated))
        try whole.prefix(60).write(to: URL(fileURLWithPath: truncated))
        Self.expectUseful(Self.message(opener, truncated), path: truncated, saying: ["backup"])
    }

    @Test(arguments: openers) func aReadOnlyFile(_ opener: Opener) throws {
        let dir = try Self.directory()
        let path = dir.appendingPathComponent("readonly.sqlite").path
        try opener.open(path)
        // Root ignores permission bits, so the test makes the file immutable instead.
        let root = geteuid() == 0
        if root {
            guard Self.chattr("+i", path) else {
                try? FileManager.default.removeItem(at: dir)
                return  // No way to make a file read-only for root here (no chattr); the mapping test covers it.
            }
        } else {
            chmod(path, 0o444)
        }
        defer {
            if root { _ = Self.chattr("-i", path) }
            try? FileManager.default.removeItem(at: dir)
        }
        Self.expectUseful(Self.message(opener, path), path: path, saying: ["read-only"])
    }

    @Test(arguments: openers) func aDirectoryThatCannotBeCreated(_ opener: Opener) throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let blocker = dir.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        let path = blocker.appendingPathComponent("data/db.sqlite").path
        Self.expectUseful(Self.message(opener, path), path: blocker.appendingPathComponent("data").path, saying: ["cannot create the directory"])
    }

    /// The one mapping the three files share, for the failures a test cannot provoke (a full disk).
    @Test func everySQLiteFailureHasWordsAndAnAction() {
        let cases: [(Int32, DatabaseFileError.Reason, String)] = [
            (26, .notADatabase, "restore it from a backup"), (11, .damaged, "restore the file from a backup"),
            (8, .readOnly, "write permission"), (13, .diskFull, "Free some space"), (14, .cannotOpen, "directory exists"),
            (5, .locked, "another process"), (10 | (12 << 8), .ioError, "Check the disk"), (1, .other, "cannot use"),
        ]
        for (code, reason, action) in cases {
            #expect(DatabaseFileError.reason(forResultCode: code) == reason, "code \(code)")
            let text = DatabaseFileError(role: .engine, path: "/srv/oorden/oorden-sync.sqlite", reason: reason).description
            #expect(text.contains("/srv/oorden/oorden-sync.sqlite") && text.contains("engine.database") && text.contains(action), "\(text)")
        }
        #expect(DatabaseFileError.diskFull(.inbox, path: "/i.sqlite").description.contains("daemon.inbox"))
        #expect(DatabaseFileError.readOnly(.ledger, path: "/l.sqlite").description.contains("ledger.path"))
    }

    // MARK: Privacy (item 14)

    @Test(arguments: openers) func newFilesAreReadableOnlyByTheirOwner(_ opener: Opener) throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let parent = dir.appendingPathComponent("new/private", isDirectory: true)
        let path = parent.appendingPathComponent("db.sqlite").path
        // Keep a connection open so the -wal and -shm files exist while they are checked.
        let keep = try Self.openKeeping(opener.description, path)
        defer { withExtendedLifetime(keep) {} }
        for file in [path, path + "-wal", path + "-shm"] {
            #expect(Self.mode(file) == 0o600, "\(opener) \(file) is \(String(Self.mode(file) ?? 0, radix: 8))")
        }
        for folder in [parent.path, dir.appendingPathComponent("new").path] {
            #expect(Self.mode(folder) == 0o700, "\(opener) \(folder) is \(String(Self.mode(folder) ?? 0, radix: 8))")
        }
    }

    static func openKeeping(_ kind: String, _ path: String) throws -> AnyObject {
        switch kind {
        case "engine":
            let engine = try SyncEngine.open(path: path, clock: SystemWallClock(), seed: 1, logger: Logger(label: "test"))
            try engine.connect(link: "tienda", kind: .shopify)
            return engine
        case "ledger":
            let ledger = try OordenLedger(path: path, clock: SystemWallClock())
            _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN")
            return ledger
        default:
            let inbox = try WebhookInbox(path: path)
            try inbox.store(store: "tienda", kind: .shopify, deliveryID: "1", topic: "customers/update", receivedAt: 1, triggeredAt: nil, body: Data("{}".utf8))
            return inbox
        }
    }

    static func mode(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_mode) & 0o777
    }

    static func chattr(_ flag: String, _ path: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        process.arguments = [flag, path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
