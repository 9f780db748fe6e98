import SyncCore

/// The amounts of a document computed from its lines: per-line net and tax, tax summary, totals.
///
/// Amounts are in cents precision (two decimals) and computed line by line, as the stores do:
/// a line's total is `quantity × unitPrice − discount` rounded to cents; without included tax its
/// tax is `net × rate / 100` rounded to cents; with included tax its net is
/// `total / (1 + rate / 100)` rounded to cents and its tax the rest. Shipping is one more line.
///
/// ```swift
/// let t = try SalesOrderTotals(lines: draft.lines, shipping: ExactDecimal(99), shippingTaxID: iva.id,
///                              rates: [iva.id: ExactDecimal(16)], pricesIncludeTax: false, rounding: .zero)
/// draft.rounding = storeTotal - t.total   // the explicit rounding line, if any
/// ```
public struct SalesOrderTotals: Sendable, Hashable {
    /// One line's amounts.
    public struct Line: Sendable, Hashable {
        public let net: ExactDecimal
        public let taxAmount: ExactDecimal
        public let lineTotal: ExactDecimal
    }

    /// Money is kept to cents.
    public static let moneyScale = 2
    /// The largest rounding line accepted, in either direction.
    public static let maxRounding = ExactDecimal(1)

    public let lines: [Line]
    public let taxes: [TaxSummary]
    public let shippingNet: ExactDecimal
    public let subtotal: ExactDecimal
    public let taxTotal: ExactDecimal
    public let rounding: ExactDecimal
    public let total: ExactDecimal

    /// Computes the totals; `rates` maps tax id → percentage for every tax id used.
    public init(lines drafts: [SalesOrderLineDraft], shipping: ExactDecimal, shippingTaxID: Int64?, rates: [Int64: ExactDecimal],
                pricesIncludeTax: Bool, rounding: ExactDecimal) throws {
        let scale = SalesOrderTotals.moneyScale
        var taxBase: [Int64: ExactDecimal] = [:]
        var taxAmount: [Int64: ExactDecimal] = [:]

        func split(_ gross: ExactDecimal, taxID: Int64?) throws -> (net: ExactDecimal, tax: ExactDecimal) {
            guard let taxID else { return (gross, .zero) }
            guard let rate = rates[taxID] else {
                throw LedgerError(.unknownTax, "tax \(taxID) does not exist; create it first or use an existing tax id")
            }
            guard !rate.isNegative, rate <= ExactDecimal(100), rate.scale <= LedgerLimits.maxPercentageScale else {
                throw LedgerError(.invalidValue, "tax rate \(rate) is outside 0…100 or has more than \(LedgerLimits.maxPercentageScale) decimals")
            }
            let net: ExactDecimal
            let tax: ExactDecimal
            if pricesIncludeTax {
                // (100 + rate) / 100, exact: the rate has at most 4 decimals.
                let divisor = (ExactDecimal(100) + rate) * (try ExactDecimal(significand: 1, scale: 2))
                net = gross.divided(by: divisor, scale: scale)!
                tax = gross - net
            } else {
                net = gross
                tax = (gross * rate).divided(by: ExactDecimal(100), scale: scale)!
            }
            taxBase[taxID, default: .zero] = taxBase[taxID, default: .zero] + net
            taxAmount[taxID, default: .zero] = taxAmount[taxID, default: .zero] + tax
            return (net, tax)
        }

        guard !drafts.isEmpty else {
            throw LedgerError(.missingField, "a sales order needs at least one line; add a line")
        }
        var computed: [Line] = []
        for (index, line) in drafts.enumerated() {
            let n = index + 1
            guard line.quantity > 0 else {
                throw LedgerError(.negativeQuantity, "line \(n) has quantity \(line.quantity); a sales order line needs a quantity of 1 or more (use a credit note for returns)")
            }
            try LedgerLimits.checkQuantity(line.quantity, "line \(n) quantity")
            try LedgerLimits.checkAmount(line.unitPrice, "line \(n) unit price")
            try LedgerLimits.checkAmount(line.discount, "line \(n) discount")
            guard !line.unitPrice.isNegative else {
                throw LedgerError(.invalidValue, "line \(n) has a negative unit price \(Money.text(line.unitPrice)); give a price of 0 or more")
            }
            let gross = line.unitPrice * ExactDecimal(Int(line.quantity))
            guard !line.discount.isNegative, line.discount <= gross else {
                throw LedgerError(.invalidValue, "line \(n) has discount \(Money.text(line.discount)); a discount must be between 0 and the line amount \(Money.text(gross))")
            }
            let total = (gross - line.discount).rounded(scale: scale)
            let (net, tax) = try split(total, taxID: line.taxID)
            computed.append(Line(net: net, taxAmount: tax, lineTotal: total))
        }
        try LedgerLimits.checkAmount(shipping, "shipping")
        guard !shipping.isNegative else {
            throw LedgerError(.invalidValue, "shipping \(shipping) is negative; give 0 or more")
        }
        let (shipNet, _) = try split(shipping.rounded(scale: scale), taxID: shippingTaxID)
        guard rounding.magnitudeAtMost(SalesOrderTotals.maxRounding), rounding.scale <= scale else {
            throw LedgerError(.invalidValue, "rounding \(Money.text(rounding)) is not a cent amount within ±\(Money.text(SalesOrderTotals.maxRounding)); check the lines and taxes, a larger difference is not rounding")
        }
        self.lines = computed
        self.taxes = taxBase.keys.sorted().map { TaxSummary(taxID: $0, base: taxBase[$0]!, amount: taxAmount[$0]!) }
        self.shippingNet = shipNet
        self.subtotal = computed.reduce(.zero) { $0 + $1.net }
        self.taxTotal = taxAmount.values.reduce(.zero, +)
        self.rounding = rounding
        self.total = subtotal + shipNet + taxTotal + rounding
    }
}

extension ExactDecimal {
    func magnitudeAtMost(_ limit: ExactDecimal) -> Bool {
        self <= limit && -limit <= self
    }
}
