import Connectors
import Foundation
import Logging
import SyncCore
import SyncEngine

/// Runs sync passes: pulls every store through the connectors, reads Oorden's changes, projects the
/// merged state and makes the store writes the engine asks for.
///
/// The driver holds no sync state of its own — everything durable is in the engine's database — so a
/// pass interrupted at any point is simply run again. Requests go through each endpoint's transport
/// one at a time, in a fixed order, so a pass over in-process emulators is deterministic.
///
/// ```swift
/// let driver = SyncDriver(engine: engine, host: OordenLedgerHost(ledger: ledger), endpoints: [shop, woo],
///                         clock: SystemWallClock(), logger: logger)
/// let summary = try await driver.pass()
/// ```
public final class SyncDriver: Sendable {
    public let engine: SyncEngine
    public let host: any OordenHost
    public let endpoints: [StoreEndpoint]
    let clock: any WallClock
    let logger: Logger

    /// How long a store write waits after a transient failure before it is tried again (``PushBackoff``).
    public let pushBackoff: PushBackoff
    /// Each endpoint's platform over a ``DriverTransport``, by link name.
    let transports: [String: DriverTransport]
    package let platforms: [String: any StorePlatform]

    public init(engine: SyncEngine, host: any OordenHost, endpoints: [StoreEndpoint], clock: any WallClock, logger: Logger,
                pushBackoff: PushBackoff = .none) {
        self.engine = engine
        self.host = host
        self.endpoints = endpoints
        self.clock = clock
        self.logger = logger
        self.pushBackoff = pushBackoff
        var transports: [String: DriverTransport] = [:]
        var platforms: [String: any StorePlatform] = [:]
        for ep in endpoints where transports[ep.link] == nil {
            let transport = DriverTransport(base: ep.transport, link: ep.link, engine: engine, clock: clock)
            transports[ep.link] = transport
            platforms[ep.link] = ep.platform(over: transport, clock: clock, bulkJournal: EngineBulkReadJournal(engine: engine, link: ep.link))
        }
        self.transports = transports
        self.platforms = platforms
    }

    /// The platform of an endpoint: this driver's for one of its stores; for another (a store being
    /// checked before it is connected, ``currencyRefusal(_:companyCurrency:)``) one made for the call.
    func platform(_ ep: StoreEndpoint) -> any StorePlatform {
        platforms[ep.link] ?? ep.platform(over: DriverTransport(base: ep.transport, link: ep.link, engine: engine, clock: clock), clock: clock)
    }

    /// The platform of a store of this driver, sending through the driver (its requests observe
    /// the store's clock): what the daemon uses for the store reads and writes a delivery needs.
    package func platform(for store: String) throws -> any StorePlatform {
        platform(try endpoint(store))
    }

    // MARK: Currency

    /// Each store's currency, checked against the company's main currency.
    ///
    /// Returns the stores whose currency differs, with a message naming both currencies; those stores
    /// are blocked (not pulled, not pushed) until the currencies match.
    public func blockedStores() async throws -> [String: String] {
        guard let company = try host.companyCurrency() else {
            throw SyncDriverError(code: .companyNotSetUp, message: "the Oorden company has no main currency; set it up first (oorden-sync ledger init --currency MXN)")
        }
        var blocked: [String: String] = [:]
        for ep in endpoints {
            if let refusal = try await currencyRefusal(ep, companyCurrency: company) { blocked[ep.link] = refusal }
        }
        return blocked
    }

    /// Why a store cannot be connected because of its currency, or nil if its currency is the company's.
    /// Call it before connecting a store: the message names both currencies.
    public func currencyRefusal(_ ep: StoreEndpoint, companyCurrency: String? = nil) async throws -> String? {
        guard let company = try companyCurrency ?? host.companyCurrency() else {
            throw SyncDriverError(code: .companyNotSetUp, message: "the Oorden company has no main currency; set it up first (oorden-sync ledger init --currency MXN)")
        }
        let currency = try await storeCurrency(ep)
        guard currency.uppercased() != company.uppercased() else { return nil }
        return "Store \(ep.link) sells in \(currency) but the company's main currency is \(company). "
            + "OordenSync only syncs a store whose currency equals the company's; change one of them."
    }

