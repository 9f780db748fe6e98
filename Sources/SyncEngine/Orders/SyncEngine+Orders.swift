import Foundation
import SyncCore
import SyncStore

/// When a store order counts as finalized: its sale is then registered and applied in Oorden.
public enum FinalizeRule: Sendable, Hashable {
    /// Money was captured (Shopify `financial_status` paid, partially refunded or refunded).
    case paid
    /// The store's own status equals this (WooCommerce `completed` by default).
    case storeStatus(String)

    /// `paid`, or a store status such as `completed` or `processing`.
    public init(parsing text: String) {
        self = text == "paid" ? .paid : .storeStatus(text)
    }

    func isFinalized(_ order: OrderRecord) -> Bool {
        switch self {
        case .paid: order.lifecycle.isPaid
        case .storeStatus(let s): order.storeStatus == s || (s == "completed" && order.storeStatus == "refunded")
        }
    }
}

/// What the engine did with a store order.
public struct OrderOutcome: Sendable, Hashable {
    public var remoteID: String
    /// Facts applied in this call: `sales_order`, `sale`, `cancelled`, `credit:refund:<id>`, `credit:cancel`.
    public var facts: [String]
    /// Set when the order is held instead.
    public var held: HoldReason?
}

/// What to do with an order line whose SKU Oorden does not have.
public enum UnknownSKUPolicy: Sendable, Hashable {
    /// Create the product in Oorden from the line (the default).
    case create
    /// Hold the order until the product exists.
    case hold
}

extension SyncEngine {
    /// Applies store orders to Oorden as a set of facts, each exactly once: the sales order
    /// (*Pedido*) when the order first arrives; the registered sale (*Venta*) when it is finalized;
    /// the cancellation of the sales order if it is cancelled before the sale; a credit note per refund
    /// (and for the rest of the total on a cancel) after the sale.
    ///
    /// Each document carries the order's external reference, so a repeated or reordered delivery finds
    /// what was already applied and does nothing twice. An order that breaks a rule — another currency,
    /// a tax rate Oorden lacks, an incomplete guest contact, totals that differ by more than rounding —
    /// is held with the reason and retried on every pass until its cause is fixed.
    public func applyOrders(_ orders: [IncomingRecord<OrderRecord>], from linkName: String, host: any OordenSalesHost,
                            finalizeOn: FinalizeRule, unknownSKU: UnknownSKUPolicy = .create) throws -> [OrderOutcome] {
        // One engine transaction around one host batch; each order's writes still stand or fail alone.
        try batched(host) { engine, host in
            try engine.applyOrderBatch(orders, from: linkName, host: host, finalizeOn: finalizeOn, unknownSKU: unknownSKU)
        }
    }

