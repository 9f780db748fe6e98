import Connectors
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDaemon
import SyncDriver
import SyncEngine

/// `webhooks`: signed Shopify `customers/update` deliveries POSTed over loopback HTTP at a fixed rate
/// into an in-process ``SyncDaemon`` (the code `oorden-sync run` runs), and the time each takes from
/// the receiver accepting it to the change being in the Oorden ledger.
///
/// Setup: a Shopify emulator with `count` customers (in process, behind a ``ClosureTransport``), the
/// daemon's webhooks registered with it, one reconciliation pass importing every customer. Then the
/// merchant changes each customer's phone once; the emulator builds and signs the deliveries exactly
/// as it does for a store, and this benchmark POSTs them to the daemon's receiver, one every
/// `1/rate` seconds. Engine, ledger and inbox are SQLite files on disk, as under `run`.
///
/// Per delivery: *received* is the inbox's `received_at` (stamped by the receiver just before it
/// stores the delivery and answers 200); *in the ledger* is the time of the contact's `updated` entry
/// in the ledger's change feed (written in the transaction that changes the contact). Both come from
/// the same real clock, so no timing code is added to the daemon.
struct WebhookBenchmark {
    let count: Int
    let rate: Int

    func run() async throws {
        let clock = SystemWallClock()
        var logger = Logger(label: "oorden-bench")
        logger.logLevel = .critical
        let secret = "shpss_bench_webhook_secret"

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-bench-webhooks-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        var config = ShopifyEmulatorConfiguration()
        config.rateLimitEnabled = false
        config.webhookSecret = secret
        let shop = ShopifyEmulator(configuration: config, seed: 21, clock: clock)
        shop.seed(customers: count, products: 0, orders: 0)
        let client = StoreClient(transport: ClosureTransport { shop.handle($0).response }, credentials: .shopify(.accessToken(shop.credentials.accessToken)),
                                 siteURL: "https://\(config.shopDomain)", clock: clock, random: SeededRandom(seed: 2), logger: logger)
        let endpoint = StoreEndpoint(link: "shop", kind: .shopify, transport: client)

        let ledger = try OordenLedger(path: dir.appendingPathComponent("ledger.sqlite").path, clock: clock)
        _ = try ledger.setCompany(name: "Bench", currency: "MXN")
        let engine = try SyncEngine.open(path: dir.appendingPathComponent("engine.sqlite").path, clock: clock, seed: 1, logger: logger)
        try engine.connect(link: "shop", kind: .shopify)
        let inbox = try WebhookInbox(path: dir.appendingPathComponent("inbox.sqlite").path)
        let driver = SyncDriver(engine: engine, host: OordenLedgerHost(ledger: ledger), endpoints: [endpoint], clock: clock, logger: logger)
        var settings = SyncDaemon.Settings()
        settings.reconcileOnStart = false
        settings.reconciliationIntervalMilliseconds = 24 * 3_600_000
        let daemon = SyncDaemon(driver: driver, inbox: inbox, stores: [WebhookReceiver.StoreSecret(name: "shop", kind: .shopify, secret: secret,
                                                                                                     source: .shopify(shopDomain: config.shopDomain))],
                                settings: settings, clock: clock, logger: logger)
        let port = try await daemon.start()
        _ = try await WebhookRegistration.register(endpoint.platform(clock: clock), baseURL: "http://127.0.0.1:\(port)", secret: "")

        print("importing \(count) customers from the Shopify emulator…")
        await daemon.reconcile()
        let emails = Dictionary(try ledger.contacts().compactMap { c in c.email.map { ($0.lowercased(), c.id) } }, uniquingKeysWith: { a, _ in a })
        guard emails.count >= count else {
            throw BenchmarkError("the import brought \(emails.count) of \(count) customers into the ledger; run `oorden-sync demo` to see why")
        }
        let cursor = try ledger.latestChangeSequence()
        // Store timestamps have second precision: the edits must be a later second than the import.
        try await Task.sleep(for: .milliseconds(1_100))

        // The merchant edits every customer once; the emulator signs one delivery per edit.
        for (i, customer) in shop.customers().enumerated() {
            guard let id = customer["id"]?.int else { continue }
            try shop.updateCustomer(id: id, ["phone": .string(String(format: "+5255%08d", 10_000_000 + i))])
        }
        var deliveries: [WebhookDelivery] = []
        for _ in 0..<200 where deliveries.count < count {
            deliveries += shop.takeDueWebhooks().filter { $0.topic == "customers/update" }
            if deliveries.count < count { try await Task.sleep(for: .milliseconds(10)) }
        }
        guard deliveries.count == count else {
            throw BenchmarkError("the emulator produced \(deliveries.count) customers/update deliveries for \(count) edits")
        }
        // Which ledger contact each delivery changes.
        var contactOf: [String: Int64] = [:]
        for d in deliveries {
            let email = (try JSONValue.parse(d.body))["email"]?.string?.lowercased() ?? ""
            guard let id = emails[email] else { throw BenchmarkError("delivery \(d.deliveryID) names a customer the import did not bring in") }
            contactOf[d.deliveryID] = id
        }

        print("posting \(count) signed customers/update webhooks at \(rate)/s to the daemon's receiver…")
        let statuses = StatusCounter()
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let sendStart = ContinuousClock.now
        var sendSeconds = 0.0
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await daemon.run() }
            await withTaskGroup(of: Void.self) { senders in
                for (i, d) in deliveries.enumerated() {
                    try? await Task.sleep(until: sendStart.advanced(by: interval * i), clock: .continuous)
                    senders.addTask { await statuses.add(await Self.post(d)) }
                }
            }
            let elapsed = ContinuousClock.now - sendStart
            sendSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            // Wait (bounded) until every delivery left the inbox and its change is in the ledger.
            let deadline = ContinuousClock.now.advanced(by: .seconds(120))
            while ContinuousClock.now < deadline {
                let pending = ((try? inbox.counts()) ?? [:])["shop"]?[.pending] ?? 0
                if pending == 0, (try? Self.changedContacts(ledger, after: cursor).count) ?? 0 >= count { break }
                try? await Task.sleep(for: .milliseconds(50))
            }
            await daemon.stop()
        }

        let changed = try Self.changedContacts(ledger, after: cursor)
        let received = Dictionary(try inbox.deliveries(store: "shop").map { ($0.deliveryID, $0) }, uniquingKeysWith: { a, _ in a })
        var latencies: [Int64] = []
        var statusCounts: [InboxDelivery.Status: Int] = [:]
        for d in deliveries {
            guard let stored = received[d.deliveryID] else { continue }
            statusCounts[stored.status, default: 0] += 1
            guard let contact = contactOf[d.deliveryID], let at = changed[contact] else { continue }
            latencies.append(max(0, at - stored.receivedAt))
        }
        latencies.sort()
        let answers = await statuses.counts.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
        print(String(format: "sent %d in %.2f s (%.0f/s); answers: %@", count, sendSeconds, Double(count) / sendSeconds, answers))
        print("inbox: " + InboxDelivery.Status.allCases.map { "\($0.rawValue)=\(statusCounts[$0] ?? 0)" }.joined(separator: " ")
              + "; ledger contacts changed: \(latencies.count) of \(count)")
        guard !latencies.isEmpty else { throw BenchmarkError("no delivery reached the ledger; check the daemon's log (raise the log level)") }
        func percentile(_ q: Double) -> Int64 { latencies[max(0, Int((q * Double(latencies.count)).rounded(.up)) - 1)] }
        print("received → in the ledger (ms): p50=\(percentile(0.5)) p90=\(percentile(0.9)) p99=\(percentile(0.99)) max=\(latencies.last ?? 0)")
        print("BENCH webhooks p50_ms=\(percentile(0.5)) p99_ms=\(percentile(0.99)) delivered=\(latencies.count)")
    }

    /// The time of the first `updated` change-feed entry of each contact after `cursor`.
    static func changedContacts(_ ledger: OordenLedger, after cursor: Int64) throws -> [Int64: Int64] {
        var out: [Int64: Int64] = [:]
        var sequence = cursor
        while true {
            let page = try ledger.changes(after: sequence, limit: 1_000)
            for c in page where c.kind == .contact && c.action == .updated && out[c.entityID] == nil {
                out[c.entityID] = c.time
            }
            guard let last = page.last else { return out }
            sequence = last.sequence
        }
    }

    /// POSTs one delivery as the store would; returns the HTTP status (0 when there was no answer).
    static func post(_ d: WebhookDelivery) async -> Int {
        guard let url = URL(string: d.address) else { return 0 }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = "POST"
        for field in d.headers.fields { request.addValue(field.value, forHTTPHeaderField: field.name) }
        request.httpBody = d.body
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as? HTTPURLResponse)?.statusCode ?? 0
        } catch {
            return 0
        }
    }
}

/// HTTP answers by status code, from concurrent senders.
actor StatusCounter {
    private(set) var counts: [Int: Int] = [:]
    func add(_ status: Int) { counts[status, default: 0] += 1 }
}

/// A benchmark that could not produce its figure; the message says why.
struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
