import ArgumentParser
import Foundation
import SyncCore
import SyncEngine

/// `oorden-sync problems`: the held records, with reason, age and a payload excerpt.
struct ProblemsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "problems",
        abstract: "List records that are held instead of synced, with the reason and what to do."
    )

    @OptionGroup var options: EngineOptions

    func run() throws {
        let engine = try options.open()
        let held = try engine.heldRecords()
        let now = SystemWallClock().nowMilliseconds()
        if options.json {
            printJSON(.array(held.map { h in
                .object([
                    "id": .integer(Int(h.id)), "side": .string(h.link), "kind": .string(h.kind.rawValue), "remote_id": .string(h.remoteID),
                    "code": .string(h.reason.code.rawValue), "reason": .string(h.reason.message),
                    "held_since": .string(ISO8601Time.format(h.firstHeldAt, zulu: true)), "payload": .string(h.payload),
                ])
            }))
            return
        }
        guard !held.isEmpty else {
            printSafe("No held records.")
            return
        }
        for h in held {
            let age = Self.age(now - h.firstHeldAt)
            printSafe("#\(h.id)  \(h.link) \(h.kind.rawValue) \(h.remoteID)  [\(h.reason.code.rawValue)]  held \(age)")
            printSafe("    \(h.reason.message)")
            printSafe("    payload: \(h.payload.prefix(160))\(h.payload.count > 160 ? "…" : "")")
        }
        printSafe("\(held.count) held. They are retried automatically when fixed; `oorden-sync retry ID` retries one now.")
    }

    static func age(_ ms: Int64) -> String {
        let s = max(ms, 0) / 1000
        if s < 120 { return "\(s) s ago" }
        if s < 7_200 { return "\(s / 60) min ago" }
        if s < 172_800 { return "\(s / 3600) h ago" }
        return "\(s / 86_400) days ago"
    }
}

/// `oorden-sync retry ID`: releases one held record so the next pass tries it again.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Release a held record (by the id `problems` shows) so the next sync pass tries it again."
    )

    @Argument(help: "The held record's id.")
    var id: Int64

    @OptionGroup var options: EngineOptions

    func run() throws {
        let engine = try options.open()
        guard try engine.retryHeld(id: id) else { throw CLIError("no held record #\(id); `oorden-sync problems` lists them") }
        if options.json {
            printJSON(.object(["released": .integer(Int(id))]))
            return
        }
        printSafe("Released #\(id); the next sync pass tries it again.")
    }
}
