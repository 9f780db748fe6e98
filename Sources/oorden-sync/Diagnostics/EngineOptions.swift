import ArgumentParser
import Foundation
import Logging
import SyncCore
import SyncDriver
import SyncEngine

/// Where the engine database is: from `--config FILE` (its `engine.database`) or `--engine PATH`.
struct EngineOptions: ParsableArguments {
    @Option(help: "The configuration file (its engine.database is used).")
    var config: String?

    @Option(help: "The engine database, e.g. oorden-demo/engine.sqlite (instead of --config).")
    var engine: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard (config == nil) != (engine == nil) else {
            throw ValidationError("give either --config FILE or --engine PATH (the demo's is oorden-demo/engine.sqlite).")
        }
    }

    func enginePath() throws -> String {
        if let engine { return engine }
        let configuration = try SyncConfiguration.load(path: config!)
        return configuration.resolve(configuration.engineDatabase)
    }

    /// Opens an existing engine database; a missing file is an error, not a new empty database.
    func open() throws -> SyncEngine {
        let path = try enginePath()
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("no engine database at \(path); run `oorden-sync demo` or `oorden-sync sync --config FILE --once` first")
        }
        var logger = Logger(label: "oorden-sync")
        logger.logLevel = .warning
        return try SyncEngine.open(path: path, clock: SystemWallClock(), seed: 0, logger: logger)
    }
}

/// A command-line failure with a message that says what to do (exit code 1).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

func printJSON(_ value: JSONValue) {
    printSafe(value.jsonText)
}
