import Connectors
import Foundation
import OordenLedger
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine

/// Executes ops on a ``SimWorld``, logs every user write, heals and checks the invariants.
struct SimRunner {
    let world: SimWorld
    let configuration: SimConfiguration
    var writes: [SimWrite] = []
    /// Keys deleted in some store: their fate depends on delete semantics the oracle does not model,
    /// so they are only checked for duplicates.
    var tainted: Set<String> = []
    /// Records that break a rule, created in stores: (link, reason code).
    var expectedHeld: [String: Int] = [:]
    /// What the engine held when the held records were checked, by `link|reason`.
    var heldAtEnd: [String: Int] = [:]
    var faults: [String: Int] = [:]
    /// User ops that ran and did something, by kind (see ``SimOp/activityKind``).
    var activity: [String: Int] = [:]
    var executed = 0
    /// A pass threw something that is not a store failure or an injected crash: the run stops there.
    var fatal: SimFailure?
    var passes = 0
    var trace = TraceHash()
    /// Σ of every side's stock changes per SKU, as the simulator observed them around its own ops
    /// (the stock oracle: initial + all deltas).
    var stockDeltas: [String: Int64] = [:]
    /// Store product records (`store|sku`) merchants created since the last completed pass: the
    /// engine has not seen them yet, so stock ops leave them alone (docs/simulator.md, "Stock").
    var unseen: Set<String> = []
    /// Orders placed: serial → (store index, order id).
    var orders: [Int: SimPlacedOrder] = [:]
    /// Orders taxed at a rate Oorden does not have: held `missing_tax`, never documents.
    var taxHeldOrders: Set<SimPlacedOrder> = []
    /// Notes Oorden users wrote on imported sales orders: serial → note.
    var orderNotes: [Int: String] = [:]
    /// Webhook deliveries a round delayed, by store: they arrive with a later round.
    var delayedWebhooks: [Int: [WebhookDelivery]] = [:]

    init(world: SimWorld, configuration: SimConfiguration) {
        self.world = world
        self.configuration = configuration
    }

    /// Serials of orders the simulator placed outside the generated order ops (tax-held orders once
    /// their tax exists): far above any generated serial.
    static let releasedSerialBase = 1_000_000

    static func email(_ k: Int) -> String { "c\(k)@sim.test" }
    static func sku(_ k: Int) -> String { "SIM-\(k)" }
    static func price(_ text: String) -> String { (try? ExactDecimal(text))?.formatted(scale: 2) ?? text }

    var now: Int64 { world.clock.nowMilliseconds() }

    mutating func log(_ kind: EntityKind, _ key: String, _ fields: [String: String], _ side: SimWrite.Side) {
        for (f, v) in fields.sorted(by: { $0.key < $1.key }) {
            writes.append(SimWrite(kind: kind, key: key, field: f, value: v, time: now, side: side, ledgerLag: ledgerLag(side)))
        }
    }

    /// How far behind true time the ledger's clock is, for a write on Oorden's side (0 for a store's).
    func ledgerLag(_ side: SimWrite.Side) -> Int64 {
        side == .oorden ? -world.ledgerClock.offsetMilliseconds : 0
    }

    /// After an edit: the record's other fields, as the side now holds them, may be stamped with this time.
    mutating func logImplicit(_ kind: EntityKind, _ key: String, _ side: SimWrite.Side, except field: String) throws {
        var values: [String: String] = [:]
        switch (kind, side) {
        case (.contact, .store(let s)):
            guard let r = world.stores[s].contacts().first(where: { ContactRecord.normalizedEmail($0.record.email) == key })?.record else { return }
            values = ["first_name": r.firstName ?? "", "last_name": r.lastName ?? "", "phone": r.phone ?? ""]
        case (.product, .store(let s)):
            guard let r = world.stores[s].products().first(where: { $0.record.sku == key })?.record else { return }
            values = ["name": r.name, "price": r.price?.formatted(scale: 2) ?? "", "active": "\(r.active)"]
        case (.contact, .oorden):
            guard let c = try ledgerContact(key) else { return }
            values = ["first_name": c.firstName, "last_name": c.lastName, "phone": c.phone ?? "", "archived": "\(c.archived)"]
        case (.product, .oorden):
            guard let p = try world.ledger.product(sku: key) else { return }
            values = ["name": p.name, "price": p.price.formatted(scale: 2), "active": "\(p.active)"]
        default:
            return
        }
        for (f, v) in values.sorted(by: { $0.key < $1.key }) where f != field {
            writes.append(SimWrite(kind: kind, key: key, field: f, value: v, time: now, side: side, ledgerLag: ledgerLag(side), implicit: true))
        }
    }

