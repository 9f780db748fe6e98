import SyncCore

/// What `oorden-sync ledger list` can show.
public enum LedgerListKind: String, Sendable, Hashable, CaseIterable {
    case contacts, products, taxes, orders, sales, movements
}

/// A list of ledger records as a table and as JSON, for the CLI.
///
/// ```swift
/// let listing = try LedgerListing(.products, of: ledger)
/// print(listing.table())       // aligned columns
/// print(listing.json.jsonText) // [{"id":1,"sku":"TAZA-1",…}]
/// ```
public struct LedgerListing: Sendable, Hashable {
    public let headers: [String]
    public let rows: [[String]]
    /// An array with one object per record; money as two-decimal strings (``Money/text(_:)``).
    public let json: JSONValue

    public init(headers: [String], rows: [[String]], json: JSONValue) {
        self.headers = headers
        self.rows = rows
        self.json = json
    }

    /// Reads the records of `kind` from `ledger`.
    public init(_ kind: LedgerListKind, of ledger: OordenLedger) throws {
        switch kind {
        case .contacts:
            let items = try ledger.contacts()
            self.init(headers: ["ID", "FIRST NAME", "LAST NAME", "EMAIL", "PHONE", "COMPANY", "ARCHIVED"],
                      rows: items.map { [String($0.id), $0.firstName, $0.lastName, $0.email ?? "", $0.phone ?? "", $0.company ?? "", $0.archived ? "yes" : "no"] },
                      json: .array(items.map(\.json)))
        case .products:
            let items = try ledger.products()
            let stock = try ledger.stockLevels()
            self.init(headers: ["ID", "SKU", "NAME", "PRICE", "TAX", "TAXABLE", "ACTIVE", "STOCK"],
                      rows: items.map {
                          [String($0.id), $0.sku, $0.name, Money.text($0.price), $0.taxID.map(String.init) ?? "",
                           $0.taxable ? "yes" : "no", $0.active ? "yes" : "no", String(stock[$0.id] ?? 0)]
                      },
                      json: .array(items.map { $0.json(stock: stock[$0.id] ?? 0) }))
        case .taxes:
            let items = try ledger.taxes()
            self.init(headers: ["ID", "NAME", "PERCENTAGE"], rows: items.map { [String($0.id), $0.name, $0.percentage.description] },
                      json: .array(items.map(\.json)))
        case .orders:
            let items = try ledger.salesOrders()
            self.init(headers: ["ID", "NUMBER", "DATE", "STATUS", "CONTACT", "CURRENCY", "TOTAL", "EXTERNAL"],
                      rows: items.map {
                          [String($0.id), $0.number, ISO8601Time.format($0.date, zulu: true), $0.status.rawValue, $0.contactID.map(String.init) ?? "",
                           $0.currency, Money.text($0.total), $0.externalReference.map { "\($0.store)#\($0.remoteID)" } ?? ""]
                      },
                      json: .array(items.map(\.json)))
        case .sales:
            let items = try ledger.sales()
            let notes = try ledger.creditNotes()
            self.init(headers: ["ID", "NUMBER", "DATE", "ORDER", "CURRENCY", "TOTAL", "CREDITED"],
                      rows: items.map { sale in
                          let credited = notes.filter { $0.saleID == sale.id }.reduce(ExactDecimal.zero) { $0 + $1.amount }
                          return [String(sale.id), sale.number, ISO8601Time.format(sale.date, zulu: true), String(sale.orderID), sale.currency,
                                  Money.text(sale.total), Money.text(credited)]
                      },
                      json: .array(items.map { sale in sale.json(creditNotes: notes.filter { $0.saleID == sale.id }) }))
        case .movements:
            let items = try ledger.movements()
            self.init(headers: ["ID", "TIME", "PRODUCT", "QUANTITY", "KIND", "REFERENCE", "ORIGIN"],
                      rows: items.map {
                          [String($0.id), ISO8601Time.format($0.time, fractional: true, zulu: true), String($0.productID), String($0.quantity),
                           $0.kind.rawValue, $0.reference ?? "", $0.origin.rawValue]
                      },
                      json: .array(items.map(\.json)))
        }
    }

    /// The rows as aligned columns under a header line; `(none)` when empty.
    public func table() -> String {
        guard !rows.isEmpty else { return headers.joined(separator: "  ") + "\n(none)\n" }
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], Self.flatten(cell).count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let text = Self.flatten(cell)
                parts.append(i == cells.count - 1 ? text : text + String(repeating: " ", count: widths[i] - text.count))
            }
            return parts.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// Newlines and tabs become spaces, so a note cannot break the table.
    static func flatten(_ cell: String) -> String {
        String(cell.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
    }
}
