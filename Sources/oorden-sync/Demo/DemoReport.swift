import Foundation
import OordenLedger
import StoreEmulators
import SyncCore
import SyncEngine

/// The demo's closing summary for people: every number comes from a ``DemoSummary``.
struct DemoReport {
    let summary: DemoSummary
    let engine: SyncEngine

    func print() throws {
        let s = summary
        Swift.print("What is where now")
        let o = s.oordenOrders
        Swift.print("  Oorden          \(s.oordenContacts) contacts, \(s.oordenProducts) products, \(o.salesOrders) sales orders "
                    + "(\(o.open) open, \(o.invoiced) invoiced, \(o.cancelled) cancelled), \(o.sales) sales, \(o.creditNotes) credit notes")
        for name in DemoStores.names {
            guard let store = s.stores[name] else { continue }
            let note = store.synced ? "" : "  (not synced: currency USD ≠ MXN)"
            let statuses = store.orderStatuses.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            Swift.print("  \(name.padding(toLength: 15, withPad: " ", startingAt: 0)) \(store.customers) customers, \(store.skus) SKUs, "
                        + "\(store.orders) orders\(statuses.isEmpty ? "" : " (\(statuses))")\(note)")
        }

        Swift.print("")
        Swift.print("The edits, on every side")
        let a = s.bothSides, b = s.conflict
        Swift.print("  \(a.email): last name \"\(a.lastName ?? "—")\", phone \(phones(a))")
        Swift.print("  \(b.email): phone \(phones(b))  (Oorden's later edit wins the same field)")
        Swift.print("  \(s.created.email): in Shopify \(yes(s.created.inShopify)), in WooCommerce \(yes(s.created.inWoo))")
        if let fixed = s.fixed {
            Swift.print("  \(fixed.email): in Oorden \(yes(fixed.inOorden)) (released from held)")
        }
        if !s.edits.repricedSKU.isEmpty {
            Swift.print("  \(s.edits.repricedSKU): price in Oorden \(s.repricedOorden ?? "—"), in Shopify \(s.repricedShopify ?? "—")")
        }

        let held = try engine.heldRecords()
        Swift.print("")
        Swift.print("Held records (\(held.count)), with the reason; they sync as soon as they are fixed")
        for (code, group) in Dictionary(grouping: held.filter { $0.kind != .order }, by: { $0.reason.code.rawValue }).sorted(by: { $0.key < $1.key }) {
            let example = group[0]
            Swift.print("  \(code) × \(group.count)   e.g. \(example.link) \(example.kind.rawValue) \(example.remoteID): \(example.reason.message)")
        }
        for order in s.heldOrders {
            Swift.print("  \(order.code)   \(order.store) order \(order.remoteID): \(order.reason)")
        }

        if let entity = try engine.entity(kind: .contact, naturalKey: a.email), let inspection = try engine.inspect(entity) {
            Swift.print("")
            Swift.print("Why \(a.email) looks like this (oorden-sync inspect contact --email \(a.email))")
            for line in inspection.table() { Swift.print("  \(line)") }
            Swift.print("  links: " + inspection.links.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        Swift.print("")
        Swift.print("Stores saved to \(s.directory)/stores; run the demo again with the same --dir to continue (round \(s.round + 1)).")
    }

    func yes(_ b: Bool) -> String { b ? "yes" : "no" }

    func phones(_ c: DemoSummary.ContactState) -> String {
        "Oorden \(c.oordenPhone ?? "—"), Shopify \(c.shopifyPhone ?? "—"), WooCommerce \(c.wooPhone ?? "—")"
    }
}
