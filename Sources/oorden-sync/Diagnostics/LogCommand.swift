import ArgumentParser
import Foundation
import SyncCore
import SyncEngine

/// `oorden-sync log`: an entity's change history, including the writes that lost.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show an entity's field writes as the engine merged them, with both stamps, including writes that lost.",
        discussion: """
            Every write a sync pass ingested from a store or from Oorden whose value differed from the merged \
            one: the incoming value and stamp, the value and stamp it replaced (won) or lost to (lost). The \
            last 50 writes of each field are kept. Select the entity as with `inspect`:
              oorden-sync log contact --email ana@example.mx --engine oorden-demo/engine.sqlite
              oorden-sync log product --sku PLAY-M --config oorden-sync.json --field price
              oorden-sync log contact --store tienda-shopify:7000000000012 --config oorden-sync.json --json
            """
    )

    @OptionGroup var selection: EntitySelection

    @Option(help: "Only this field's writes (e.g. phone, price).")
    var field: String?

    @OptionGroup var options: EngineOptions

    func run() throws {
        let engine = try options.open()
        let inspection = try selection.resolve(in: engine)
        let entries = try engine.history(of: inspection.entity, field: field)
        if options.json {
            printJSON(.object([
                "entity": .string(inspection.entity.hex),
                "kind": .string(inspection.kind.rawValue),
                "links": .object(inspection.links.mapValues { .string($0) }),
                "entries": .array(entries.map(\.json)),
            ]))
            return
        }
        printSafe("\(inspection.kind.rawValue) \(inspection.entity.hex)  links: "
              + inspection.links.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        guard !entries.isEmpty else {
            printSafe("No recorded writes\(field.map { " of \($0)" } ?? "") (history starts with this version of the engine database).")
            return
        }
        for line in Self.table(entries) { printSafe("  \(line)") }
        let lost = entries.filter { $0.outcome == .lost }.count
        printSafe("\(entries.count) writes, \(lost) lost. A lost write was older than the value already there (the later edit wins).")
    }

    /// Aligned text lines: field, outcome, value and stamp written, by whom, and what it replaced or lost to.
    static func table(_ entries: [FieldHistoryEntry]) -> [String] {
        func clip(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }
        let rows = entries.map { e -> [String] in
            let previousStamp = e.previousStamp.map { "\($0.hlc) \(e.previousWriter ?? $0.replica.short)" } ?? ""
            let previous: String
            if let value = e.previousValue {
                previous = (e.outcome == .won ? "replaced " : "lost to ") + clip(value.description, 30)
            } else {
                previous = "first value"
            }
            return [e.field, e.outcome.rawValue, clip(e.value.description, 30), e.stamp.hlc.description, e.writer, previous, previousStamp]
        }
        let headers = ["field", "outcome", "value", "written at (HLC)", "by", "replaced / lost to", "its stamp, by"]
        var widths = headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
    }
}
