import Foundation
import OordenLedger
import SyncCore
import SyncDriver
import SyncEngine

extension SimRunner {
    /// Stops all faults, runs passes until one writes nothing (at most 8), then checks the invariants.
    mutating func healAndCheck() async throws -> SimFailure? {
        for s in world.stores {
            // Applied-then-fail faults count when they fired: the ones still pending never did.
            faults["http_applied_5xx", default: 0] -= s.faults.applyThenFailNextWrites
            s.faults = .none
        }
        if faults["http_applied_5xx"] == 0 { faults["http_applied_5xx"] = nil }
        // Dev Dashboard tokens granted beyond the first per store: expired (or refused) and renewed mid-run.
        for case .shopify(let shop) in world.stores where shop.tokensIssued > 1 {
            faults["token_expiry", default: 0] += shop.tokensIssued - 1
        }
        world.crash.disarm()
        var quiet = false
        if let fatal { return fatal }
        // Late webhooks (delayed ones included) arrive, without faults, before the healing passes.
        try await deliverWebhooks(seed: 0, faultsOn: false)
        if let fatal { return fatal }
        for _ in 0..<8 {
            world.clock.advance(by: 5_000)
            executed += 1
            if let summary = try await syncPass(), Self.isQuiet(summary) {
                quiet = true
                break
            }
        }
        if let fatal { return fatal }
        if !quiet {
            return SimFailure(invariant: "quiescence", entity: "-", detail: "8 healed passes in a row still wrote to a side")
        }
        if let f = try checkHeld() { return f }
        if let f = try checkContacts() { return f }
        if let f = try checkProducts() { return f }
        if let f = try checkStock() { return f }
        if let f = try checkOrders() { return f }
        // (g) one more pass sends nothing.
        world.clock.advance(by: 60_000)
        executed += 1
        guard let last = try await syncPass() else {
            if let fatal { return fatal }
            return SimFailure(invariant: "quiescence", entity: "-", detail: "the final pass failed with faults off")
        }
        if !Self.isQuiet(last) {
            return SimFailure(invariant: "quiescence", entity: "-", detail: "one more pass wrote: \(Self.describe(last))")
        }
        return nil
    }

    /// A pass that wrote nothing anywhere and in which no store failed (a failed store's writes wait).
    static func isQuiet(_ s: SyncPassSummary) -> Bool {
        !s.isPartial && s.totalPushes == 0 && s.oordenCreates == 0 && s.oordenUpdates == 0 && s.stores.values.allSatisfy { $0.pushFailures == 0 }
    }

    // MARK: (f) held records

    mutating func checkHeld() throws -> SimFailure? {
        var actual: [String: Int] = [:]
        let held = try world.engine.heldRecords()
        for h in held { actual["\(h.link)|\(h.reason.code.rawValue)", default: 0] += 1 }
        trace.add("held \(actual.sorted { $0.key < $1.key })")
        heldAtEnd = actual
        guard actual == expectedHeld else {
            let surplus = held.first { actual["\($0.link)|\($0.reason.code.rawValue)", default: 0] > expectedHeld["\($0.link)|\($0.reason.code.rawValue)", default: 0] }
            let example = surplus.map { " — e.g. \($0.link) \($0.kind.rawValue) \($0.remoteID): \($0.reason.message) payload \($0.payload.prefix(300))" } ?? ""
            return SimFailure(invariant: "held", entity: "-", detail: "held records by store|reason: expected \(expectedHeld.sorted { $0.key < $1.key }), engine holds \(actual.sorted { $0.key < $1.key })\(example)")
        }
        return nil
    }

    // MARK: Contacts: (a) convergence, (b) winner, (d) duplicates

