import ChildProcessSupport
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

    /// Finds `oorden-sync` next to the test bundle (the build products directory) or in `.build/debug`.
    static func locate() throws -> CLI {
        CLI(executable: try OordenSyncExecutable.locate())
    }

    /// Runs the executable with `arguments` (and `environment` added to this process's) to its end.
    ///
    /// The child runs on a thread of its own (``ChildProcess``), so in-process emulator servers keep
    /// the cooperative pool while the executable talks to them.
    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let output = try await ChildProcess.run(executable, arguments, environment: environment)
        return Result(status: output.status, stdout: output.standardOutput, stderr: output.standardError)
    }

    /// Runs and requires exit status 0.
    func succeed(_ arguments: [String]) async throws -> Result {
        let result = try await run(arguments)
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