    // MARK: Ops

    mutating func apply(_ op: SimOp) async throws {
        guard fatal == nil else { return }
        executed += 1
        var outcome = "ok"
        let before = try stockSnapshot(for: op)
        do {
            try await perform(op)
        } catch is SimCrash {
            outcome = "crash"
        } catch {
            outcome = "refused"
        }
        if let before { try recordStockChanges(for: op, before: before) }
        if outcome == "ok", let kind = op.activityKind { activity[kind, default: 0] += 1 }
        trace.add("\(op) -> \(outcome) @\(now)")
    }

    func ledgerContact(_ email: String) throws -> Contact? {
        if let active = try world.ledger.contact(email: email) { return active }
        return try world.ledger.contacts().last { Contact.normalizedEmail($0.email) == email }
    }

    mutating func perform(_ op: SimOp) async throws {
        switch op {
        case .advance(let ms):
            world.clock.advance(by: ms)
        case let .storeCreateContact(s, k, first, last, phone):
            let store = world.stores[s]
            guard store.contact(email: Self.email(k)) == nil else { return }
            try store.createContact(email: Self.email(k), first: first, last: last, phone: phone)
            log(.contact, Self.email(k), ["first_name": first, "last_name": last, "phone": phone], .store(s))
        case let .storeEditContact(s, k, field, value):
            let store = world.stores[s]
            guard let id = store.contact(email: Self.email(k)) else { return }
            try store.editContact(id: id, field: field, value: value)
            log(.contact, Self.email(k), [field: value], .store(s))
            try logImplicit(.contact, Self.email(k), .store(s), except: field)
        case let .storeDeleteContact(s, k):
            let store = world.stores[s]
            guard let id = store.contact(email: Self.email(k)) else { return }
            try store.deleteContact(id: id)
            tainted.insert(Self.email(k))
        case let .storeCreateProduct(s, k, name, price, stock):
            let store = world.stores[s]
            guard store.product(sku: Self.sku(k)) == nil, let initial = try initialStock(store: s, sku: Self.sku(k), stock: stock) else { return }
            try store.createProduct(sku: Self.sku(k), name: name, price: price, stock: initial)
            unseen.insert("\(s)|\(Self.sku(k))")
            log(.product, Self.sku(k), ["name": name, "price": Self.price(price), "active": "true"], .store(s))
        case let .storeEditProduct(s, k, field, value):
            let store = world.stores[s]
            guard let p = store.product(sku: Self.sku(k)) else { return }
            try store.editProduct(productID: p.productID, variantID: p.variantID, field: field, value: value)
            log(.product, Self.sku(k), [field: field == "price" ? Self.price(value) : value], .store(s))
            try logImplicit(.product, Self.sku(k), .store(s), except: field)
        case let .storeDeleteProduct(s, k):
            let store = world.stores[s]
            guard let p = store.product(sku: Self.sku(k)) else { return }
            try store.deleteProduct(productID: p.productID)
            tainted.insert(Self.sku(k))
        case let .storeCreateInvalid(s, n, reason):
            let store = world.stores[s]
            switch reason {
            case "invalid_email": try store.createContact(email: "bad\(n).sim.test", first: "Bad", last: "Mail\(n)", phone: nil)
            case "missing_last_name": try store.createContact(email: "nolast\(n)@sim.test", first: "Solo\(n)", last: "", phone: nil)
            case "missing_tax":
                // A guest buys a product the engine knows, taxed at a rate Oorden does not have.
                guard let rate = world.wooFrontierRates[s],
                      let sku = store.products().compactMap(\.record.sku).sorted().first(where: { !unseen.contains("\(s)|\($0)") })
                else { throw SimOpRefused() }
                let id = try store.placeOrder(lines: [(sku, 1)], customer: nil, guest: ("frontera\(n)@sim.test", "Fronteriza", "Numero\(n)"),
                                              stage: 1, wooTaxRate: rate)
                if try world.ledger.taxes(withPercentage: ExactDecimal(8)).isEmpty {
                    taxHeldOrders.insert(SimPlacedOrder(store: s, id: id))
                } else {
                    // Oorden has the tax by now: an ordinary order.
                    orders[Self.releasedSerialBase + n] = SimPlacedOrder(store: s, id: id)
                    return
                }
            default: try store.createProduct(sku: nil, name: "Sin SKU \(n)", price: "10.00", stock: 0)
            }
            expectedHeld["\(world.links[s])|\(reason)", default: 0] += 1
        case .ledgerCreateMissingTax:
            guard try world.ledger.taxes(withPercentage: ExactDecimal(8)).isEmpty else { throw SimOpRefused() }
            _ = try world.ledger.createTax(TaxDraft(name: "IVA frontera 8 %", percentage: ExactDecimal(8)))
            // The held orders are now ordinary orders: documents after the next pass, no hold.
            for (k, o) in taxHeldOrders.sorted(by: { ($0.store, $0.id) < ($1.store, $1.id) }).enumerated() {
                orders[Self.releasedSerialBase + 100_000 + k] = o
                expectedHeld["\(world.links[o.store])|missing_tax", default: 0] -= 1
            }
            expectedHeld = expectedHeld.filter { $0.value != 0 }
            taxHeldOrders = []
        case let .ledgerCreateContact(k, first, last, phone):
            guard try ledgerContact(Self.email(k)) == nil else { return }
            _ = try world.ledger.createContact(ContactDraft(firstName: first, lastName: last, email: Self.email(k), phone: phone))
            log(.contact, Self.email(k), ["first_name": first, "last_name": last, "phone": phone, "archived": "false"], .oorden)
        case let .ledgerEditContact(k, field, value):
            guard let c = try ledgerContact(Self.email(k)) else { return }
            _ = try world.ledger.updateContact(c.id) { d in
                switch field {
                case "first_name": d.firstName = value
                case "last_name": d.lastName = value
                default: d.phone = value
                }
            }
            log(.contact, Self.email(k), [field: value], .oorden)
            try logImplicit(.contact, Self.email(k), .oorden, except: field)
        case let .ledgerArchiveContact(k, archived):
            guard let c = try ledgerContact(Self.email(k)), c.archived != archived else { return }
            _ = try world.ledger.setContactArchived(c.id, archived)
            log(.contact, Self.email(k), ["archived": "\(archived)"], .oorden)
            try logImplicit(.contact, Self.email(k), .oorden, except: "archived")
        case let .ledgerCreateProduct(k, name, price, stock):
            guard try world.ledger.product(sku: Self.sku(k)) == nil else { return }
            // A store record of the SKU the engine has not seen yet: which of the two records the engine
            // meets first (a webhook round drains Oorden without pulling stores) decides whose first
            // level counts, so the simulator leaves this create out (docs/simulator.md, "The stock log").
            guard !world.stores.indices.contains(where: { unseen.contains("\($0)|\(Self.sku(k))") }) else { throw SimOpRefused() }
            let product = try world.ledger.createProduct(ProductDraft(sku: Self.sku(k), name: name, price: try ExactDecimal(price)))
            _ = try world.ledger.recordMovement(productID: product.id, quantity: Int64(max(1, stock)), kind: .purchase)
            log(.product, Self.sku(k), ["name": name, "price": Self.price(price), "active": "true"], .oorden)
        case let .ledgerEditProduct(k, field, value):
            guard let p = try world.ledger.product(sku: Self.sku(k)) else { return }
            _ = try world.ledger.updateProduct(p.id) { d in
                if field == "price" { d.price = (try? ExactDecimal(value)) ?? d.price } else { d.name = value }
            }
            log(.product, Self.sku(k), [field: field == "price" ? Self.price(value) : value], .oorden)
            try logImplicit(.product, Self.sku(k), .oorden, except: field)
        case let .ledgerSetProductActive(k, active):
            guard let p = try world.ledger.product(sku: Self.sku(k)), p.active != active else { return }
            _ = try world.ledger.updateProduct(p.id) { $0.active = active }
            log(.product, Self.sku(k), ["active": "\(active)"], .oorden)
            try logImplicit(.product, Self.sku(k), .oorden, except: "active")
        case .storePlaceOrder, .storePayOrder, .storeFulfillOrder, .storeCancelOrder, .storeRefundOrder, .storeAdjustStock,
             .ledgerStockMovement, .ledgerSale, .ledgerEditOrderNote:
            try performCommerce(op)
        case .pass:
            try await syncPass()
        case .deliverWebhooks(let seed):
            try await deliverWebhooks(seed: seed, faultsOn: true)
        case let .httpFault(s, failures, status, timeouts):
            var plan = world.stores[s].faults
            plan.failNextRequests = failures
            plan.failStatus = status
            plan.failRetryAfterSeconds = status == 429 ? 2 : nil
            plan.timeoutNextRequests = timeouts
            world.stores[s].faults = plan
            if failures > 0 { faults[status == 429 ? "http_429" : "http_5xx", default: 0] += failures }
            if timeouts > 0 { faults["timeout", default: 0] += timeouts }
        case let .appliedThenFail(s, writes, status):
            var plan = world.stores[s].faults
            // Counted as they fire: the ones a new plan replaces before they fired are taken back.
            faults["http_applied_5xx", default: 0] += writes - plan.applyThenFailNextWrites
            plan.applyThenFailNextWrites = writes
            plan.applyThenFailStatus = status
            world.stores[s].faults = plan
        case .crash(let n):
            world.crash.arm(afterRequests: n)
        case .engineClockBack(let ms):
            world.engineClock.offsetMilliseconds -= ms
            faults["clock_back", default: 0] += 1
        case .ledgerClockBack(let ms):
            world.ledgerClock.offsetMilliseconds -= ms
            faults["ledger_clock_back", default: 0] += 1
        }
    }

