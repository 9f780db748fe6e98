import Foundation
import OordenLedger
import StoreEmulators
import SyncCore
import SyncEngine

/// The demo's orders: what the stores were seeded with beyond the emulators' own order mix, and what
/// Oorden holds after the syncs.
///
/// The Shopify seed cycles through every state (paid, pending, fulfilled, partially refunded,
/// refunded, cancelled, authorized, closed, guest, voided); the WooCommerce seed through every status
/// (pending, processing, on-hold, completed, cancelled, refunded, failed). On top of that the
/// WooCommerce store gets a partial refund of a completed order and one order taxed at 11 %, a rate
/// the Oorden company lacks: that order is held with the reason until the tax exists in Oorden.
enum DemoOrders {
    /// The rate the demo's Oorden company does not have.
    static let missingRate = "11.0000"
    static let missingRateName = "IVA 11 % (tasa fronteriza anterior)"

    /// Guest shoppers who checked out in the Shopify store (the seed leaves their orders without a buyer).
    static let shopifyGuests = [("Ximena", "Aguilar Rivas", "Querétaro", "QRO"), ("Tomás", "Ibarra Luna", "Puebla", "PUE"),
                                ("Valeria", "Cordero Paz", "Mérida", "YUC"), ("Emilio", "Salas Vega", "León", "GUA")]

    /// Gives the Shopify store's guest orders the shopper's e-mail and billing address, as a real
    /// guest checkout has them: each guest becomes an Oorden contact when the order syncs.
    static func completeGuestCheckouts(_ shopify: ShopifyEmulator) throws {
        let guests = shopify.orders().filter { $0["customer"]?.isNull != false && ($0["email"]?.string ?? "").isEmpty }
        for (i, order) in guests.enumerated() {
            guard let id = order["id"]?.int else { continue }
            let (first, last, city, province) = shopifyGuests[i % shopifyGuests.count]
            let email = "\(ascii(first)).\(ascii(last.split(separator: " ")[0])).invitado\(i + 1)@ejemplo.mx"
            try shopify.updateOrder(id: id, [
                "email": .string(email),
                "billing_address": ["first_name": .string(first), "last_name": .string(last), "city": .string(city),
                                    "province_code": .string(province), "country_code": "MX", "country": "Mexico"],
            ])
        }
    }

    static func ascii(_ s: some StringProtocol) -> String {
        String(s).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
    }

    /// Adds the partial refund and the order with the missing tax rate to a freshly seeded store.
    static func addExtras(_ woo: WooCommerceEmulator) throws {
        let completed = woo.orders().filter { $0["status"]?.string == "completed" }
        if let order = completed.first, let id = order["id"]?.int, let total = order["total"]?.decimal,
           let part = (total * ExactDecimal(30)).divided(by: ExactDecimal(100), scale: 2), part > .zero {
            try woo.refundOrder(id, amount: part, reason: "Producto dañado: reembolso parcial")
        }
        let rate = try woo.createTaxRate(rate: missingRate, name: missingRateName, country: "MX")
        let product = woo.products().first {
            $0["type"]?.string == "simple" && $0["status"]?.string == "publish" && !($0["sku"]?.string ?? "").isEmpty
        }
        let customer = woo.customers().first?["id"]?.int ?? 0
        if let productID = product?["id"]?.int {
            try woo.placeOrder(WooCommerceOrderPlacement(lines: [.init(productID: productID, quantity: 1)], customerID: customer,
                                                         taxRateID: rate, status: "processing", customerNote: "Entrega en Tijuana"))
        }
    }

    /// Oorden's order documents, counted in the ledger.
    struct LedgerCounts: Sendable, Hashable {
        var salesOrders = 0
        var open = 0
        var invoiced = 0
        var cancelled = 0
        var sales = 0
        var creditNotes = 0

        init(_ ledger: OordenLedger) throws {
            let orders = try ledger.salesOrders()
            salesOrders = orders.count
            open = orders.filter { $0.status == .open }.count
            invoiced = orders.filter { $0.status == .invoiced }.count
            cancelled = orders.filter { $0.status == .cancelled }.count
            sales = try ledger.sales().count
            creditNotes = try ledger.creditNotes().count
        }

        var json: JSONValue {
            .object([
                "sales_orders": .integer(salesOrders), "open": .integer(open), "invoiced": .integer(invoiced),
                "cancelled": .integer(cancelled), "sales": .integer(sales), "credit_notes": .integer(creditNotes),
            ])
        }
    }

    /// A store order the engine holds, with the reason.
    struct Held: Sendable, Hashable {
        var store: String
        var remoteID: String
        var code: String
        var reason: String

        var json: JSONValue {
            .object(["store": .string(store), "remote_id": .string(remoteID), "code": .string(code), "reason": .string(reason)])
        }
    }

    static func held(_ engine: SyncEngine) throws -> [Held] {
        try engine.heldRecords().filter { $0.kind == .order }.map {
            Held(store: $0.link, remoteID: $0.remoteID, code: $0.reason.code.rawValue, reason: $0.reason.message)
        }
    }

    /// How many orders each store holds, by status (Shopify: `cancelled`, `fulfilled` when paid and shipped, else the financial status).
    static func storeStatuses(_ orders: [JSONValue], shopify: Bool) -> [String: Int] {
        var out: [String: Int] = [:]
        for o in orders {
            let status: String
            if shopify {
                let financial = o["financial_status"]?.string ?? "unknown"
                if o["cancelled_at"]?.string != nil {
                    status = "cancelled"
                } else if financial == "paid", o["fulfillment_status"]?.string == "fulfilled" {
                    status = "fulfilled"
                } else {
                    status = financial
                }
            } else {
                status = o["status"]?.string ?? "unknown"
            }
            out[status, default: 0] += 1
        }
        return out
    }
}
