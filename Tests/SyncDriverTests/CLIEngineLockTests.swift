import ChildProcessSupport
import Foundation
import OordenLedger
import SyncCore
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One process at a time holds the engine (issue #16 item 6): a second `sync --once`, or a
/// `sync --once` beside `run`, says who holds it instead of failing later with "database is locked".
@Suite(.serialized) struct CLIEngineLockTests {
    /// A directory with a company ledger and a configuration of no stores (a pass takes milliseconds).
    static func setUp() throws -> (dir: URL, config: String) {
        let dir = try CLI.temporaryDirectory()
        let ledger = try OordenLedger(path: dir.appendingPathComponent("ledger.sqlite").path, clock: SystemWallClock())
        _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN")
        let config = dir.appendingPathComponent("oorden-sync.json").path
        let doc: JSONValue = ["engine": ["database": "engine.sqlite"], "ledger": ["path": "ledger.sqlite"],
                              "daemon": ["listen_port": 0], "stores": []]
        try doc.jsonData.write(to: URL(fileURLWithPath: config))
        return (dir, config)
    }

    @Test func aSecondSyncSaysWhichProcessHoldsTheEngine() async throws {
        let cli = try CLI.locate()
        let (dir, config) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try await cli.succeed(["sync", "--config", config, "--once"])

        // Hold the lock as a running `sync --once` would: flock on the lock file, our pid in it.
        let lockPath = dir.appendingPathComponent("engine.sqlite.lock").path
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o600)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }

        let blocked = try await cli.run(["sync", "--config", config, "--once"])
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("pid \(getpid())"), "names the holder: \(blocked.stderr)")
        #expect(blocked.stderr.contains(lockPath), "names the lock file: \(blocked.stderr)")
        #expect(!blocked.stderr.contains("SQLite error"), "\(blocked.stderr)")

        // Released (as when the holder exits or crashes), the next sync runs.
        close(fd)
        _ = try await cli.succeed(["sync", "--config", config, "--once"])
    }

    @Test func syncOnceBesideTheDaemonSaysTheDaemonHoldsTheEngine() async throws {
        let cli = try CLI.locate()
        let (dir, config) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("run.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let daemon = Process()
        daemon.executableURL = cli.executable
        daemon.arguments = ["run", "--config", config]
        daemon.standardOutput = handle
        daemon.standardError = handle
        daemon.standardInput = FileHandle.nullDevice
        try daemon.run()
        do {
            try await Self.checkTheDaemonHoldsTheEngine(daemon, cli: cli, config: config, log: log, dir: dir)
        } catch {
            kill(daemon.processIdentifier, SIGKILL)
            await ChildProcess.exit(of: daemon)
            try? handle.close()
            throw error
        }
        try? handle.close()
    }

    static func checkTheDaemonHoldsTheEngine(_ daemon: Process, cli: CLI, config: String, log: URL, dir: URL) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, daemon.isRunning,
              !(String(data: (try? Data(contentsOf: log)) ?? Data(), encoding: .utf8) ?? "").contains("listening") {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(daemon.isRunning, "the daemon started: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self))")

        let blocked = try await cli.run(["sync", "--config", config, "--once"])
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("pid \(daemon.processIdentifier)"), "names the daemon: \(blocked.stderr)")
        #expect(blocked.stderr.contains(dir.appendingPathComponent("engine.sqlite.lock").path), "\(blocked.stderr)")
        kill(daemon.processIdentifier, SIGTERM)
        #expect(await ChildProcess.exit(of: daemon, limitSeconds: 60), "the daemon stops within 60 s of SIGTERM")
        #expect(daemon.terminationStatus == 0)
    }

    @Test func aSyncOverAFileThatIsNotADatabaseNamesTheFileAndWhatToDo() async throws {
        let cli = try CLI.locate()
        let (dir, config) = try Self.setUp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let engine = dir.appendingPathComponent("engine.sqlite").path
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: engine))
        let result = try await cli.run(["sync", "--config", config, "--once"])
        #expect(result.status != 0)
        #expect(result.stderr.contains(engine) && result.stderr.contains("engine.database") && result.stderr.contains("is not an SQLite database"),
                "\(result.stderr)")
        #expect(!result.stderr.contains("SQLite error"), "\(result.stderr)")
    }
}
