import Foundation
import OordenLedger
import SyncCore
import Testing

/// Names that carry terminal escape codes or bidirectional overrides are shown escaped, never raw
/// (docs/cli.md, "Output").
@Suite("oorden-sync output: escape codes and bidi overrides are shown escaped")
struct CLITerminalTextTests {
    @Test("ledger list shows an ANSI escape and a right-to-left override as \\u escapes, in text and JSON")
    func ledgerListEscapesControls() async throws {
        let cli = try CLI.locate()
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ledger.sqlite").path
        let ledger = try OordenLedger(path: path, clock: SystemWallClock())
        _ = try ledger.setCompany(name: "Mi Empresa", currency: "MXN")
        _ = try ledger.createContact(ContactDraft(firstName: "Eva\u{1B}[2J", lastName: "Mar\u{202E}txt.exe", email: "eva.mar@ejemplo.mx"))

        let text = try await cli.succeed(["ledger", "list", "contacts", "--ledger", path]).stdout
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E }, "no raw escape or override reaches the terminal")
        #expect(text.contains("Eva\\u001B[2J") && text.contains("Mar\\u202Etxt.exe"), "\(text)")

        let json = try await cli.succeed(["ledger", "list", "contacts", "--ledger", path, "--json"])
        #expect(!json.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
        let first = try json.json().array?.first
        #expect(first?["first_name"]?.string == "Eva\u{1B}[2J" && first?["last_name"]?.string == "Mar\u{202E}txt.exe",
                "the JSON still says exactly what Oorden holds")
    }
}
