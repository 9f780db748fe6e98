import Foundation
import Logging
import StoreEmulators
import SyncCore
import Testing

/// Runs the built `oorden-sync` executable, as a user would, for the end-to-end CLI tests.
struct CLI {
    /// What a run printed, and how it ended.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// Standard output parsed as one JSON document.
        func json() throws -> JSONValue {
            do {
                return try JSONValue.parse(stdout)
            } catch {
                throw CLIFailure("the output is not JSON (\(error)):\n\(stdout.prefix(2_000))\nstderr:\n\(stderr.prefix(2_000))")
            }
        }
    }

    let executable: URL

    /// The repository root, from this file's path (Tests/SyncDriverTests/CLISupport.swift).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Finds `oorden-sync` next to the test bundle (the build products directory) or in `.build/debug`.
    static func locate() throws -> CLI {
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
            return CLI(executable: url)
        }
        throw CLIFailure("""
            the oorden-sync executable was not found (looked in: \(candidates.map(\.path).joined(separator: ", "))); \
            run `swift build` (or `swift build --build-tests`) first so .build/debug/oorden-sync exists
            """)
    }

    /// Runs the executable with `arguments` (and `environment` added to this process's) and waits for it to end.
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        // Standard error goes to a file, standard output through a pipe read until the end, so
        // neither can fill up and block the process.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-cli-\(UUID().uuidString).stderr")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let errHandle = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errHandle.close()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs on a dispatch thread, so in-process emulator servers keep the cooperative pool while the
    /// executable talks to them.
    func runOffPool(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try run(arguments, environment: environment) })
            }
        }
    }

    /// Runs and requires exit status 0.
    func succeed(_ arguments: [String]) throws -> Result {
        let result = try run(arguments)
        guard result.status == 0 else {
            throw CLIFailure("`oorden-sync \(arguments.joined(separator: " "))` exited with \(result.status):\n\(result.stderr)\n\(result.stdout.suffix(2_000))")
        }
        return result
    }

    /// A new empty directory under the system's temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-cli-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A CLI test precondition that failed, with what to do.
struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// The demo's saved stores, restored from `DIR/stores/<name>.json`.
struct SavedDemoStores {
    let shopify: ShopifyEmulator
    let woo: WooCommerceEmulator
    let usa: ShopifyEmulator

    init(directory: URL) throws {
        let clock = ManualClock(milliseconds: 1_795_964_400_000)
        func data(_ name: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent("stores/\(name).json")) }
        shopify = try ShopifyEmulator(restoring: data("tienda-shopify"), clock: clock)
        woo = try WooCommerceEmulator(restoring: data("tienda-woo"), seed: 1, clock: clock, logger: Logger(label: "test"))
        usa = try ShopifyEmulator(restoring: data("tienda-usa"), clock: clock)
    }

    static func emails(_ customers: [JSONValue]) -> [String] {
        customers.compactMap { $0["email"]?.string?.lowercased() }
    }

    var shopifySKUs: [String] {
        shopify.products().flatMap { $0["variants"]?.array ?? [] }.compactMap { $0["sku"]?.string }.filter { !$0.isEmpty }
    }

    var wooSKUs: [String] {
        woo.products().filter { $0["status"]?.string != "trash" }.flatMap { p -> [String] in
            if p["type"]?.string == "variable", let id = p["id"]?.int {
                return woo.variations(productID: id).compactMap { $0["sku"]?.string }
            }
            return [p["sku"]?.string ?? ""]
        }.filter { !$0.isEmpty }
    }
}
