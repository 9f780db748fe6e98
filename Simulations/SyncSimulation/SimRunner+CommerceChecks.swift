import OordenLedger
import SyncCore
import SyncEngine

extension SimRunner {
    // MARK: (c) stock

    /// Every side's stock of every SKU equals initial + all deltas of every side, exactly, from the
    /// simulator's own stock log; the engine's counter agrees.
    mutating func checkStock() throws -> SimFailure? {
        let levels = try world.ledger.stockLevels()
        let storeLevels = world.stores.map { $0.levels() }
        let storeSKUs = world.stores.map { Set($0.products().compactMap(\.record.sku)) }
        for p in try world.ledger.products().sorted(by: { $0.sku < $1.sku }) where p.sku.hasPrefix("SIM-") && !tainted.contains(p.sku) {
            let want = stockDeltas[p.sku] ?? 0
            let oorden = levels[p.id] ?? 0
            trace.add("stock \(p.sku) \(oorden)")
            let counter = try world.engine.entity(kind: .product, naturalKey: p.sku).flatMap { try world.engine.stock(of: $0) }
            let sides = "Oorden \(oorden), engine counter \(counter.map(String.init) ?? "none"), "
                + storeSKUs.indices.filter { storeSKUs[$0].contains(p.sku) }.map { "\(world.links[$0]) \(storeLevels[$0][p.sku].map(String.init) ?? "untracked")" }.joined(separator: ", ")
            guard oorden == want else {
                return SimFailure(invariant: "stock", entity: "product \(p.sku)", detail: "Oorden has \(oorden) units; initial + every side's deltas = \(want) (\(sides))")
            }
            if let counter, counter != want {
                return SimFailure(invariant: "stock", entity: "product \(p.sku)", detail: "the engine's counter is \(counter); initial + every side's deltas = \(want) (\(sides))")
            }
            for (i, skus) in storeSKUs.enumerated() where skus.contains(p.sku) {
                guard let level = storeLevels[i][p.sku] else {
                    return SimFailure(invariant: "stock", entity: "product \(p.sku)", detail: "\(world.links[i]) does not track this SKU's stock; expected \(want)")
                }
                guard Int64(level) == want else {
                    return SimFailure(invariant: "stock", entity: "product \(p.sku)", detail: "\(world.links[i]) has \(level) units; initial + every side's deltas = \(want) (\(sides))")
                }
            }
        }
        return nil
    }

    // MARK: (d) orders once per side, (e) order facts

    /// Each store order is exactly one Oorden sales order (and the stores hold exactly the orders the
    /// shoppers placed); each finalized one exactly one sale; each cancellation and refund its
    /// cancellation or credit notes; Oorden users' notes reached the store.
    mutating func checkOrders() throws -> SimFailure? {
        let salesOrders = try world.ledger.salesOrders()
        let sales = try world.ledger.sales()
        var byRef: [String: [SalesOrder]] = [:]
        for so in salesOrders {
            if let ref = so.externalReference { byRef["\(ref.store)|\(ref.remoteID)", default: []].append(so) }
        }
        let serials = Dictionary(orders.map { ("\($0.value.store)|\($0.value.id)", $0.key) }, uniquingKeysWith: { a, _ in a })
        var known: Set<String> = []
        for (i, store) in world.stores.enumerated() {
            let link = world.links[i]
            let storeOrders = store.orders()
            let placed = orders.values.filter { $0.store == i }.count + taxHeldOrders.filter { $0.store == i }.count
            guard storeOrders.count == placed else {
                return SimFailure(invariant: "duplicates", entity: "orders of \(link)", detail: "\(link) has \(storeOrders.count) orders; the shoppers placed \(placed)")
            }
            for o in storeOrders.sorted(by: { $0.id < $1.id }) {
                let ref = "\(link)|\(o.id)"
                known.insert(ref)
                let entity = "order \(link)/\(o.id)"
                let docs = byRef[ref] ?? []
                if taxHeldOrders.contains(SimPlacedOrder(store: i, id: o.id)) {
                    // Taxed at a rate Oorden lacks: held (checked with the held records), no document.
                    guard docs.isEmpty else {
                        return SimFailure(invariant: "order_facts", entity: entity, detail: "held for a missing tax, yet it is \(docs.count) sales orders in Oorden")
                    }
                    continue
                }
                guard docs.count == 1, let so = docs.first else {
                    return SimFailure(invariant: docs.isEmpty ? "order_facts" : "duplicates", entity: entity,
                                      detail: "the store order is \(docs.count) sales orders in Oorden, not 1")
                }
                let r = o.record
                guard so.total == r.total else {
                    return SimFailure(invariant: "order_facts", entity: entity, detail: "the sales order totals \(so.total), the store order \(r.total)")
                }
                let own = sales.filter { $0.orderID == so.id }
                guard own.count <= 1 else {
                    return SimFailure(invariant: "order_facts", entity: entity, detail: "\(own.count) sales applied for one store order")
                }
                let credits = try own.first.map { try world.ledger.creditNotes(saleID: $0.id) } ?? []
                let credited = credits.reduce(ExactDecimal.zero) { $0 + $1.amount }
                let refunds = r.refunds.filter { $0.amount > .zero }
                let finalized = store.kind == .shopify ? r.lifecycle.isPaid : ["completed", "refunded"].contains(r.storeStatus)
                let state = "store: \(r.storeStatus) \(r.lifecycle.financial.rawValue) cancelled=\(r.lifecycle.cancelled) refunds=\(refunds.map(\.amount)); "
                    + "Oorden: \(so.status.rawValue), \(own.count) sale, credit notes \(credits.map(\.amount))"
                trace.add("\(entity) \(state)")
                if r.lifecycle.cancelled {
                    if own.isEmpty {
                        guard so.status == .cancelled else {
                            return SimFailure(invariant: "order_facts", entity: entity, detail: "cancelled before its sale, but the sales order is not cancelled (\(state))")
                        }
                    } else if credited != so.total {
                        return SimFailure(invariant: "order_facts", entity: entity, detail: "cancelled after its sale: credit notes must add up to the total \(so.total) (\(state))")
                    }
                } else if finalized {
                    let expected = min(so.total, refunds.reduce(ExactDecimal.zero) { $0 + $1.amount })
                    guard own.count == 1, so.status == .invoiced else {
                        return SimFailure(invariant: "order_facts", entity: entity, detail: "finalized in the store, but no sale applied (\(state))")
                    }
                    guard credited == expected, credits.count <= refunds.count else {
                        return SimFailure(invariant: "order_facts", entity: entity, detail: "refunds must be credit notes for \(expected), once each (\(state))")
                    }
                } else {
                    guard own.isEmpty, so.status == .open else {
                        return SimFailure(invariant: "order_facts", entity: entity, detail: "not finalized in the store, so the sales order must be open without a sale (\(state))")
                    }
                }
                if let serial = serials["\(i)|\(o.id)"], let note = orderNotes[serial] {
                    guard r.note == note, so.note == note else {
                        return SimFailure(invariant: "convergence", entity: entity,
                                          detail: "note: Oorden's user wrote \"\(note)\"; Oorden has \"\(so.note ?? "")\", \(link) has \"\(r.note ?? "")\"")
                    }
                }
            }
        }
        for ref in byRef.keys.sorted() where !known.contains(ref) {
            return SimFailure(invariant: "duplicates", entity: "order \(ref)", detail: "Oorden has a sales order for a store order no store has")
        }
        return nil
    }
}
