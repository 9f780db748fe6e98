import Foundation
import Logging
import OordenLedger
import StoreEmulators
import SyncCore
import Testing

/// Orders through the CLI, end to end: `sync --once` reports what the store's orders became,
/// `ledger set order` makes the Oorden-side edits a person would make, the next pass writes them to
/// the store, and the ledger prints money with two decimals.
@Suite("oorden-sync orders: sync summary, ledger set order, money text")
struct CLIOrderEditTests {
    @Test("sync reports orders per store; ledger set order edits note, address, fulfilled and cancels; bad requests change nothing; the next pass writes the edits to the store")
    func orderEdits() async throws {
        let cli = try CLI.locate()
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = SystemWallClock()
        var logger = Logger(label: "order-edit-test")
        logger.logLevel = .critical
        let ledgerPath = dir.appendingPathComponent("ledger.sqlite").path
        let ledger = try OordenLedger(path: ledgerPath, clock: clock)
        _ = try ledger.setCompany(name: "Comercializadora del Bajío", currency: "MXN")
        _ = try ledger.createTax(TaxDraft(name: "IVA 16 %", percentage: ExactDecimal(16)))

        var shopConfig = ShopifyEmulatorConfiguration()
        shopConfig.rateLimitEnabled = false
        let shop = ShopifyEmulator(configuration: shopConfig, seed: 31, clock: clock)
        shop.seed(customers: 5, products: 3, orders: 10)
        let server = EmulatorServer(emulator: shop, logger: logger)
        let origin = "http://127.0.0.1:\(try await server.start())"
        let doc: JSONValue = .object([
            "engine": ["database": "engine.sqlite"], "ledger": ["path": "ledger.sqlite"],
            "stores": [["name": "tienda", "kind": "shopify", "url": .string(origin), "access_token_env": "ORDERS_SHOP_TOKEN"]],
        ])
        let config = dir.appendingPathComponent("oorden-sync.json").path
        try Data(doc.jsonText.utf8).write(to: URL(fileURLWithPath: config))
        let environment = ["ORDERS_SHOP_TOKEN": shop.credentials.accessToken]

        let imported = try await cli.run(["sync", "--config", config, "--once", "--json"], environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)\n\(imported.stdout)")

        // The summary's order counts are the ledger's documents (a fresh ledger holds only this pass's).
        let counts = try #require(try imported.json()["stores"]?["tienda"])
        let orders = try ledger.salesOrders()
        #expect(counts["orders_pulled"]?.int == shop.orders().count)
        #expect(counts["sales_orders"]?.int == orders.count)
        #expect(counts["sales"]?.int == (try ledger.sales()).count)
        #expect(counts["cancellations"]?.int == orders.filter { $0.status == .cancelled }.count)
        #expect(counts["credit_notes"]?.int == (try ledger.creditNotes()).count)
        #expect(counts["orders_held"]?.int == shop.orders().count - orders.count)
        #expect((counts["sales_orders"]?.int ?? 0) > 0 && (counts["cancellations"]?.int ?? 0) > 0 && (counts["credit_notes"]?.int ?? 0) > 0)

        // Money in `ledger list orders --json` is two-decimal text, equal to the ledger's amounts.
        let listed = try await cli.succeed(["ledger", "list", "orders", "--ledger", ledgerPath, "--json"]).json()
        let first = try #require(listed.array?.first)
        #expect(first["total"]?.string == orders[0].total.formatted(scale: 2))
        for key in ["subtotal", "tax_total", "total", "shipping", "shipping_net", "rounding"] {
            #expect(first[key]?.string?.wholeMatch(of: /-?\d+\.\d\d/) != nil, "\(key): \(first[key] ?? .null)")
        }
        #expect(first["lines"]?[0]?["unit_price"]?.string?.wholeMatch(of: /\d+\.\d\d+/) != nil)

        let open = orders.filter { $0.status == .open && $0.externalReference != nil }
        let invoiced = try #require(orders.first { $0.status == .invoiced })
        try #require(open.count >= 2, "the seed has pending and authorized orders")
        let edited = open[0], cancelled = open[1]
        let ledgerArgs = ["--ledger", ledgerPath]

        // Bad requests: each exits 1 with what is wrong, and changes nothing.
        func refused(_ arguments: [String], _ message: String) async throws {
            let before = try ledger.salesOrders()
            let result = try await cli.run(["ledger", "set", "order"] + arguments + ledgerArgs)
            #expect(result.status == 1, "\(arguments): \(result.stdout)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(try ledger.salesOrders() == before, "\(arguments) changed the ledger")
        }
        try await refused(["PED-999999", "note=x"], "no sales order has number or id \"PED-999999\"")
        try await refused([invoiced.number, "--cancel"], "sales order \(invoiced.number) is invoiced and cannot be cancelled; create a credit note against its sale instead")
        try await refused([edited.number, "shipping_address={\"address1\":\"Av. Juárez 12\"}"], "shipping address has no field address1; accepted: first_name, last_name")
        try await refused([edited.number, "shipping_address=[1]"], "field shipping_address must be a JSON object, not array")
        try await refused([edited.number, "shipping_address={city"], "field shipping_address is not JSON")
        try await refused([edited.number, "shipping_address.street=Juárez"], "shipping address has no field street")
        try await refused([edited.number, "fulfilled=maybe"], "field fulfilled has value \"maybe\"; accepted values: true, false")
        try await refused([edited.number, "status=cancelled"], "order has no field status; accepted fields: note, shipping_address, fulfilled")
        try await refused([edited.number, "note=Entregar", "fulfilled=yes", "--cancel"], "cannot be marked fulfilled and cancelled at once")

        // The edits a person makes in Oorden.
        let set = try await cli.succeed(["ledger", "set", "order", edited.number.lowercased(), "note=Entregar por la tarde",
                                   "shipping_address.city=Querétaro", "shipping_address.postal_code=76000", "fulfilled=yes"] + ledgerArgs)
        let remote = try #require(edited.externalReference?.remoteID)
        #expect(set.stdout == "updated sales order \(edited.number) (id \(edited.id)): note, shipping_address.city, shipping_address.postal_code, fulfilled; the next sync pass writes it to store tienda (order \(remote))\n")
        let cancel = try await cli.succeed(["ledger", "set", "order", String(cancelled.id), "--cancel", "--json"] + ledgerArgs).json()
        #expect(cancel["status"]?.string == "cancelled")
        #expect(cancel["number"]?.string == cancelled.number)
        try await refused([cancelled.number, "--cancel"], "sales order \(cancelled.number) is already cancelled")
        let after = try #require(try ledger.salesOrder(id: edited.id))
        #expect(after.note == "Entregar por la tarde" && after.fulfilled)
        #expect(after.shippingAddress?["city"]?.string == "Querétaro" && after.shippingAddress?["postal_code"]?.string == "76000")

        // The next pass writes them to the store; its summary has the orders line.
        let pushed = try await cli.run(["sync", "--config", config, "--once"], environment: environment)
        await server.stop()
        #expect(pushed.status == 0, "\(pushed.stderr)\n\(pushed.stdout)")
        #expect(pushed.stdout.contains("tienda: pulled \(shop.orders().count) orders: 0 sales orders, 0 sales, 0 cancellations, 0 credit notes created in Oorden;"),
                "\(pushed.stdout)")
        let storeOrder = try #require(shop.orders().first { $0["id"]?.int.map(String.init) == remote })
        #expect(storeOrder["note"]?.string == "Entregar por la tarde")
        #expect(storeOrder["fulfillment_status"]?.string == "fulfilled")
        #expect(storeOrder["shipping_address"]?["city"]?.string == "Querétaro")
        #expect(storeOrder["shipping_address"]?["zip"]?.string == "76000")
        let storeCancelled = try #require(shop.orders().first { $0["id"]?.int.map(String.init) == cancelled.externalReference?.remoteID })
        #expect(storeCancelled["cancelled_at"]?.isNull == false)
    }
}