    /// Makes sure the store's clock offset has been estimated at least once: if no response of the
    /// store was ever timed, sends one cheap request (the store's currency) whose `Date` header feeds
    /// the estimate. A store that does not answer is left as it is (offset 0) and logged.
    public func ensureClockEstimate(store name: String) async {
        guard let ep = endpoints.first(where: { $0.link == name }),
              let samples = try? engine.clockSamples(link: name), samples == 0 else { return }
        do {
            _ = try await storeCurrency(ep)
        } catch {
            logger.warning("could not read the store's clock; its record times are taken as ours", metadata: ["store": "\(name)", "error": "\(error)"])
        }
    }

    func storeCurrency(_ ep: StoreEndpoint) async throws -> String {
        try await platform(ep).currency()
    }

    // MARK: Passes

    /// One full pass: pull every store, read Oorden's changes, then project and push until nothing is
    /// left to write (at most `maxRounds` projection rounds). `polling` decides, per store and kind,
    /// between a complete scan (the default: all pages, deletions detected) and an incremental pull
    /// from the kind's cursor (``PollingPolicy``).
    ///
    /// A store that fails — unreachable, refusing the credentials, answering what its API never sends —
    /// does not stop the others: it is recorded in ``SyncPassSummary/failures`` with the step that failed
    /// and left out of the rest of the pass (its later pulls and its pushes wait for the next pass; what
    /// was ingested from it before stays). Engine and Oorden errors still throw: they are no one store's.
    public func pass(maxRounds: Int = 6, polling: PollingPolicy = .complete, progress: SyncProgressHandler? = nil) async throws -> SyncPassSummary {
        var summary = SyncPassSummary()
        let requestsBefore = requestCounts()
        let blocked = try await checkCurrencies(into: &summary)
        var active = endpoints.filter { blocked[$0.link] == nil && summary.failures[$0.link] == nil }
        for ep in active {
            var counts = SyncPassSummary.StoreCounts()
            if try await storeStep(ep, .pullingContacts, &summary, { try await pullContacts(ep, into: &counts, polling: polling, progress: progress) }) {
                try await storeStep(ep, .pullingProducts, &summary) { try await pullProducts(ep, into: &counts, polling: polling, progress: progress) }
            }
            summary.stores[ep.link] = counts
        }
        active.removeAll { summary.failures[$0.link] != nil }
        summary.oordenChanges += try drainOorden()
        let sales = host.sales
        try await settle(active: active, maxRounds: maxRounds, hostStock: sales == nil, summary: &summary, progress: progress)
        // Orders last: their contacts and products are in Oorden by now.
        if let sales {
            for ep in active {
                var counts = summary.stores[ep.link] ?? SyncPassSummary.StoreCounts()
                try await storeStep(ep, .pullingOrders, &summary) { try await pullOrders(ep, host: sales, into: &counts, progress: progress) }
                summary.stores[ep.link] = counts
            }
            active.removeAll { summary.failures[$0.link] != nil }
            // Guest buyers and products created from order lines reach the other sides, and Oorden's
            // stock is corrected now that the orders' reservations are in.
            summary.oordenChanges += try drainOorden()
            try await settle(active: active, maxRounds: maxRounds, hostStock: true, summary: &summary, progress: progress)
        }
        summary.heldRecords = try engine.heldRecords().count
        countRequests(into: &summary, since: requestsBefore)
        for (store, _) in blocked { summary.stores[store] = summary.stores[store] ?? SyncPassSummary.StoreCounts() }
        return summary
    }

    /// Each store's currency against the company's, as ``blockedStores()`` checks it, except that a
    /// store that cannot be asked is recorded in `summary.failures` instead of failing the pass.
    /// Returns the stores whose currency differs, with the refusal.
    func checkCurrencies(into summary: inout SyncPassSummary) async throws -> [String: String] {
        guard let company = try host.companyCurrency() else {
            throw SyncDriverError(code: .companyNotSetUp, message: "the Oorden company has no main currency; set it up first (oorden-sync ledger init --currency MXN)")
        }
        var blocked: [String: String] = [:]
        for ep in endpoints {
            var refusal: String?
            try await storeStep(ep, .currencyCheck, &summary) { refusal = try await currencyRefusal(ep, companyCurrency: company) }
            if let refusal {
                blocked[ep.link] = refusal
                logger.error("store blocked", metadata: ["store": "\(ep.link)", "reason": "\(refusal)"])
            }
        }
        return blocked
    }

