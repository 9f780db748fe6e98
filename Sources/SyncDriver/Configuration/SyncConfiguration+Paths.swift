import Foundation

extension SyncConfiguration {
    /// The engine database, the ledger and the webhook inbox must be three different files.
    ///
    /// Two of them on one file would each run its own migrations in it and the second opener would
    /// fail later with "database is locked" or a schema error; compared here as resolved,
    /// standardized paths (`./a/../b.sqlite` is `b.sqlite`, symbolic links in existing directories
    /// followed), so the mistake is refused when the file is loaded, naming both keys.
    func checkDistinctDatabaseFiles() throws {
        // The ledger is the company's own file, so a clash is reported on the other key.
        let files = [("engine.database", engineDatabase), ("daemon.inbox", daemon.inboxPath), ("ledger.path", ledgerPath)]
        let canonical = files.map { Self.canonicalPath(resolve($0.1)) }
        for i in files.indices {
            for j in files.indices where j > i && canonical[i] == canonical[j] {
                let other = files[j].0 == "daemon.inbox" && daemon.inboxPath == Daemon().inboxPath ? "daemon.inbox (default \(Daemon().inboxPath))" : files[j].0
                throw ConfigurationError(key: files[i].0, message: """
                    names the same file as \(other): \(canonical[i]). The engine database, the Oorden ledger and the \
                    webhook inbox each need their own SQLite file; name another file here
                    """)
            }
        }
    }

    /// `path` standardized, with symbolic links in the part that exists resolved.
    static func canonicalPath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let directory = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: directory.path) else { return url.path }
        return directory.resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent).path
    }
}
