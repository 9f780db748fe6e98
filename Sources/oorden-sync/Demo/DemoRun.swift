import Connectors
import Foundation
import Logging
import OordenLedger
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine

/// The demo, step by step. Everything it prints is read back from the ledger and the emulators.
struct DemoRun {
    let directory: URL
    let customers: Int
    let products: Int
    let seed: UInt64
    let clock = SystemWallClock()
    var logger: Logger

    init(directory: String, customers: Int, products: Int, seed: UInt64) throws {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        self.customers = customers
        self.products = products
        self.seed = seed
        logger = Logger(label: "oorden-sync.demo")
        logger.logLevel = .critical
        do {
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        } catch {
            throw DemoError("cannot create \(self.directory.path): \(error.localizedDescription); pick another --dir")
        }
    }

    func execute() async throws {
        print("OordenSync demo in \(directory.path)")
        print("")

        // The Oorden company.
        let ledger = try OordenLedger(path: directory.appendingPathComponent("ledger.sqlite").path, clock: clock)
        if try ledger.company() == nil {
            _ = try ledger.setCompany(name: "Comercializadora del Bajío", currency: "MXN")
            _ = try ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
            _ = try ledger.createTax(TaxDraft(name: "IVA 8 % frontera", percentage: ExactDecimal(8)))
        }
        let company = try ledger.company()!
        print("Company   \(company.name) (\(company.currency)), ledger \(directory.appendingPathComponent("ledger.sqlite").path)")

        // The stores.
        let stores = try await DemoStores.start(directory: directory, customers: customers, products: products, seed: seed,
                                                clock: clock, logger: logger)
        defer { Task { await stores.stop() } }
        let engine = try SyncEngine.open(path: directory.appendingPathComponent("engine.sqlite").path, clock: clock, seed: seed, logger: logger)
        let host = OordenLedgerHost(ledger: ledger)
        let probe = SyncDriver(engine: engine, host: host, endpoints: [], clock: clock, logger: logger)
        var endpoints: [StoreEndpoint] = []
        for store in stores.all {
            print("Store     \(store.endpoint.link.padding(toLength: 15, withPad: " ", startingAt: 0)) \(store.kindName.padding(toLength: 11, withPad: " ", startingAt: 0)) \(store.origin)")
            if let refusal = try await probe.currencyRefusal(store.endpoint) {
                print("          refused: \(refusal)")
                continue
            }
            try engine.connect(link: store.endpoint.link, kind: store.endpoint.kind)
            endpoints.append(store.endpoint)
        }
        let driver = SyncDriver(engine: engine, host: host, endpoints: endpoints, clock: clock, logger: logger)

        print("")
        print("Initial import")
        let progress = ProgressPrinter()
        let first = try await driver.pass(progress: progress.handler)
        progress.finish()
        printPass(first)

        // Concurrent edits on every side.
        print("")
        print("Concurrent edits")
        let edits = try await DemoEdits.make(stores: stores, ledger: ledger, engine: engine)
        for line in edits.lines { print("  \(line)") }

        print("")
        print("Second sync")
        let second = try await driver.pass(progress: progress.handler)
        progress.finish()
        printPass(second)

        print("")
        try DemoReport(ledger: ledger, engine: engine, stores: stores, edits: edits).print()
        await stores.stop()
    }

    func printPass(_ s: SyncPassSummary) {
        for (name, c) in s.stores.sorted(by: { $0.key < $1.key }) {
            print("  \(name.padding(toLength: 15, withPad: " ", startingAt: 0)) pulled \(c.contactsPulled) customers, \(c.productsPulled) SKUs: "
                + "\(c.created) new, \(c.linked) linked, \(c.updated) updated, \(c.held) held; \(c.pushed) writes sent, \(c.pushFailures) refused")
        }
        print("  Oorden          \(s.oordenCreates) created, \(s.oordenLinks) linked, \(s.oordenUpdates) updated; \(s.heldRecords) records held")
    }
}

struct DemoError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