    /// Runs one step of one store. A failure of the store (``StoreFailure/init(store:step:error:)``)
    /// is recorded in `summary.failures` and logged, and the result is false: the caller leaves the
    /// store out of the rest of the pass. Any other error is rethrown.
    @discardableResult
    func storeStep(_ ep: StoreEndpoint, _ step: StoreFailure.Step, _ summary: inout SyncPassSummary,
                   _ body: () async throws -> Void) async throws -> Bool {
        do {
            try await body()
            return true
        } catch {
            guard let failure = StoreFailure(store: ep.link, step: step, error: error) else { throw error }
            summary.failures[ep.link] = failure
            logger.error("store failed; the other stores are synced", metadata: [
                "store": "\(ep.link)", "step": "\(step.rawValue)", "error": "\(failure.message)",
            ])
            return false
        }
    }

    /// Projection rounds: project every dirty entity, push, read Oorden's echoes, until nothing is
    /// left or `maxRounds`.
    /// Projects and pushes until quiet.
    ///
    /// With `afterScan` false (a push without a pull, ``pushPending(maxRounds:progress:)``), creates of
    /// Shopify products are left for the next pass: Shopify REST cannot search by SKU, so only a pass that
    /// has just read the store's changed products knows that a merchant did not create the same SKU
    /// there a moment ago (a webhook can be lost). The entity stays dirty, so nothing is forgotten.
    func settle(active: [StoreEndpoint], maxRounds: Int, hostStock: Bool, afterScan: Bool = true,
                summary: inout SyncPassSummary, progress: SyncProgressHandler?) async throws {
        let unsearchable = Set(active.filter { !platform($0).searchesProductsBySKU }.map(\.link))
        let activeLinks = Set(active.map(\.link))
        for _ in 1...maxRounds {
            summary.rounds += 1
            // A round projects every dirty entity (in the engine's batches), then pushes.
            var pushes: [PushIntent] = []
            var after: EntityID? = nil
            repeat {
                let projection = try engine.project(host: host, hostStock: hostStock, after: after)
                summary.oordenCreates += projection.hostCreates
                summary.oordenUpdates += projection.hostUpdates
                summary.oordenLinks += projection.hostLinks
                pushes += afterScan ? projection.pushes : projection.pushes.filter { intent in
                    !(intent.kind == .product && intent.action == .create && unsearchable.contains(intent.link))
                }
                after = projection.lastEntity
            } while after != nil
            // Writes to a store out of this pass (failed or blocked) wait for a later one: their
            // entities stay dirty, and they do not keep this pass projecting.
            let waiting = Set(pushes.filter { !activeLinks.contains($0.link) && $0.kind != .order }.map(\.entity))
            pushes.removeAll { !activeLinks.contains($0.link) }
            let perStore = Dictionary(grouping: pushes, by: \.link)
            for ep in active {
                guard let intents = perStore[ep.link] else { continue }
                var counts = summary.stores[ep.link] ?? SyncPassSummary.StoreCounts()
                for (i, intent) in intents.enumerated() {
                    try await push(intent, to: ep, counts: &counts)
                    progress?(SyncProgress(store: ep.link, phase: .pushing, done: i + 1, total: intents.count))
                }
                summary.stores[ep.link] = counts
            }
            // Our own Oorden writes come back through the change feed as echoes; read them now.
            summary.oordenChanges += try drainOorden()
            let clean = try engine.dirtyCount() <= waiting.count
            if pushes.isEmpty, !hostStock || clean { return }
        }
    }

    func drainOorden() throws -> Int {
        var total = 0
        while true {
            let batch = try engine.pullOordenChanges(from: host)
            if batch.changesRead == 0 { return total }
            total += batch.outcomes.count
        }
    }

    // MARK: Requests

    /// Requests sent so far, per store.
    func requestCounts() -> [String: Int] { transports.mapValues(\.requests) }

    /// Each store's requests since `before` into its counts (of the stores the summary has counts for).
    func countRequests(into summary: inout SyncPassSummary, since before: [String: Int]) {
        for (link, transport) in transports {
            let sent = transport.requests - (before[link] ?? 0)
            summary.stores[link]?.requests += sent
        }
    }
}

/// A driver error: a code and a message that says what to do.
public struct SyncDriverError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case companyNotSetUp = "company_not_set_up"
        case unknownStore = "unknown_store"
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
