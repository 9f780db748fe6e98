import ArgumentParser
import Foundation
import Logging
import OordenLedger
import SyncCore
import SyncDriver

/// `oorden-sync doctor --config FILE`: checks the setup before syncing, and says how to fix what is wrong.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the Oorden ledger and every configured store: connectivity, credentials, permissions, currency, tax coverage, webhooks.",
        discussion: """
            Each store is checked through the same connector a sync pass uses: the shop's settings (reachability \
            and credentials), read access to customers, products, orders and webhooks, the currency against the \
            company's, every tax rate against Oorden's taxes (same exact percentage; for Shopify the rates of its \
            latest 250 orders), and the webhook topics `oorden-sync run` needs. Every failing line says what is \
            wrong and how to fix it. Exit code 0 when every check passed, 2 when one failed, 1 when the \
            configuration itself cannot be read. Secrets are never printed.
            """
    )

    @Option(help: "The configuration file (see docs/configuration.md).")
    var config: String

    @Flag(help: "Skip the webhook check (for setups that only run `sync --once`).")
    var noWebhooks = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let configuration = try SyncConfiguration.load(path: config)
        var logger = Logger(label: "oorden-sync.doctor")
        logger.logLevel = .critical
        let clock = SystemWallClock()

        // Oorden: the ledger exists and has a company with a currency.
        let ledgerPath = configuration.resolve(configuration.ledgerPath)
        var oorden = DoctorSection(name: "oorden", kind: "oorden", location: ledgerPath, checks: [])
        var currency: String?
        var taxes: [Tax]?
        if !FileManager.default.fileExists(atPath: ledgerPath) {
            oorden.checks.append(.fail("ledger", "no Oorden ledger at \(ledgerPath) (ledger.path); create it with `oorden-sync ledger init --ledger \(ledgerPath) --currency MXN`"))
        } else {
            do {
                let ledger = try OordenLedger(path: ledgerPath, clock: clock)
                if let company = try ledger.company() {
                    currency = company.currency
                    taxes = try ledger.taxes()
                    let list = Set(taxes!.map(\.percentage)).sorted().map { "\($0) %" }.joined(separator: ", ")
                    oorden.checks.append(.ok("ledger", "\(company.name), main currency \(company.currency), taxes \(list.isEmpty ? "none" : list)"))
                } else {
                    oorden.checks.append(.fail("ledger", "the ledger at \(ledgerPath) has no company; set it up with `oorden-sync ledger init --ledger \(ledgerPath) --currency MXN`"))
                }
            } catch {
                oorden.checks.append(.fail("ledger", "the ledger at \(ledgerPath) cannot be read: \(error). Restore it from a backup or point ledger.path at the right file."))
            }
        }

        var sections = [oorden]
        let environment = ProcessInfo.processInfo.environment
        // OAuth 1.0a nonces come from this seed: a fresh one per run, so two runs within one second
        // never send the same nonce (a store refuses a replayed one).
        let nonceSeed = UInt64.random(in: 1...UInt64.max)
        for (i, store) in configuration.stores.enumerated() {
            let doctor = StoreDoctor(store: store, configPath: config, companyCurrency: currency, taxes: taxes, checkWebhooks: !noWebhooks)
            let section = await doctor.run {
                try store.endpoint(environment: environment, clock: clock, seed: nonceSeed &+ UInt64(i), logger: logger)
            }
            sections.append(section)
        }

        let failures = sections.reduce(0) { $0 + $1.failures }
        if json {
            printJSON(.object(["ok": .bool(failures == 0), "failures": .integer(failures), "sections": .array(sections.map(\.json))]))
        } else {
            for section in sections {
                print(section.kind == "oorden" ? "Oorden  \(section.location)" : "\(section.name)  (\(section.kind), \(section.location))")
                for check in section.checks { print(check.line) }
            }
            print(failures == 0 ? "Everything checked is in order." : "\(failures) problem\(failures == 1 ? "" : "s") found; fix the FAIL lines above and run doctor again.")
        }
        if failures > 0 { throw ExitCode(2) }
    }
}
