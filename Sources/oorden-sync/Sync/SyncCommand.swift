import ArgumentParser
import Foundation
import Logging
import OordenLedger
import SyncCore
import SyncDriver
import SyncEngine

/// `oorden-sync sync --config FILE --once`: one full pass, then exit with a summary.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Run one sync pass over every configured store, then exit with a summary.",
        discussion: """
            Pulls every store, reads Oorden's changes, projects and pushes until nothing is left to write. \
            Stores are pulled incrementally from the cursors the last pass left (records updated since, with \
            an overlap window), and completely when a kind was never pulled or its last complete scan is older \
            than daemon.complete_scan_interval_seconds; --full scans everything (deletions are only detected by \
            complete scans). For cron and scripted checks. Exit code 0 when the pass completed (held records are \
            listed, not failures), 1 when it could not run.
            """
    )

    @Option(help: "The configuration file (see docs/configuration.md).")
    var config: String

    @Flag(help: "Run one pass and exit (the only mode of this command; `run` is the daemon).")
    var once = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Flag(help: "Scan every store completely instead of pulling from the cursors (detects deletions at once).")
    var full = false

    func validate() throws {
        guard once else { throw ValidationError("`sync` runs one pass: pass --once (the long-running daemon is `oorden-sync run`).") }
    }

    func run() async throws {
        let configuration = try SyncConfiguration.load(path: config)
        var logger = Logger(label: "oorden-sync")
        logger.logLevel = .warning
        let clock = SystemWallClock()
        let ledgerPath = configuration.resolve(configuration.ledgerPath)
        guard FileManager.default.fileExists(atPath: ledgerPath) else {
            throw CLIError("no Oorden ledger at \(ledgerPath) (ledger.path); create it with `oorden-sync ledger init --ledger \(ledgerPath) --currency MXN`")
        }
        let ledger = try OordenLedger(path: ledgerPath, clock: clock)
        let engine = try SyncEngine.open(path: configuration.resolve(configuration.engineDatabase), clock: clock,
                                         seed: UInt64(clock.nowMilliseconds()), logger: logger)
        let host = OordenLedgerHost(ledger: ledger)
        let environment = ProcessInfo.processInfo.environment
        var endpoints: [StoreEndpoint] = []
        let probe = SyncDriver(engine: engine, host: host, endpoints: [], clock: clock, logger: logger)
        var refused: [String: String] = [:]
        // OAuth 1.0a nonces come from this seed: fresh per run, so a run started within the same second
        // as the last one never repeats a nonce (WooCommerce refuses a replayed one).
        let nonceSeed = UInt64.random(in: 1...UInt64.max)
        for (i, store) in configuration.stores.enumerated() {
            let ep = try store.endpoint(environment: environment, clock: clock, seed: nonceSeed &+ UInt64(i), logger: logger)
            if try engine.link(named: store.name) == nil {
                if let refusal = try await probe.currencyRefusal(ep) {
                    refused[store.name] = refusal
                    continue
                }
                try engine.connect(link: store.name, kind: store.kind, createsKinds: store.creates, archivesOnDelete: store.archiveOnDelete)
            }
            endpoints.append(ep)
        }
        let driver = SyncDriver(engine: engine, host: host, endpoints: endpoints, clock: clock, logger: logger, pushBackoff: .standard)
        let summary = try await driver.pass(polling: configuration.daemon.pollingPolicy(full: full))
        if json {
            printJSON(.object([
                "stores": .object(summary.stores.mapValues { c in
                    .object(["contacts_pulled": .integer(c.contactsPulled), "products_pulled": .integer(c.productsPulled),
                             "created": .integer(c.created), "linked": .integer(c.linked), "updated": .integer(c.updated),
                             "held": .integer(c.held), "deleted": .integer(c.deleted), "pushed": .integer(c.pushed),
                             "push_failures": .integer(c.pushFailures)])
                }),
                "refused": .object(refused.mapValues { .string($0) }),
                "oorden": .object(["created": .integer(summary.oordenCreates), "updated": .integer(summary.oordenUpdates),
                                   "linked": .integer(summary.oordenLinks)]),
                "held_records": .integer(summary.heldRecords),
            ]))
            return
        }
        for (name, message) in refused.sorted(by: { $0.key < $1.key }) { print("\(name): refused — \(message)") }
        for (name, c) in summary.stores.sorted(by: { $0.key < $1.key }) {
            print("\(name): pulled \(c.contactsPulled) customers, \(c.productsPulled) SKUs; \(c.created) new, \(c.linked) linked, \(c.updated) updated, \(c.deleted) deleted, \(c.held) held; \(c.pushed) writes, \(c.pushFailures) refused")
        }
        print("Oorden: \(summary.oordenCreates) created, \(summary.oordenLinks) linked, \(summary.oordenUpdates) updated; \(summary.heldRecords) records held (oorden-sync problems --config \(config))")
    }
}
