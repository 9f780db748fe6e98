import Connectors
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine

/// The demo, step by step. Everything it prints is read back from the ledger and the emulators.
///
/// A rerun in the same directory resumes: the stores are restored from `DIR/stores`, the seeding
/// and the held shoppers are skipped, the import finds everything in sync, and a new round of edits
/// is made and synced.
struct DemoRun {
    let directory: URL
    let customers: Int
    let products: Int
    let orders: Int
    let seed: UInt64
    /// Print only the ``DemoSummary`` as JSON at the end.
    let json: Bool
    let clock = SystemWallClock()
    var logger: Logger

    init(directory: String, customers: Int, products: Int, orders: Int = 30, seed: UInt64, json: Bool = false) throws {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        self.customers = customers
        self.products = products
        self.orders = orders
        self.seed = seed
        self.json = json
        logger = Logger(label: "oorden-sync.demo")
        logger.logLevel = .critical
        do {
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        } catch {
            throw DemoError("cannot create \(self.directory.path): \(error.localizedDescription); pick another --dir")
        }
    }

    /// Prints a line of the text report (nothing in `--json` mode).
    func say(_ line: String = "") {
        if !json { print(line) }
    }

    var enginePath: String { directory.appendingPathComponent("engine.sqlite").path }
    var ledgerPath: String { directory.appendingPathComponent("ledger.sqlite").path }

    @discardableResult
    func execute() async throws -> DemoSummary {
        if DemoStores.savedSnapshots(in: directory).isEmpty, FileManager.default.fileExists(atPath: enginePath) {
            throw DemoError("\(directory.path) holds an engine database but no store snapshots (DIR/stores/*.json), so its stores cannot be restored; use a new --dir")
        }
        say("OordenSync demo in \(directory.path)")
        say()

        // The Oorden company.
        let ledger = try OordenLedger(path: ledgerPath, clock: clock)
        if try ledger.company() == nil {
            _ = try ledger.setCompany(name: "Comercializadora del Bajío", currency: "MXN")
            _ = try ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
            _ = try ledger.createTax(TaxDraft(name: "IVA 8 % frontera", percentage: ExactDecimal(8)))
        }
        let company = try ledger.company()!
        say("Company   \(company.name) (\(company.currency)), ledger \(ledgerPath)")

        // The stores: restored from DIR/stores when an earlier run saved them, else seeded.
        let stores = try await DemoStores.start(directory: directory, customers: customers, products: products, orders: orders, seed: seed,
                                                clock: clock, logger: logger)
        do {
            let summary = try await run(ledger: ledger, stores: stores)
            await stores.stop()
            return summary
        } catch {
            await stores.stop()
            throw error
        }
    }

    private func run(ledger: OordenLedger, stores: DemoStores) async throws -> DemoSummary {
        if stores.resumed {
            say("Resumed   stores restored from \(stores.snapshotDirectory.path); seeding skipped (--customers/--products apply to a new --dir)")
        }
        let engine = try SyncEngine.open(path: enginePath, clock: clock, seed: seed, logger: logger)
        let host = OordenLedgerHost(ledger: ledger)
        let probe = SyncDriver(engine: engine, host: host, endpoints: [], clock: clock, logger: logger)
        var endpoints: [StoreEndpoint] = []
        for store in stores.all {
            say("Store     \(store.endpoint.link.padding(toLength: 15, withPad: " ", startingAt: 0)) \(store.kindName.padding(toLength: 11, withPad: " ", startingAt: 0)) \(store.origin)")
            if let refusal = try await probe.currencyRefusal(store.endpoint) {
                say("          refused: \(refusal)")
                continue
            }
            try engine.connect(link: store.endpoint.link, kind: store.endpoint.kind)
            endpoints.append(store.endpoint)
        }
        let driver = SyncDriver(engine: engine, host: host, endpoints: endpoints, clock: clock, logger: logger)
        let progress = ProgressPrinter()
        let handler = json ? nil : progress.handler

        say()
        say(stores.resumed ? "Import (resumed: everything already known should come back unchanged)" : "Initial import")
        let first = try await driver.pass(progress: handler)
        if !json { progress.finish() }
        printPass(first)
        try stores.save()

        // Concurrent edits on every side.
        say()
        let edits = try await DemoEdits.make(stores: stores, ledger: ledger, engine: engine)
        say("Concurrent edits (round \(edits.round))")
        for line in edits.lines { say("  \(line)") }

        say()
        say("Second sync")
        let second = try await driver.pass(progress: handler)
        if !json { progress.finish() }
        printPass(second)
        try stores.save()

        let summary = try DemoSummary.collect(directory: directory, resumed: stores.resumed, importPass: first, secondPass: second, edits: edits,
                                              ledger: ledger, engine: engine, stores: stores, synced: Set(endpoints.map(\.link)))
        if json {
            print(summary.json.jsonText)
        } else {
            say()
            try DemoReport(summary: summary, engine: engine).print()
        }
        return summary
    }

    func printPass(_ s: SyncPassSummary) {
        for (name, c) in s.stores.sorted(by: { $0.key < $1.key }) {
            say("  \(name.padding(toLength: 15, withPad: " ", startingAt: 0)) pulled \(c.contactsPulled) customers, \(c.productsPulled) SKUs: "
                + "\(c.created) new, \(c.linked) linked, \(c.updated) updated, \(c.held) held; \(c.pushed) writes sent, \(c.pushFailures) refused")
        }
        for (name, c) in s.stores.sorted(by: { $0.key < $1.key }) where c.ordersPulled > 0 {
            say("  \(name.padding(toLength: 15, withPad: " ", startingAt: 0)) \(c.ordersText)")
        }
        say("  Oorden          \(s.oordenCreates) created, \(s.oordenLinks) linked, \(s.oordenUpdates) updated; \(s.heldRecords) records held")
    }
}

struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
