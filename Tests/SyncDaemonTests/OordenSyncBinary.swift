import ChildProcessSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `oorden-sync` executable, run as a child process the tests can kill.
struct OordenSyncBinary {
    let executable: URL

    /// Finds `oorden-sync` next to the test runner (the build products directory) or in `.build/debug`.
    static func locate() throws -> OordenSyncBinary {
        OordenSyncBinary(executable: try OordenSyncExecutable.locate())
    }

    /// Starts the executable with `arguments` and extra environment variables; output goes to `logFile`.
    func start(_ arguments: [String], environment: [String: String], logFile: URL) throws -> Process {
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// How a run ended: by itself with a status, killed by the test, or by a signal it raised itself (a crash).
    enum Ending: Equatable {
        case exited(Int32)
        case killed
        case crashed(signal: Int32)
    }

    /// A private copy of the executable in `directory`: a build relinking `.build/debug/oorden-sync`
    /// while a test runs it must not pull the file out from under the child.
    func copied(to directory: URL) throws -> OordenSyncBinary {
        let copy = directory.appendingPathComponent("oorden-sync")
        try? FileManager.default.removeItem(at: copy)
        try FileManager.default.copyItem(at: executable, to: copy)
        return OordenSyncBinary(executable: copy)
    }

    /// Runs the executable; if it is still running after `killAfterMilliseconds`, sends SIGKILL.
    /// Polls every 5 ms (real time), bounded by `limitSeconds` (then it is killed too, and that is an error).
    func run(_ arguments: [String], environment: [String: String], logFile: URL, killAfterMilliseconds: Int64?,
             limitSeconds: Double = 120) async throws -> Ending {
        let process = try start(arguments, environment: environment, logFile: logFile)
        let started = ContinuousClock.now
        while process.isRunning {
            let elapsed = ContinuousClock.now - started
            if let killAt = killAfterMilliseconds, elapsed >= .milliseconds(killAt) {
                kill(process.processIdentifier, SIGKILL)
                await ChildProcess.exit(of: process)
                return .killed
            }
            if elapsed >= .seconds(limitSeconds) {
                kill(process.processIdentifier, SIGKILL)
                await ChildProcess.exit(of: process)
                throw ChildProcessError("`oorden-sync \(arguments.joined(separator: " "))` ran longer than \(limitSeconds) s; see \(logFile.path)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        await ChildProcess.exit(of: process)
        return process.terminationReason == .uncaughtSignal ? .crashed(signal: process.terminationStatus) : .exited(process.terminationStatus)
    }
}

/// A child-process precondition that failed, with what to do.
struct ChildProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