    /// One pass; an injected crash reopens the engine; a store that kept failing is left out of the pass (the others are synced) and its records are left for the next one.
    @discardableResult
    mutating func syncPass() async throws -> SyncPassSummary? {
        guard fatal == nil else { return nil }
        passes += 1
        do {
            let summary = try await world.driver.pass()
            trace.add(Self.describe(summary))
            for failure in summary.failures.values.sorted(by: { $0.store < $1.store }) {
                trace.add("store \(failure.store) failed: \(failure.kind.rawValue) while \(failure.step.rawValue): \(failure.message)")
            }
            // Every store record that existed when the pass began has been seen by the engine now —
            // unless a store failed (kept failing) and was left out of the rest of the pass.
            if !summary.isPartial { unseen.removeAll() }
            return summary
        } catch is SimCrash {
            faults["crash", default: 0] += 1
            trace.add("crash")
            try world.restartEngine()
            return nil
        } catch let error as StoreAPIError {
            trace.add("pass failed: \(error.code)")
            return nil
        } catch {
            fatal = SimFailure(invariant: "engine_error", entity: "-", detail: "pass \(passes) threw: \(error)")
            return nil
        }
    }

    static func describe(_ s: SyncPassSummary) -> String {
        let stores = s.stores.keys.sorted().map { k -> String in
            let c = s.stores[k]!
            return "\(k):\(c.contactsPulled)/\(c.productsPulled)/\(c.created)/\(c.linked)/\(c.updated)/\(c.stale)/\(c.held)/\(c.deleted)/\(c.pushed)/\(c.pushFailures)"
        }
        return "pass \(stores.joined(separator: " ")) o:\(s.oordenChanges)/\(s.oordenCreates)/\(s.oordenUpdates)/\(s.oordenLinks) r:\(s.rounds) h:\(s.heldRecords)"
    }
}
