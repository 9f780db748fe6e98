import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One OordenSync process at a time works on an engine database.
///
/// Two passes over the same engine (two `sync --once` from cron, or `sync --once` beside `run`)
/// would otherwise meet in SQLite as `database is locked` halfway through. The lock is an `flock`
/// on `<engine database>.lock`, a file holding the holder's pid: the kernel releases it when the
/// holder exits, however it exits, so a crashed process never blocks the next one. Hold the
/// returned value for as long as the engine is used.
///
/// ```swift
/// let lock = try EngineLock.acquire(enginePath: "/srv/oorden/oorden-sync.sqlite")
/// defer { withExtendedLifetime(lock) {} }
/// ```
public final class EngineLock: Sendable {
    /// The lock file (`<engine database>.lock`).
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The lock file of an engine database.
    public static func lockPath(forEngine enginePath: String) -> String { enginePath + ".lock" }

    /// Takes the lock of the engine database at `enginePath` without waiting.
    ///
    /// - Throws: ``EngineLockedError`` naming the holder's pid and the lock file when another process
    ///   holds it; ``DatabaseFileError`` when the lock file cannot be created.
    public static func acquire(enginePath: String) throws -> EngineLock {
        let path = lockPath(forEngine: enginePath)
        try PrivateDatabaseFile.makeDirectories((path as NSString).deletingLastPathComponent, role: .engine)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, PrivateDatabaseFile.fileMode)
        guard fd >= 0 else { throw PrivateDatabaseFile.openError(errno, role: .engine, path: path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = readPID(fd)
            close(fd)
            throw EngineLockedError(enginePath: enginePath, lockPath: path, holderPID: holder)
        }
        let text = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        return EngineLock(path: path, descriptor: fd)
    }

    static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Another process holds the engine: which one, and what to do.
public struct EngineLockedError: Error, Sendable, Hashable, CustomStringConvertible {
    public let enginePath: String
    public let lockPath: String
    /// The pid written in the lock file, when it could be read.
    public let holderPID: Int32?

    public var description: String {
        let holder = holderPID.map { "pid \($0)" } ?? "a process whose pid the lock file does not show"
        return "another oorden-sync (\(holder)) holds the engine database \(enginePath) (lock file \(lockPath)). "
            + "Only one `sync --once` or `run` may use an engine at a time: wait for that sync to finish, or stop that daemon"
            + (holderPID.map { " (kill -TERM \($0))" } ?? "") + ", then run this again. A holder that crashed releases the lock by itself."
    }
}
