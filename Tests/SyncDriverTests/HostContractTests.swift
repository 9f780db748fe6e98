import Connectors
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import StoreEmulators
import SyncCore
import SyncDriver
import SyncEngine
import Testing

/// A host says what it provides (``OordenHost/sales``, ``OordenHost/stock``); the driver goes by
/// that value, never by the host's type.
@Suite("Host contract: sales and stock are declared")
struct HostContractTests {
    @Test("a host over a ledger that could keep sales documents but declares none: store orders are not read, no document is made")
    func declaredWithoutSales() async throws {
        let w = try World(shopifyCustomers: 2, shopifyProducts: 2, withWoo: false)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        let variant = try #require(w.shopify.products().first?["variants"]?[0]?["id"]?.int)
        let customer = try #require(w.shopify.customers().first { World.validEmails([$0]).count == 1 }?["id"]?.int)
        _ = try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 2)], customerID: customer)
        let contactsOnly = DeclaredHost(inner: OordenLedgerHost(ledger: w.ledger), keepsSales: false)
        let driver = SyncDriver(engine: w.engine, host: contactsOnly, endpoints: w.driver.endpoints, clock: w.clock, logger: Logger(label: "test"))

        let summary = try await driver.pass()

        #expect(summary.failures.isEmpty, "\(summary.failures)")
        #expect(summary.stores["shopify"]?.ordersPulled == 0)
        #expect(try w.ledger.salesOrders().isEmpty)
        #expect(try w.ledger.contacts().count >= 1, "contacts still sync")
    }

    @Test("the same host declaring its sales: the order becomes a sales order")
    func declaredWithSales() async throws {
        let w = try World(shopifyCustomers: 2, shopifyProducts: 2, withWoo: false)
        _ = try w.ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))
        let variant = try #require(w.shopify.products().first?["variants"]?[0]?["id"]?.int)
        let customer = try #require(w.shopify.customers().first { World.validEmails([$0]).count == 1 }?["id"]?.int)
        _ = try w.shopify.placeOrder(lines: [ShopifyOrderLine(variantID: variant, quantity: 2)], customerID: customer)
        let withSales = DeclaredHost(inner: OordenLedgerHost(ledger: w.ledger), keepsSales: true)
        let driver = SyncDriver(engine: w.engine, host: withSales, endpoints: w.driver.endpoints, clock: w.clock, logger: Logger(label: "test"))

        let summary = try await driver.pass()

        #expect(summary.stores["shopify"]?.ordersPulled == 1)
        #expect(summary.stores["shopify"]?.ordersHeld == 0)
        #expect(try w.ledger.salesOrders().count == 1)
    }
}

/// The reference host with its sales documents declared or not; everything else forwarded.
struct DeclaredHost: OordenHost {
    let inner: OordenLedgerHost
    let keepsSales: Bool

    var sales: (any OordenSalesHost)? { keepsSales ? inner : nil }
    var stock: (any OordenStockHost)? { inner }
    var batchesAtomically: Bool { inner.batchesAtomically }

    func batch<T>(_ body: (DeclaredHost) throws -> T) throws -> T {
        try inner.batch { joined in try body(DeclaredHost(inner: joined, keepsSales: keepsSales)) }
    }
    func companyCurrency() throws -> String? { try inner.companyCurrency() }
    func changes(after cursor: Int64, limit: Int) throws -> [HostChange] { try inner.changes(after: cursor, limit: limit) }
    func record(_ kind: RecordKind, id: String) throws -> HostRecord? { try inner.record(kind, id: id) }
    func find(_ kind: RecordKind, naturalKey: String) throws -> HostRecord? { try inner.find(kind, naturalKey: naturalKey) }
    func create(_ kind: RecordKind, fields: FieldValues, origin: ReplicaID) throws -> HostRecord {
        try inner.create(kind, fields: fields, origin: origin)
    }
    func update(_ kind: RecordKind, id: String, fields: FieldValues, origin: ReplicaID) throws -> HostRecord {
        try inner.update(kind, id: id, fields: fields, origin: origin)
    }
}
