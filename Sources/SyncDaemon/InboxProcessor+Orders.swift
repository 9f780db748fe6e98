import Connectors
import Foundation
import Synchronization
import SyncCore
import SyncDriver
import SyncEngine

/// Order deliveries.
///
/// Every order topic whose body is the order itself (Shopify `orders/create|updated|paid|cancelled|
/// fulfilled|partially_fulfilled`, WooCommerce `order.created|updated|restored`) is applied with
/// ``SyncEngine/applyOrders(_:from:host:finalizeOn:unknownSKU:)``. The engine compares the order's
/// state with the documents Oorden already has for its external reference, so:
///
/// - a duplicate or a late, older copy of an order applies nothing (`processed`, "no new document");
/// - a "paid" (or WooCommerce "completed") that arrives before "created" carries the whole order: the
///   sales order and the sale are both made, and the "created" that follows applies nothing;
/// - a refund that arrives before the sale's webhook makes the sale and the credit note at once.
///
/// WooCommerce tax lines name their rate by id (`rate_id`). The body's `rate_percent` (WooCommerce 3.7+)
/// gives the percentage; when it is missing, the percentage is looked up in the store's `/taxes`, read
/// once and kept for ``WooTaxRateCache/maxAgeMilliseconds`` (read again at once when the order names a
/// rate id not in it). When `/taxes` cannot be read, the delivery is `skipped` ("deferred") and the order
/// is applied by the next reconciliation pass, which reads every order and the tax rates itself.
extension InboxProcessor {
    func processOrder(_ d: InboxDelivery) async throws -> Outcome {
        switch d.kind.recordFormat.topic(d.topic) {
        case .orderDeleted:
            return .skipped("a deleted store order leaves its Oorden documents in place (they are accounting facts); cancel or credit it in Oorden if needed")
        case .order:
            break
        default:
            return .skipped("the body of \(d.topic) is not an order; the reconciliation pass reads the order itself")
        }
        guard let host = salesHost else {
            return .skipped("the Oorden host keeps no sales documents, so orders are not synced")
        }
        guard let endpoint = endpoints[d.store] else {
            return .skipped("store \(d.store) has no endpoint in this daemon; the reconciliation pass of a daemon that has it applies the order")
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(d.body)
        } catch {
            return .failed("the body is not JSON: \(error)")
        }
        var order: OrderRecord
        do {
            order = try d.kind.recordFormat.order(json: json)
        } catch {
            try holdMalformed(d, json: json, kind: .order, remoteID: json.recordID, error: error)
            return .failed("held as malformed_record: \(error)")
        }
        if !order.unresolvedTaxRateIDs.isEmpty {
            guard let rates = await taxRates(store: d.store, needed: order.unresolvedTaxRateIDs) else {
                return .skipped("deferred: the order names tax rate ids \(order.unresolvedTaxRateIDs.joined(separator: ", ")) without their percentage and the store's /taxes could not be read; the next reconciliation pass applies the order")
            }
            order = order.resolvingTaxRates(rates)
        }
        // Oorden's changes are read first, as a pass reads them before its orders: applying a document
        // records the order's editable state as the sync's own, so an Oorden user's edit of the order
        // (its note, its address) not read yet would be taken for the sync's and never reach the store.
        var oordenChanges = 0
        while true {
            let read = try engine.pullOordenChanges(from: host).changesRead
            if read == 0 { break }
            oordenChanges += read
        }
        let outcomes: [OrderOutcome]
        do {
            outcomes = try engine.applyOrders([IncomingRecord(order, json: json)], from: d.store, host: host,
                                              finalizeOn: endpoint.finalizeOn)
        } catch {
            return .failed("order \(order.number) could not be applied (\(error)); the next reconciliation pass reads the order and tries again")
        }
        guard let outcome = outcomes.first else { return .processed(changed: oordenChanges > 0, note: nil) }
        if let held = outcome.held {
            return .processed(changed: oordenChanges > 0, note: "held: \(held.code.rawValue)")
        }
        return .processed(changed: !outcome.facts.isEmpty || oordenChanges > 0,
                          note: outcome.facts.isEmpty ? "no new document (already applied)" : "applied: " + outcome.facts.joined(separator: ", "))
    }

    /// The store's tax rates, from the cache when it has every rate id needed and is fresh, else read
    /// from `/taxes` (every page). Nil when the store cannot be read.
    func taxRates(store: String, needed: [String]) async -> [TaxRateRecord]? {
        let now = clock.nowMilliseconds()
        if let cached = taxRates.rates(store: store, covering: needed, now: now) { return cached }
        guard let platform = platforms[store] else { return nil }
        let rates: [TaxRateRecord]
        do {
            rates = try await platform.taxRates()
        } catch {
            logger.warning("the store's tax rates could not be read; the order delivery is deferred to the reconciliation pass",
                           metadata: ["store": "\(store)", "error": "\(error)"])
            return nil
        }
        taxRates.store(rates, store: store, at: now)
        return rates
    }
}

/// WooCommerce tax rates per store, read when an order webhook names a rate without its percentage.
///
/// A rate's percentage is looked up by id; entries are used for at most ``maxAgeMilliseconds`` (injected
/// clock) and the store is read again at once when an order names an id the cache lacks (a new rate).
/// A rate edited in the store within that window could be applied with its old percentage; the order's
/// total check (Oorden's computed total against the store's, within 0.05) holds such an order.
final class WooTaxRateCache: Sendable {
    /// How long fetched rates are used: 10 minutes.
    static let maxAgeMilliseconds: Int64 = 600_000

    private struct Entry: Sendable {
        var fetchedAt: Int64
        var rates: [TaxRateRecord]
    }

    private let entries = Mutex<[String: Entry]>([:])

    init() {}

    /// The cached rates of `store` if they are fresh at `now` and include every id in `ids`.
    func rates(store: String, covering ids: [String], now: Int64) -> [TaxRateRecord]? {
        entries.withLock { e in
            guard let entry = e[store], now - entry.fetchedAt < Self.maxAgeMilliseconds else { return nil }
            let known = Set(entry.rates.map(\.id))
            return ids.allSatisfy(known.contains) ? entry.rates : nil
        }
    }

    /// Keeps `rates` as the store's tax rates read at `time`.
    func store(_ rates: [TaxRateRecord], store: String, at time: Int64) {
        entries.withLock { $0[store] = Entry(fetchedAt: time, rates: rates) }
    }
}
