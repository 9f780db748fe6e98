import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs child processes for tests without holding a thread of Swift's cooperative pool.
///
/// The pool has one thread per core (two on CI). A test that blocks one in `waitUntilExit()` or
/// `readDataToEndOfFile()` while the child talks to an emulator server in the test process starves
/// that server: with two such tests at once nothing in the process answers, every request the child
/// makes times out, and unrelated loopback tests fail. So the blocking calls run on a thread of their
/// own, and the waiting test suspends.
///
/// ```swift
/// let output = try await ChildProcess.run(executable, ["sync", "--once"])
/// #expect(output.status == 0, "\(output.standardError)")
/// ```
public enum ChildProcess {
    /// What a finished child printed, and how it ended.
    public struct Output: Sendable {
        /// The exit status, or the signal number when `raisedSignal` is set.
        public var status: Int32
        /// The child ended by a signal (killed, or crashed) rather than by exiting.
        public var raisedSignal: Bool
        public var standardOutput: String
        public var standardError: String
    }

    /// Runs `executable` with `arguments` to its end; standard input is empty.
    ///
    /// - Parameter environment: added to this process's environment (a value replaces the inherited one).
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        try await onOwnThread { try runBlocking(executable, arguments, environment: environment) }
    }

    /// Suspends until `process` (already started) has exited, polling every 10 ms; after
    /// `limitSeconds` it is killed (SIGKILL), so a child that ignores a stop cannot hang the suite.
    ///
    /// - Returns: `false` when the child had to be killed at the limit.
    @discardableResult
    public static func exit(of process: Process, limitSeconds: Double = 120) async -> Bool {
        let started = ContinuousClock.now
        var withinLimit = true
        while process.isRunning {
            if withinLimit, ContinuousClock.now - started >= .seconds(limitSeconds) {
                kill(process.processIdentifier, SIGKILL)
                withinLimit = false
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        process.waitUntilExit()
        return withinLimit
    }

    /// Runs `work` on a new thread and suspends the caller until it returns.
    public static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    private static func runBlocking(_ executable: URL, _ arguments: [String], environment: [String: String]) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Both pipes are drained at once (standard error on a second thread), so neither can fill up
        // and stop the child.
        let errorText = Mutex<Data?>(nil)
        let errorRead = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            errorText.withLock { $0 = data }
            errorRead.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errorRead.wait()
        process.waitUntilExit()
        let errData = errorText.withLock { $0 } ?? Data()
        return Output(status: process.terminationStatus, raisedSignal: process.terminationReason == .uncaughtSignal,
                      standardOutput: String(decoding: outData, as: UTF8.self), standardError: String(decoding: errData, as: UTF8.self))
    }
}

/// The built `oorden-sync` executable, found beside the test runner.
public enum OordenSyncExecutable {
    /// The repository root, from this file's path (Tests/ChildProcessSupport/ChildProcess.swift).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Finds `oorden-sync` next to the test runner (the build products directory) or in `.build/debug`.
    public static func locate() throws -> URL {
        var candidates: [URL] = []
        if let runner = CommandLine.arguments.first {
            var dir = URL(fileURLWithPath: runner).resolvingSymlinksInPath().deletingLastPathComponent()
            // On macOS the runner is inside `X.xctest/Contents/MacOS`; the products directory holds the bundle.
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("oorden-sync"))
                dir = dir.deletingLastPathComponent()
            }
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("oorden-sync"))
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/oorden-sync"))
        for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) {
            return url
        }
        throw NotFound(description: """
            the oorden-sync executable was not found (looked in: \(candidates.map(\.path).joined(separator: ", "))); \
            run `swift build --build-tests` first so .build/debug/oorden-sync exists
            """)
    }

    struct NotFound: Error, CustomStringConvertible {
        let description: String
    }
}
