import SyncCore

/// How the ledger writes an amount of money, everywhere it shows one: its JSON (`ledger list --json`,
/// `ledger add|set --json`), its tables, its error messages and the CLI's summaries.
///
/// Money is text with the currency's decimals — `"16.00"`, never `"16"` — so a person reads an amount
/// the way an invoice shows it and a program never confuses an amount with a count or a percentage.
/// The text is exact decimal (a JSON string, not a float), so it parses back to the same value.
public enum Money {
    /// Decimal places money is shown with.
    ///
    /// The reference ledger keeps every document amount in cents (``SalesOrderTotals/moneyScale``)
    /// whatever the company's currency, and the currencies it is used with — MXN, USD, EUR — have two
    /// decimals; the ledger has no table of other currencies' minor units. Change this one place if
    /// it ever gets one.
    public static let decimals = SalesOrderTotals.moneyScale

    /// `16` → `"16.00"`, `189.5` → `"189.50"`, `-3` → `"-3.00"`.
    ///
    /// An amount stored with more decimals than the currency's (a product's unit price may have up to
    /// ``LedgerLimits/maxAmountScale``) keeps them — `0.125` → `"0.125"` — because rounding it here
    /// would show a price that is not the one the ledger computes with.
    public static func text(_ amount: ExactDecimal) -> String {
        amount.formatted(scale: max(decimals, amount.scale))
    }
}
