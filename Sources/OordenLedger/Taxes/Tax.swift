import SyncCore

/// A tax of the company, such as "IVA 16 %".
///
/// The percentage is exact (`16`, `8`, `0`, `10.5`): store tax rates are matched against it with
/// exact decimal comparison, so `0.16 × 100` matches `16.0000`.
public struct Tax: Sendable, Hashable {
    public let id: Int64
    public let name: String
    /// The rate in percent, e.g. `16` for 16 %.
    public let percentage: ExactDecimal
    public let createdAt: Int64

    public init(id: Int64, name: String, percentage: ExactDecimal, createdAt: Int64) {
        self.id = id
        self.name = name
        self.percentage = percentage
        self.createdAt = createdAt
    }
}

/// The fields of a new tax.
public struct TaxDraft: Sendable, Hashable {
    public var name: String
    public var percentage: ExactDecimal

    public init(name: String, percentage: ExactDecimal) {
        self.name = name
        self.percentage = percentage
    }
}