    func applyOrderBatch(_ orders: [IncomingRecord<OrderRecord>], from linkName: String, host: any OordenSalesHost,
                         finalizeOn: FinalizeRule, unknownSKU: UnknownSKUPolicy) throws -> [OrderOutcome] {
        guard try link(named: linkName) != nil else { throw SyncEngineError.unknownLink(linkName) }
        let origin = try oordenReplica()
        let company = try host.companyCurrency()
        var out: [OrderOutcome] = []
        for incoming in orders {
            let order = incoming.record
            do {
                let facts = try applyOrder(order, link: linkName, host: host, company: company, origin: origin,
                                           finalizeOn: finalizeOn, unknownSKU: unknownSKU)
                try releaseHold(link: linkName, kind: .order, remoteID: order.remoteID)
                if !facts.isEmpty, let salesOrder = try host.salesOrder(store: linkName, remoteID: order.remoteID) {
                    try recordOrderShadow(salesOrderID: salesOrder.id, host: host)
                }
                if !facts.isEmpty {
                    // Its documents moved Oorden's stock (reservations, releases): re-check those products.
                    let skus = order.lines.compactMap { $0.sku?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    let entities = try skus.compactMap { try entity(kind: .product, naturalKey: $0) }
                    try store.write { tx in for e in entities { try markDirty(tx.db, e) } }
                }
                out.append(OrderOutcome(remoteID: order.remoteID, facts: facts, held: nil))
            } catch let reason as HoldReason {
                try hold(link: linkName, kind: .order, remoteID: order.remoteID, reason: reason, payload: incoming.payload)
                out.append(OrderOutcome(remoteID: order.remoteID, facts: [], held: reason))
            }
        }
        return out
    }

    /// The largest difference between the store's total and Oorden's that is booked as an explicit
    /// rounding line (per-line cent rounding adds up on long orders); more holds the order.
    static let maxRounding = ExactDecimal.parse("0.05")!

    func applyOrder(_ order: OrderRecord, link: String, host: any OordenSalesHost, company: String?, origin: ReplicaID,
                    finalizeOn: FinalizeRule, unknownSKU: UnknownSKUPolicy) throws -> [String] {
        guard let company else {
            throw HoldReason(code: .companyNotSetUp, message: "The Oorden company has no main currency yet; set it up, then the order syncs.")
        }
        guard order.currency.uppercased() == company.uppercased() else {
            throw HoldReason(code: .currencyMismatch,
                             message: "Order \(order.number) is in \(order.currency) but the company's main currency is \(company); it is not imported.")
        }
        var facts: [String] = []
        var salesOrder: HostSalesOrder
        if let existing = try host.salesOrder(store: link, remoteID: order.remoteID) {
            salesOrder = existing
        } else {
            var draft = try salesOrderDraft(order, link: link, host: host, origin: origin, unknownSKU: unknownSKU)
            let computed = try host.previewTotal(draft)
            let difference = order.total - computed
            let magnitude = difference.isNegative ? -difference : difference
            guard magnitude <= Self.maxRounding else {
                throw HoldReason(code: .totalMismatch,
                                 message: "Order \(order.number) totals \(order.total.formatted(scale: 2)) \(order.currency) in store \(link), but its lines, taxes and shipping add up to \(computed.formatted(scale: 2)) in Oorden. Check the order's discounts and taxes in the store.")
            }
            draft.rounding = difference
            salesOrder = try host.createSalesOrder(draft, origin: origin)
            facts.append("sales_order")
        }

        let finalized = finalizeOn.isFinalized(order) && !order.lifecycle.cancelled
        if finalized && salesOrder.status == .open {
            try host.registerSale(salesOrderID: salesOrder.id, date: order.completedAt ?? order.paidAt ?? order.updatedAt, origin: origin)
            salesOrder.status = .invoiced
            facts.append("sale")
        }
        // Refunds after the sale: one credit note each, never beyond the order's total.
        if salesOrder.status == .invoiced {
            for refund in order.refunds where refund.amount > .zero {
                let marker = "refund:\(refund.remoteID)"
                guard !salesOrder.creditMarkers.contains(marker) else { continue }
                let amount = min(refund.amount, salesOrder.total - salesOrder.credited)
                guard amount > .zero else { continue }
                try host.createCreditNote(salesOrderID: salesOrder.id, amount: amount, marker: marker, date: refund.createdAt, origin: origin)
                salesOrder.creditMarkers.insert(marker)
                salesOrder.credited = salesOrder.credited + amount
                facts.append("credit:\(marker)")
            }
        }
        let fullyRefunded = order.lifecycle.financial == .refunded || order.storeStatus == "refunded"
        if order.lifecycle.cancelled || (fullyRefunded && salesOrder.status == .open) {
            switch salesOrder.status {
            case .open:
                try host.cancelSalesOrder(id: salesOrder.id, origin: origin)
                facts.append("cancelled")
            case .invoiced where order.lifecycle.cancelled && !salesOrder.creditMarkers.contains("cancel"):
                let rest = salesOrder.total - salesOrder.credited
                if rest > .zero {
                    try host.createCreditNote(salesOrderID: salesOrder.id, amount: rest, marker: "cancel", date: order.lifecycle.cancelledAt, origin: origin)
                    facts.append("credit:cancel")
                }
            default:
                break
            }
        }
        return facts
    }

    func salesOrderDraft(_ order: OrderRecord, link: String, host: any OordenSalesHost, origin: ReplicaID,
                         unknownSKU: UnknownSKUPolicy) throws -> HostSalesOrderDraft {
        func taxID(_ taxLines: [OrderTaxLine], what: String) throws -> String? {
            let rates = Set(taxLines.filter { !$0.amount.isZero || $0.ratePercent.map { !$0.isZero } == true }.map(\.ratePercent))
            guard !rates.isEmpty else { return nil }
            guard rates.count == 1, let only = rates.first else {
                throw HoldReason(code: .unsupportedTax, message: "Order \(order.number): \(what) carries several tax rates at once; Oorden applies one tax per line.")
            }
            guard let percent = only else {
                throw HoldReason(code: .missingTax, message: "Order \(order.number): the store did not say the tax rate of \(what); re-save the tax rates in the store.")
            }
            guard let id = try host.taxID(percent: percent) else {
                throw HoldReason(code: .missingTax,
                                 message: "No tax in Oorden with rate \(percent) % — create it in Oorden (Configuración > Impuestos); order \(order.number) syncs as soon as it exists.")
            }
            return id
        }

        var lines: [HostSalesOrderDraft.Line] = []
        for line in order.lines {
            var productID: String? = nil
            if let sku = line.sku?.trimmingCharacters(in: .whitespaces), !sku.isEmpty {
                if let found = try host.find(.product, naturalKey: sku) {
                    productID = found.id
                } else if unknownSKU == .create {
                    productID = try host.create(.product, fields: [
                        .sku: .string(sku), .name: .string(line.title), .price: .decimal(line.unitPrice),
                        .taxable: .bool(!line.taxLines.isEmpty), .active: .bool(true),
                    ], origin: origin).id
                } else {
                    throw HoldReason(code: .unknownSKU, message: "Order \(order.number): Oorden has no product with SKU \(sku); create it, then the order syncs.")
                }
            }
            lines.append(HostSalesOrderDraft.Line(productID: productID, description: line.title, quantity: Int64(line.quantity),
                                                  unitPrice: line.unitPrice, discount: line.discount,
                                                  taxID: try taxID(line.taxLines, what: "line \"\(line.title)\"")))
        }
        let shipping = order.shippingLines.reduce(ExactDecimal.zero) { $0 + $1.price }
        let shippingTax = try taxID(order.shippingLines.flatMap(\.taxLines), what: "shipping")
        return HostSalesOrderDraft(
            store: link, remoteID: order.remoteID, number: order.number, contactID: try orderContact(order, link: link, host: host, origin: origin),
            date: order.createdAt, currency: order.currency, pricesIncludeTax: order.taxesIncluded, lines: lines,
            shipping: shipping, shippingTaxID: shippingTax, rounding: .zero, expectedTotal: order.total, note: order.note,
            shippingAddress: order.shippingAddress.map(\.json))
    }

    /// The Oorden contact of an order: its linked customer, the contact with its e-mail (linked by the
    /// engine, archived or not, or found in Oorden), or a new
    /// contact from the billing data of a guest checkout (held if incomplete).
    func orderContact(_ order: OrderRecord, link: String, host: any OordenSalesHost, origin: ReplicaID) throws -> String? {
        if let customer = order.customerRemoteID, let entity = try entity(link: link, kind: .contact, remoteID: customer),
           let id = try remoteID(side: SideLink.oordenName, kind: .contact, entity: entity) {
            return id
        }
        let email = ContactRecord.normalizedEmail(order.email)
        // The engine's own contact with this e-mail, even archived (its store customer may have been
        // deleted after the order): a second Oorden contact with the same e-mail would be a duplicate.
        if let email, let entity = try entity(kind: .contact, naturalKey: email),
           let id = try remoteID(side: SideLink.oordenName, kind: .contact, entity: entity) {
            return id
        }
        if let email, let found = try host.find(.contact, naturalKey: email) {
            return found.id
        }
        let billing = order.billingAddress ?? order.shippingAddress
        var fields: FieldValues = [
            .email: order.email.map(Value.string) ?? .null,
            .firstName: billing?.firstName.map(Value.string) ?? .null,
            .lastName: billing?.lastName.map(Value.string) ?? .null,
        ]
        if let phone = billing?.phone { fields[.phone] = .string(phone) }
        if let reason = ContactRules.holdReason(fields) {
            throw HoldReason(code: reason.code, message: "Order \(order.number): the buyer cannot become an Oorden contact. \(reason.message)")
        }
        return try host.create(.contact, fields: fields, origin: origin).id
    }

    func releaseHold(link: String, kind: EntityKind, remoteID: String) throws {
        try store.write { tx in try HeldRecords.release(tx.db, link: link, kind: kind, remoteID: remoteID) }
    }
}

extension HoldReason: Error {}
