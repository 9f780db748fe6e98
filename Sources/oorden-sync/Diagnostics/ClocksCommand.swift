import ArgumentParser
import Foundation
import SyncCore
import SyncEngine
import SyncStore

/// `oorden-sync clocks`: each replica's clock high-water mark and each store's clock offset.
struct ClocksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clocks",
        abstract: "Show each replica's hybrid-clock high-water mark and each store's estimated clock offset."
    )

    @OptionGroup var options: EngineOptions

    func run() throws {
        let engine = try options.open()
        let (highWaters, labels, vector) = try engine.store.read { r in (try r.clockHighWaters(), try r.replicaLabels(), try r.versionVector()) }
        let links = try engine.links()
        if options.json {
            printJSON(.object([
                "replicas": .array(labels.sorted { $0.value < $1.value }.map { replica, label in
                    .object(["replica": .string(replica.hex), "label": .string(label),
                             "high_water": highWaters[replica].map { .string($0.description) } ?? .null,
                             "log_sequence": .number(String(vector[replica]))])
                }),
                "stores": .array(links.map { .object(["store": .string($0.name), "clock_offset_ms": .number(String($0.clockOffsetMilliseconds))]) }),
            ]))
            return
        }
        print("Replicas")
        for (replica, label) in labels.sorted(by: { $0.value < $1.value }) {
            let hw = highWaters[replica].map(\.description) ?? "—"
            print("  \(label.padding(toLength: 28, withPad: " ", startingAt: 0)) \(replica.short)  high-water \(hw)  log \(vector[replica])")
        }
        print("Store clocks (store minus ours, from HTTP Date headers)")
        for link in links {
            print("  \(link.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(link.clockOffsetMilliseconds >= 0 ? "+" : "")\(link.clockOffsetMilliseconds) ms")
        }
    }
}

/// `oorden-sync export --out FILE.gz`: the whole CRDT state as a gzip change set.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the CRDT state (every register and counter) to a gzip change-set file."
    )

    @Option(help: "The file to write (e.g. state.json.gz).")
    var out: String

    @OptionGroup var options: EngineOptions

    func run() throws {
        let engine = try options.open()
        let changes = try engine.store.changes(since: VersionVector())
        try ChangeSetArchive.write(changes, to: out)
        if options.json {
            printJSON(.object(["file": .string(out), "registers": .integer(changes.registers.count), "counter_cells": .integer(changes.counters.count)]))
            return
        }
        print("Wrote \(changes.registers.count) registers and \(changes.counters.count) counter cells to \(out).")
    }
}

/// `oorden-sync import FILE.gz`: merges an exported change set; a damaged file changes nothing.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Merge an exported change-set file into the CRDT state (idempotent; a damaged file changes nothing)."
    )

    @Argument(help: "The file written by `oorden-sync export`.")
    var file: String

    @OptionGroup var options: EngineOptions

    func run() throws {
        let engine = try options.open()
        let changes = try ChangeSetArchive.read(from: file)
        let report = try engine.store.apply(changes, physical: SystemWallClock().nowMilliseconds())
        if options.json {
            printJSON(.object([
                "registers": .integer(changes.registers.count), "fields_changed": .integer(report.changedFields.count),
                "stale_registers": .integer(report.staleRegisters), "counters_changed": .integer(report.changedCounters.count),
                "clamped_readings": .integer(report.clampedReadings.count),
            ]))
            return
        }
        print("Merged \(changes.registers.count) registers: \(report.changedFields.count) fields changed, \(report.staleRegisters) already here or older; \(report.changedCounters.count) counters grew.")
        if !report.clampedReadings.isEmpty {
            print("Note: \(report.clampedReadings.count) stamps were more than 5 minutes ahead of this machine's clock; the clock did not follow them.")
        }
    }
}
