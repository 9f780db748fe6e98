import SyncCore

/// Bounds on quantities and amounts, so every computation stays exact within `Int128`.
///
/// Money is at most 10^12 with at most 6 decimals, quantities at most 10^9 units, tax
/// percentages at most 4 decimals. Input beyond them is refused with a clear error instead of
/// overflowing.
public enum LedgerLimits {
    public static let maxQuantity: Int64 = 1_000_000_000
    public static let maxAmount = ExactDecimal(1_000_000_000_000)
    public static let maxAmountScale = 6
    public static let maxPercentageScale = 4

    static func checkAmount(_ value: ExactDecimal, _ field: String) throws {
        guard value.scale <= maxAmountScale, value.magnitudeAtMost(maxAmount) else {
            throw LedgerError(.invalidValue, "\(field) \(value) is out of range; amounts are at most \(maxAmount) with at most \(maxAmountScale) decimals")
        }
    }

    static func checkQuantity(_ value: Int64, _ field: String) throws {
        guard value <= maxQuantity, value >= -maxQuantity else {
            throw LedgerError(.invalidValue, "\(field) \(value) is out of range; quantities are at most \(maxQuantity) units")
        }
    }
}
