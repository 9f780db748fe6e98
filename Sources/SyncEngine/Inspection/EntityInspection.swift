import Foundation
import GRDB
import SyncCore
import SyncStore

/// Why a record looks the way it does: every field with its value, stamp and writer, and its links.
///
/// This is what support staff see with `oorden-sync inspect`.
public struct EntityInspection: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: Value
        public var stamp: Stamp
        /// The writing side's label (`oorden`, `shopify:tienda`), or the replica's short id.
        public var writer: String
    }

    public var entity: EntityID
    public var kind: EntityKind
    public var fields: [Field]
    /// Side name → remote id (`oorden` → ledger id, store name → store id).
    public var links: [String: String]
    /// Counter name → value (stock).
    public var counters: [String: Int64]
    public var isDeleted: Bool

    /// The inspection as JSON, for `--json`.
    public var json: JSONValue {
        .object([
            "entity": .string(entity.hex),
            "kind": .string(kind.rawValue),
            "deleted": .bool(isDeleted),
            "links": .object(links.mapValues { .string($0) }),
            "counters": .object(counters.mapValues { .number(String($0)) }),
            "fields": .array(fields.map { f in
                .object([
                    "name": .string(f.name), "value": .string(f.value.description), "stamp": .string(f.stamp.description),
                    "time": .string(f.stamp.hlc.description), "writer": .string(f.writer),
                ])
            }),
        ])
    }

    /// Aligned text lines: field, value, written at, by.
    public func table() -> [String] {
        let rows = fields.map { [$0.name, Self.clip($0.value.description, 42), $0.stamp.hlc.description, $0.writer] }
        let headers = ["field", "value", "written at (HLC)", "by"]
        var widths = headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return [line(headers)] + rows.map(line)
    }

    static func clip(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }
}

extension SyncEngine {
    /// Every field of an entity with its stamp and writer, its links and counters.
    public func inspect(_ entity: EntityID) throws -> EntityInspection? {
        try store.read { r in
            guard let state = try r.entity(entity) else { return nil }
            let labels = try r.replicaLabels()
            let fields = state.registers.registers.sorted { $0.key < $1.key }.map { name, register in
                EntityInspection.Field(name: name, value: register.value, stamp: register.stamp,
                                       writer: labels[register.stamp.replica].flatMap { $0.isEmpty ? nil : $0 } ?? register.stamp.replica.short)
            }
            let links = try RemoteIDRow.remoteIDs(r.db, of: entity)
            return EntityInspection(entity: entity, kind: state.kind, fields: fields, links: links,
                                    counters: state.counters.mapValues(\.value), isDeleted: state.registers.isDeleted)
        }
    }
}
