import SyncCore

/// The company the ledger belongs to: its name and main currency.
///
/// The main currency is an ISO 4217 code (`MXN`); every sales order must be in it, and the sync
/// engine refuses a store whose currency differs.
public struct Company: Sendable, Hashable {
    public let name: String
    public let currency: String
    public let createdAt: Int64
    public let updatedAt: Int64

    public init(name: String, currency: String, createdAt: Int64, updatedAt: Int64) {
        self.name = name
        self.currency = currency
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Validates and upper-cases a currency code: exactly three ASCII letters.
    public static func normalizedCurrency(_ text: String) throws -> String {
        let code = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            throw LedgerError(.invalidValue, "currency \"\(text.prefix(20))\" is not an ISO 4217 code; use three letters such as MXN, USD or EUR")
        }
        return code
    }
}
