import OordenLedger
import SyncCore

/// An order the simulator placed: in which store, under which id.
struct SimPlacedOrder: Sendable, Hashable {
    var store: Int
    var id: Int
}

/// Stock levels one side showed before an op: a store's levels by SKU, or Oorden's.
enum SimStockSnapshot {
    case store(Int, [String: Int])
    case oorden([String: Int64])
}

extension SimRunner {
    // MARK: Orders and stock

    mutating func performCommerce(_ op: SimOp) throws {
        switch op {
        case let .storePlaceOrder(s, n, customer, lines, stage):
            guard orders[n] == nil else { throw SimOpRefused() }
            let store = world.stores[s]
            var merged: [String: Int] = [:]
            var order: [String] = []
            for l in lines {
                let sku = Self.sku(l.key)
                guard store.product(sku: sku) != nil, !unseen.contains("\(s)|\(sku)") else { continue }
                if merged[sku] == nil { order.append(sku) }
                merged[sku, default: 0] += l.quantity
            }
            guard !order.isEmpty else { throw SimOpRefused() }
            let customerID = customer.flatMap { store.contact(email: Self.email($0)) }
            let id = try store.placeOrder(lines: order.map { ($0, merged[$0] ?? 1) }, customer: customerID,
                                          guest: ("guest\(n)@sim.test", "Invitado", "Numero\(n)"), stage: stage, wooTaxRate: world.wooTaxRates[s])
            orders[n] = SimPlacedOrder(store: s, id: id)
        case .storePayOrder(let n):
            guard let o = orders[n] else { throw SimOpRefused() }
            try world.stores[o.store].payOrder(o.id)
        case .storeFulfillOrder(let n):
            guard let o = orders[n] else { throw SimOpRefused() }
            try world.stores[o.store].fulfillOrder(o.id)
        case let .storeCancelOrder(n, restock):
            guard let o = orders[n] else { throw SimOpRefused() }
            try world.stores[o.store].cancelOrder(o.id, restock: restock)
        case let .storeRefundOrder(n, percent, restock):
            guard let o = orders[n] else { throw SimOpRefused() }
            try world.stores[o.store].refundOrder(o.id, percent: percent, restock: restock)
        case let .storeAdjustStock(s, k, delta):
            let sku = Self.sku(k)
            guard !unseen.contains("\(s)|\(sku)") else { throw SimOpRefused() }
            try world.stores[s].adjustStock(sku: sku, delta: delta)
        case let .ledgerStockMovement(k, quantity, purchase):
            guard let p = try world.ledger.product(sku: Self.sku(k)) else { throw SimOpRefused() }
            _ = try world.ledger.recordMovement(productID: p.id, quantity: Int64(quantity), kind: purchase ? .purchase : .adjustment)
        case let .ledgerSale(k, c, quantity):
            guard let p = try world.ledger.product(sku: Self.sku(k)), let contact = try world.ledger.contact(email: Self.email(c)) else { throw SimOpRefused() }
            let order = try world.ledger.createSalesOrder(SalesOrderDraft(
                contactID: contact.id, currency: "MXN",
                lines: [SalesOrderLineDraft(productID: p.id, quantity: Int64(quantity), unitPrice: p.price, taxID: p.taxable ? world.taxID : nil)]))
            _ = try world.ledger.registerSale(orderID: order.id)
        case let .ledgerEditOrderNote(n, note):
            guard let o = orders[n],
                  let so = try world.ledger.salesOrder(externalReference: ExternalReference(store: world.links[o.store], remoteID: String(o.id)))
            else { throw SimOpRefused() }
            _ = try world.ledger.updateSalesOrder(so.id) { $0.note = note }
            orderNotes[n] = note
        default:
            return
        }
    }

    /// A store product is created with its initial stock only when no side has the SKU yet: a record
    /// that links to a product the engine already knows takes that product's stock (docs/sync-semantics.md,
    /// "Stock"), so its own first level is not a delta. `nil`: another store has a record of the SKU the
    /// engine has not seen yet — which of the two the engine meets first decides whose level counts, so
    /// the simulator does not create it (the op does nothing).
    mutating func initialStock(store s: Int, sku: String, stock: Int) throws -> Int? {
        var elsewhere = false
        for (i, other) in world.stores.enumerated() where i != s && other.product(sku: sku) != nil {
            if unseen.contains("\(i)|\(sku)") { return nil }
            elsewhere = true
        }
        if elsewhere { return 0 }
        if try world.ledger.product(sku: sku) != nil { return 0 }
        return stock
    }

    // MARK: The stock log

    /// The levels of the side an op changes stock on, before it runs (nil: the op changes no stock).
    func stockSnapshot(for op: SimOp) throws -> SimStockSnapshot? {
        switch op {
        case .storeCreateProduct(let s, _, _, _, _), .storePlaceOrder(let s, _, _, _, _), .storeAdjustStock(let s, _, _),
             .storeCreateInvalid(let s, _, "missing_tax"):
            return .store(s, world.stores[s].levels())
        case .storePayOrder(let n), .storeFulfillOrder(let n), .storeCancelOrder(let n, _), .storeRefundOrder(let n, _, _):
            guard let o = orders[n] else { return nil }
            return .store(o.store, world.stores[o.store].levels())
        case .ledgerCreateProduct, .ledgerStockMovement, .ledgerSale:
            return .oorden(try ledgerLevels())
        default:
            return nil
        }
    }

    /// Oorden's stock on hand by SKU.
    func ledgerLevels() throws -> [String: Int64] {
        let levels = try world.ledger.stockLevels()
        var out: [String: Int64] = [:]
        for p in try world.ledger.products() { out[p.sku] = levels[p.id] ?? 0 }
        return out
    }

    /// Adds what the op changed on its side to the stock log: each SKU's level after minus before
    /// (a new record's whole level). Between passes only the simulated users change stock.
    ///
    /// A stock change is also an edit of the record: the side reports one `updated_at` per record, so
    /// the record's other fields, if the engine has not seen them yet, may be stamped with this time —
    /// logged as implicit writes. So are the fields of an order's customer (an order updates the
    /// customer's record in the store).
    mutating func recordStockChanges(for op: SimOp, before: SimStockSnapshot) throws {
        var changes: [String: Int64] = [:]
        let side: SimWrite.Side
        switch before {
        case let .store(s, old):
            side = .store(s)
            for (sku, level) in world.stores[s].levels() { changes[sku] = Int64(level - (old[sku] ?? 0)) }
        case .oorden(let old):
            side = .oorden
            for (sku, level) in try ledgerLevels() { changes[sku] = level - (old[sku] ?? 0) }
        }
        for (sku, delta) in changes.sorted(by: { $0.key < $1.key }) where delta != 0 {
            stockDeltas[sku, default: 0] += delta
            trace.add("stock \(sku) \(delta)")
            try logImplicit(.product, sku, side, except: "")
        }
        if case .store(let s) = side, let n = op.orderSerial, let o = orders[n], o.store == s,
           let email = ContactRecord.normalizedEmail(world.stores[s].order(o.id)?.record.email) {
            try logImplicit(.contact, email, side, except: "")
        }
    }
}
