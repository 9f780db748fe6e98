import SyncCore

/// Why a ledger operation was refused.
///
/// Every refusal leaves the ledger unchanged: mutations run in one transaction that is rolled back
/// on error. The ``message`` says what is wrong and what to do about it, so the CLI and the sync
/// engine can show it to a merchant as is.
///
/// ```swift
/// do { try ledger.createProduct(ProductDraft(sku: "A-1", name: "Taza", price: ExactDecimal(10))) }
/// catch let error as LedgerError where error.code == .duplicateSKU { print(error.message) }
/// ```
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case invalidValue = "invalid_value"
        case missingField = "missing_field"
        case unknownField = "unknown_field"
        case companyNotSet = "company_not_set"
        case currencyMismatch = "currency_mismatch"
        case currencyLocked = "currency_locked"
        case unknownTax = "unknown_tax"
        case duplicateTax = "duplicate_tax"
        case unknownContact = "unknown_contact"
        case duplicateEmail = "duplicate_email"
        case unknownProduct = "unknown_product"
        case duplicateSKU = "duplicate_sku"
        case negativeQuantity = "negative_quantity"
        case unknownOrder = "unknown_order"
        case duplicateNumber = "duplicate_number"
        case duplicateExternalReference = "duplicate_external_reference"
        case totalMismatch = "total_mismatch"
        case orderNotOpen = "order_not_open"
        case orderInvoiced = "order_invoiced"
        case unknownSale = "unknown_sale"
        case creditExceedsSale = "credit_exceeds_sale"
        case returnExceedsSold = "return_exceeds_sold"
        case storage = "storage"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "ledger \(code.rawValue): \(message)" }
}
