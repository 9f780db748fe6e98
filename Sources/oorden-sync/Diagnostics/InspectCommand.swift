import ArgumentParser
import Foundation
import SyncCore
import SyncEngine

/// `oorden-sync inspect`: why a record looks the way it does.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show an entity's fields with their values, stamps and writers, and its links to every side.",
        discussion: """
            Select the entity by id, by e-mail (contacts), by SKU (products) or by a side's id:
              oorden-sync inspect contact --email ana@example.mx --engine oorden-demo/engine.sqlite
              oorden-sync inspect product --sku PLAY-M --config oorden-sync.json
              oorden-sync inspect contact --store tienda-shopify:7000000000012 --config oorden-sync.json
            `oorden-sync log` shows how the fields got there, including writes that lost.
            """
    )

    @OptionGroup var selection: EntitySelection

    @OptionGroup var options: EngineOptions

    func run() throws {
        let engine = try options.open()
        let inspection = try selection.resolve(in: engine)
        if options.json {
            printJSON(inspection.json)
            return
        }
        printSafe("\(inspection.kind.rawValue) \(inspection.entity.hex)\(inspection.isDeleted ? " (deleted)" : "")")
        for line in inspection.table() { printSafe("  \(line)") }
        printSafe("links: " + inspection.links.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        for (name, value) in inspection.counters.sorted(by: { $0.key < $1.key }) { printSafe("\(name): \(value)") }
    }
}