    mutating func checkContacts() throws -> SimFailure? {
        let ledgerAll = try world.ledger.contacts()
        let active = ledgerAll.filter { !$0.archived }
        let activeKeys = active.compactMap { Contact.normalizedEmail($0.email) }
        if let dup = Self.firstDuplicate(activeKeys) {
            return SimFailure(invariant: "duplicates", entity: "contact \(dup)", detail: "Oorden has more than one active contact with this e-mail")
        }
        var storeContacts: [[String: ContactRecord]] = []
        for (i, store) in world.stores.enumerated() {
            let keys = store.contacts().compactMap { ContactRecord.normalizedEmail($0.record.email) }
            if let dup = Self.firstDuplicate(keys) {
                return SimFailure(invariant: "duplicates", entity: "contact \(dup)", detail: "\(world.links[i]) has more than one customer with this e-mail")
            }
            var byKey: [String: ContactRecord] = [:]
            for c in store.contacts() { if let k = ContactRecord.normalizedEmail(c.record.email) { byKey[k] = c.record } }
            storeContacts.append(byKey)
        }
        let expected = SimOracle.expected(writes.filter { $0.kind == .contact })
        let keys = Set(writes.filter { $0.kind == .contact }.map(\.key)).subtracting(tainted).sorted()
        for key in keys {
            let ledger = active.first { Contact.normalizedEmail($0.email) == key } ?? ledgerAll.last { Contact.normalizedEmail($0.email) == key }
            guard let ledger else {
                return SimFailure(invariant: "convergence", entity: "contact \(key)", detail: "missing in Oorden")
            }
            let oorden: [String: String] = ["first_name": ledger.firstName, "last_name": ledger.lastName, "phone": ledger.phone ?? "", "archived": "\(ledger.archived)"]
            trace.add("contact \(key) \(oorden.sorted { $0.key < $1.key })")
            for (i, byKey) in storeContacts.enumerated() {
                // An archived contact is not created in a store that never had it (docs/sync-semantics.md, "Deletes").
                if byKey[key] == nil, ledger.archived { continue }
                guard let rec = byKey[key] else {
                    return SimFailure(invariant: "convergence", entity: "contact \(key)", detail: "missing in \(world.links[i])")
                }
                let store: [String: String] = ["first_name": rec.firstName ?? "", "last_name": rec.lastName ?? "", "phone": rec.phone ?? ""]
                for f in ["first_name", "last_name", "phone"] where store[f] != oorden[f] {
                    return SimFailure(invariant: "convergence", entity: "contact \(key)",
                                      detail: "\(f): Oorden has \"\(oorden[f] ?? "")\", \(world.links[i]) has \"\(store[f] ?? "")\"")
                }
            }
            for f in ["first_name", "last_name", "phone", "archived"] {
                if let want = expected[SimOracle.id(.contact, key, f)], oorden[f] != want {
                    return SimFailure(invariant: "winner", entity: "contact \(key)",
                                      detail: "\(f): the latest write was \"\(want)\" (\(describeLast(.contact, key, f))), every side holds \"\(oorden[f] ?? "")\"")
                }
            }
        }
        return nil
    }

    // MARK: Products: (a) convergence, (b) winner, (d) duplicates

    mutating func checkProducts() throws -> SimFailure? {
        let ledgerProducts = try world.ledger.products()
        if let dup = Self.firstDuplicate(ledgerProducts.map(\.sku)) {
            return SimFailure(invariant: "duplicates", entity: "product \(dup)", detail: "Oorden has more than one product with this SKU")
        }
        var storeProducts: [[String: ProductRecord]] = []
        for (i, store) in world.stores.enumerated() {
            let all = store.products()
            if let dup = Self.firstDuplicate(all.compactMap(\.record.sku)) {
                return SimFailure(invariant: "duplicates", entity: "product \(dup)", detail: "\(world.links[i]) has more than one product with this SKU")
            }
            var byKey: [String: ProductRecord] = [:]
            for p in all { if let sku = p.record.sku { byKey[sku] = p.record } }
            storeProducts.append(byKey)
        }
        let expected = SimOracle.expected(writes.filter { $0.kind == .product })
        let keys = Set(writes.filter { $0.kind == .product }.map(\.key)).subtracting(tainted).sorted()
        for key in keys {
            guard let ledger = ledgerProducts.first(where: { $0.sku == key }) else {
                return SimFailure(invariant: "convergence", entity: "product \(key)", detail: "missing in Oorden")
            }
            let oorden: [String: String] = ["name": ledger.name, "price": ledger.price.formatted(scale: 2), "active": "\(ledger.active)", "taxable": "\(ledger.taxable)"]
            trace.add("product \(key) \(oorden.sorted { $0.key < $1.key })")
            for (i, byKey) in storeProducts.enumerated() {
                // An inactive product is not created in a store that never had it.
                if byKey[key] == nil, !ledger.active { continue }
                guard let rec = byKey[key] else {
                    return SimFailure(invariant: "convergence", entity: "product \(key)", detail: "missing in \(world.links[i])")
                }
                let store: [String: String] = ["name": rec.name, "price": rec.price?.formatted(scale: 2) ?? "", "active": "\(rec.active)", "taxable": "\(rec.taxable)"]
                for f in ["name", "price", "active", "taxable"] where store[f] != oorden[f] {
                    return SimFailure(invariant: "convergence", entity: "product \(key)",
                                      detail: "\(f): Oorden has \"\(oorden[f] ?? "")\", \(world.links[i]) has \"\(store[f] ?? "")\"")
                }
            }
            for f in ["name", "price", "active"] {
                if let want = expected[SimOracle.id(.product, key, f)], oorden[f] != want {
                    return SimFailure(invariant: "winner", entity: "product \(key)",
                                      detail: "\(f): the latest write was \"\(want)\" (\(describeLast(.product, key, f))), every side holds \"\(oorden[f] ?? "")\"")
                }
            }
        }
        return nil
    }

    func describeLast(_ kind: EntityKind, _ key: String, _ field: String) -> String {
        let ws = writes.filter { $0.kind == kind && $0.key == key && $0.field == field }.suffix(3)
        return ws.map { w in
            let side = switch w.side {
            case .oorden: "oorden"
            case .store(let i): world.links[i]
            }
            return "\(side)@+\(w.time - SimWorld.t0)ms=\(w.value)"
        }.joined(separator: ", ")
    }

    static func firstDuplicate(_ keys: [String]) -> String? {
        var seen: Set<String> = []
        for k in keys.sorted() where !seen.insert(k).inserted { return k }
        return nil
    }
}
