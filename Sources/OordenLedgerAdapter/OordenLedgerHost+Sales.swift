import Foundation
import OordenLedger
import SyncCore
import SyncEngine

extension OordenLedgerHost: OordenSalesHost {
    public func taxID(percent: ExactDecimal) throws -> String? {
        try ledger.taxes(withPercentage: percent).first.map { String($0.id) }
    }

    public func salesOrder(store: String, remoteID: String) throws -> HostSalesOrder? {
        guard let order = try ledger.salesOrder(externalReference: ExternalReference(store: store, remoteID: remoteID)) else { return nil }
        let documents = try ledger.documents(ofOrder: order.id)
        let status: HostSalesOrder.Status = switch order.status {
        case .open: .open
        case .cancelled: .cancelled
        case .invoiced: .invoiced
        }
        let markers = Set(documents.creditNotes.compactMap { $0.reason.flatMap(Self.marker(in:)) })
        let credited = documents.creditNotes.reduce(ExactDecimal.zero) { $0 + $1.amount }
        return HostSalesOrder(id: String(order.id), number: order.number, status: status, total: order.total, creditMarkers: markers, credited: credited)
    }

    public func previewTotal(_ draft: HostSalesOrderDraft) throws -> ExactDecimal {
        let lines = try ledgerLines(draft)
        var rates: [Int64: ExactDecimal] = [:]
        for id in lines.compactMap(\.taxID) + (try draft.shippingTaxID.map { [try Self.number($0)] } ?? []) {
            if let tax = try ledger.tax(id: id) { rates[id] = tax.percentage }
        }
        return try SalesOrderTotals(lines: lines, shipping: draft.shipping, shippingTaxID: try draft.shippingTaxID.map(Self.number),
                                    rates: rates, pricesIncludeTax: draft.pricesIncludeTax, rounding: .zero).total
    }

    public func createSalesOrder(_ draft: HostSalesOrderDraft, origin: ReplicaID) throws -> HostSalesOrder {
        let order = try ledger.createSalesOrder(SalesOrderDraft(
            number: nil, contactID: try draft.contactID.map(Self.number), date: draft.date, currency: draft.currency,
            pricesIncludeTax: draft.pricesIncludeTax, lines: try ledgerLines(draft), shipping: draft.shipping,
            shippingTaxID: try draft.shippingTaxID.map(Self.number), rounding: draft.rounding, expectedTotal: draft.expectedTotal,
            note: draft.note, shippingAddress: draft.shippingAddress,
            externalReference: ExternalReference(store: draft.store, remoteID: draft.remoteID)), origin: .sync(replica: origin.hex))
        return HostSalesOrder(id: String(order.id), number: order.number, status: .open, total: order.total, creditMarkers: [], credited: .zero)
    }

    public func registerSale(salesOrderID: String, date: Int64?, origin: ReplicaID) throws {
        _ = try ledger.registerSale(orderID: try Self.number(salesOrderID), date: date, origin: .sync(replica: origin.hex))
    }

    public func cancelSalesOrder(id: String, origin: ReplicaID) throws {
        _ = try ledger.cancelSalesOrder(try Self.number(id), origin: .sync(replica: origin.hex))
    }

    public func createCreditNote(salesOrderID: String, amount: ExactDecimal, marker: String, date: Int64?, origin: ReplicaID) throws {
        guard let sale = try ledger.documents(ofOrder: try Self.number(salesOrderID)).sale else {
            throw SyncEngineError(code: .invalidConfiguration, message: "sales order \(salesOrderID) has no sale to credit")
        }
        _ = try ledger.createCreditNote(CreditNoteDraft(saleID: sale.id, amount: amount, reason: "[\(marker)]", date: date),
                                        origin: .sync(replica: origin.hex))
    }

    public func salesOrderEdits(id: String) throws -> (store: String, remoteID: String, fields: FieldValues)? {
        guard let order = try ledger.salesOrder(id: try Self.number(id)), let ref = order.externalReference else { return nil }
        return (ref.store, ref.remoteID, [
            .note: order.note.map(Value.string) ?? .null,
            .shippingAddress: order.shippingAddress.map(Value.json) ?? .null,
            .cancelled: .bool(order.status == .cancelled),
            .fulfilled: .bool(order.fulfilled),
        ])
    }

    func ledgerLines(_ draft: HostSalesOrderDraft) throws -> [SalesOrderLineDraft] {
        try draft.lines.map {
            SalesOrderLineDraft(productID: try $0.productID.map(Self.number), description: $0.description, quantity: $0.quantity,
                                unitPrice: $0.unitPrice, discount: $0.discount, taxID: try $0.taxID.map(Self.number))
        }
    }

    static func number(_ id: String) throws -> Int64 {
        guard let n = Int64(id) else { throw SyncEngineError(code: .invalidConfiguration, message: "Oorden id \"\(id)\" is not a number") }
        return n
    }

    /// `[refund:123]` → `refund:123`.
    static func marker(in reason: String) -> String? {
        guard let open = reason.firstIndex(of: "["), let close = reason[open...].firstIndex(of: "]") else { return nil }
        return String(reason[reason.index(after: open)..<close])
    }
}
