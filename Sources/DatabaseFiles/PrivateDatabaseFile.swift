import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates OordenSync's SQLite files so that only their owner can read them.
///
/// The engine database, the ledger and the inbox hold customers' names, addresses and orders.
/// SQLite creates a new file with mode 0644 (less the umask), readable by every local user, and
/// gives its `-wal` and `-shm` files the mode of the main file. So the file is created here first,
/// empty and 0600, before SQLite opens it (an empty file is a new database to SQLite), and the
/// directories made for it are 0700. Existing files and directories are left as they are: their
/// owner may have chosen other modes on purpose.
public enum PrivateDatabaseFile {
    /// Mode of the files created: owner read and write.
    public static let fileMode: mode_t = 0o600
    /// Mode of the directories created: owner only.
    public static let directoryMode: mode_t = 0o700

    /// Makes sure `path` can be opened by SQLite without becoming world-readable: creates missing
    /// directories (0700) and, when the file does not exist, an empty file (0600).
    ///
    /// - Throws: ``DatabaseFileError`` naming the directory or file that could not be created.
    public static func prepare(_ path: String, role: DatabaseFileError.Role) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try makeDirectories(directory.isEmpty ? "." : directory, role: role)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        if fd >= 0 {
            // The umask may have removed bits; the mode is set explicitly before anything is written.
            _ = fchmod(fd, fileMode)
            close(fd)
            return
        }
        let code = errno
        if code == EEXIST { return }
        throw openError(code, role: role, path: path)
    }

    /// Creates `directory` and its missing ancestors, each 0700; existing ones are left alone.
    public static func makeDirectories(_ directory: String, role: DatabaseFileError.Role) throws {
        var missing: [String] = []
        var current = directory
        while !current.isEmpty, current != "/", !exists(current) {
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for dir in missing.reversed() {
            if mkdir(dir, directoryMode) != 0, errno != EEXIST {
                throw DatabaseFileError.cannotCreateDirectory(role, directory: dir, detail: String(cString: strerror(errno)))
            }
            _ = chmod(dir, directoryMode)
        }
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func openError(_ code: Int32, role: DatabaseFileError.Role, path: String) -> DatabaseFileError {
        switch code {
        case EROFS, EACCES, EPERM: .readOnly(role, path: path)
        case ENOSPC, EDQUOT: .diskFull(role, path: path)
        default: DatabaseFileError(role: role, path: path, reason: .cannotOpen, detail: String(cString: strerror(code)))
        }
    }
}
