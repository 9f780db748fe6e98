import ArgumentParser
import Foundation
import Logging
import OordenLedgerAdapter
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
            complete scans). For cron and scripted checks.

            A store that cannot be reached or refuses the credentials does not stop the others: every \
            other store is synced, and the summary names each failing store with its URL, the error and \
            what to fix (--json: "failed"). Its pending writes wait for the next pass.

            Exit status: 0 the pass completed (held records are listed, not failures; a store refused \
            for its currency is reported, not a failure); 1 it could not run at all (configuration, \
            ledger or engine error); 3 partial: one or more stores failed, the others were synced.
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
        // One process at a time per engine: a second sync (or a sync beside `run`) is told who holds it.
        let company = try OpenedCompany.open(configuration, clock: clock, logger: logger)
        defer { withExtendedLifetime(company) {} }
        let (engine, host) = (company.engine, company.host)
        let stores = try await ConnectedStores.connect(configuration, engine: engine, host: host, clock: clock, logger: logger)
        let driver = SyncDriver(engine: engine, host: host, endpoints: stores.endpoints, clock: clock, logger: logger, pushBackoff: .standard)
        var summary = try await driver.pass(polling: configuration.daemon.pollingPolicy(full: full))
        summary.failures.merge(stores.failures) { inPass, _ in inPass }
        let report = SyncReport(summary: summary, refused: stores.refused, configuration: configuration, configPath: config)
        if json { printJSON(report.json) } else { print(report.text) }
        if summary.isPartial {
            FileHandle.standardError.write(Data("oorden-sync sync: \(report.partialLine)\n".utf8))
            throw ExitCode(SyncExitStatus.partial)
        }
    }
}

/// The configured stores a pass can sync: each already connected in the engine, or connected now
/// after its currency was found equal to the company's. A store whose currency differs is refused; a
/// store that cannot be asked (unreachable, credentials refused) is a failure of this run only — it
/// is not connected, and the next run asks again.
struct ConnectedStores {
    var endpoints: [StoreEndpoint] = []
    var refused: [String: String] = [:]
    var failures: [String: StoreFailure] = [:]

    static func connect(_ configuration: SyncConfiguration, engine: SyncEngine, host: OordenLedgerHost,
                        clock: any WallClock, logger: Logger) async throws -> ConnectedStores {
        var out = ConnectedStores()
        let environment = ProcessInfo.processInfo.environment
        let probe = SyncDriver(engine: engine, host: host, endpoints: [], clock: clock, logger: logger)
        // OAuth 1.0a nonces come from this seed: fresh per run, so a run started within the same second
        // as the last one never repeats a nonce (WooCommerce refuses a replayed one).
        let nonceSeed = UInt64.random(in: 1...UInt64.max)
        for (i, store) in configuration.stores.enumerated() {
            let ep: StoreEndpoint
            do {
                ep = try store.endpoint(environment: environment, clock: clock, seed: nonceSeed &+ UInt64(i), logger: logger)
            } catch {
                guard let failure = StoreFailure(store: store.name, step: .configuring, error: error) else { throw error }
                out.failures[store.name] = failure
                continue
            }
            if try engine.link(named: store.name) == nil {
                do {
                    if let refusal = try await probe.currencyRefusal(ep) {
                        out.refused[store.name] = refusal
                        continue
                    }
                } catch {
                    guard let failure = StoreFailure(store: store.name, step: .currencyCheck, error: error) else { throw error }
                    out.failures[store.name] = failure
                    continue
                }
                try engine.connect(link: store.name, kind: store.kind, createsKinds: store.creates, archivesOnDelete: store.archiveOnDelete)
            }
            out.endpoints.append(ep)
        }
        return out
    }
}
