import Foundation
import OordenLedger
import SyncCore
import Testing

/// A fresh in-memory ledger with a company in MXN and IVA 16 %, on a manual clock.
struct LedgerFixture {
    let clock = ManualClock(milliseconds: 1_796_000_000_000)
    let ledger: OordenLedger
    let iva: Tax

    init(currency: String = "MXN") throws {
        ledger = try OordenLedger(inMemoryWith: clock)
        try ledger.setCompany(name: "Mi Empresa", currency: currency)
        iva = try ledger.createTax(TaxDraft(name: "IVA", percentage: ExactDecimal(16)))
    }
}

func dec(_ text: String) -> ExactDecimal {
    ExactDecimal.parse(text)!
}

/// Runs `body`, expects a ``LedgerError`` with `code`, and checks no table changed.
func expectRefused(_ ledger: OordenLedger, _ code: LedgerError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                   _ body: () throws -> Void) throws {
    let before = try ledger.rowCounts()
    let feed = try ledger.latestChangeSequence()
    do {
        try body()
        Issue.record("expected LedgerError \(code.rawValue), but the call succeeded", sourceLocation: sourceLocation)
    } catch let error as LedgerError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
    }
    #expect(try ledger.rowCounts() == before, "a refused call changed rows", sourceLocation: sourceLocation)
    #expect(try ledger.latestChangeSequence() == feed, sourceLocation: sourceLocation)
}

/// A unique file path in the temporary directory, removed (with WAL files) by `cleanup`.
struct TemporaryLedgerFile {
    let path = NSTemporaryDirectory() + "oorden-ledger-test-\(UUID().uuidString).sqlite"

    func cleanup() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
