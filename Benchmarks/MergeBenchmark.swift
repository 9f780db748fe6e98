import Foundation
import GRDB
import SyncCore
import SyncStore

/// `merge`: the CRDT store's merge rate against a plain SQLite upsert of the same rows.
///
/// Both databases are files in one temporary directory with the same pragmas (WAL,
/// `synchronous = NORMAL`), the same key (entity, field) as `WITHOUT ROWID` tables, the same row
/// contents, cached prepared statements and one transaction per batch. The CRDT side also pays for
/// what merge really does: the stamp comparison, the entity registry and the changed-field report.
struct MergeBenchmark {
    let entities: Int
    let fields: Int
    let batch: Int
    /// Rounds of (plain, crdt, stale), each on fresh databases; the best time of each side counts,
    /// which filters out another process stealing the CPU during one run.
    let rounds: Int

    func run() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-bench-merge-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        var rng = SeededRandom(seed: 2026)
        let origin = ReplicaID.random(using: &rng)
        let author = ReplicaID.random(using: &rng)
        let ids = (0..<entities).map { _ in EntityID.random(using: &rng) }
        let fieldNames = (0..<fields).map { "field_\($0)" }
        let total = entities * fields
        print("merge: \(entities) entities × \(fields) fields = \(total) field changes, batches of \(batch)")

        func changes(_ pass: Int, stale: Bool) -> [RegisterChange] {
            var out: [RegisterChange] = []
            out.reserveCapacity(total)
            var seq: Int64 = Int64(pass * total)
            for (i, e) in ids.enumerated() {
                for (j, f) in fieldNames.enumerated() {
                    seq += 1
                    // Stale pass: every other change carries an older stamp than the stored one and loses.
                    let loses = stale && (i + j) % 2 == 0
                    let ms: Int64 = 1_795_964_405_000 + (loses ? -1_000 : Int64(pass) * 1_000)
                    out.append(RegisterChange(entity: e, kind: .contact, field: f, value: .string("valor \(pass)-\(i)-\(j)"),
                                              stamp: Stamp(hlc: HLC(milliseconds: ms, counter: 0), replica: author),
                                              origin: origin, sequence: seq))
                }
            }
            return out
        }

        let plainRows = changes(0, stale: false)
        let staleRows = changes(1, stale: true)
        var plainSeconds = Double.infinity, crdtSeconds = Double.infinity, staleSeconds = Double.infinity
        for round in 1...rounds {
            let (p, c, st) = try runRound(round, dir: dir, plainRows: plainRows, staleRows: staleRows, total: total, rng: &rng)
            print(String(format: "round %d: plain %.2f s, crdt %.2f s, stale %.2f s", round, p, c, st))
            plainSeconds = min(plainSeconds, p)
            crdtSeconds = min(crdtSeconds, c)
            staleSeconds = min(staleSeconds, st)
        }

        let plainRate = Double(total) / plainSeconds
        let crdtRate = Double(total) / crdtSeconds
        let staleRate = Double(total) / staleSeconds
        print(String(format: "plain upsert: %.2f s, %.0f rows/s", plainSeconds, plainRate))
        print(String(format: "crdt merge:   %.2f s, %.0f rows/s", crdtSeconds, crdtRate))
        print(String(format: "crdt stale:   %.2f s, %.0f rows/s (half lose)", staleSeconds, staleRate))
        print(String(format: "BENCH merge crdt_rows_per_s=%.0f plain_rows_per_s=%.0f ratio=%.2f stale_ratio=%.2f",
                     crdtRate, plainRate, crdtRate / plainRate, staleRate / plainRate))
    }

    func runRound(_ round: Int, dir: URL, plainRows: [RegisterChange], staleRows: [RegisterChange], total: Int,
                  rng: inout SeededRandom) throws -> (Double, Double, Double) {
        // Plain baseline.
        let plain = try DatabaseQueue(path: dir.appendingPathComponent("plain-\(round).sqlite").path, configuration: Self.configuration())
        _ = try plain.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        try plain.write { db in
            try db.execute(sql: """
                CREATE TABLE plain (entity BLOB NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, hlc INTEGER NOT NULL,
                replica BLOB NOT NULL, origin BLOB NOT NULL, sequence INTEGER NOT NULL, PRIMARY KEY (entity, field)) WITHOUT ROWID
                """)
        }
        let plainSeconds = try time {
            for start in stride(from: 0, to: plainRows.count, by: batch) {
                let slice = plainRows[start..<min(start + batch, plainRows.count)]
                try plain.write { db in
                    let upsert = try db.cachedStatement(sql: """
                        INSERT INTO plain (entity, field, value, hlc, replica, origin, sequence) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (entity, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc,
                        replica = excluded.replica, origin = excluded.origin, sequence = excluded.sequence
                        """)
                    for c in slice {
                        try upsert.execute(arguments: [c.entity.blob, c.field, c.value.encoded, c.stamp.hlc.int64,
                                                       c.stamp.replica.blob, c.origin.blob, c.sequence])
                    }
                }
            }
        }

        // CRDT merge of the same rows into an empty store.
        let store = try CRDTStore.open(path: dir.appendingPathComponent("crdt-\(round).sqlite").path, newReplica: ReplicaID.random(using: &rng))
        var changed = 0
        let crdtSeconds = try time {
            for start in stride(from: 0, to: plainRows.count, by: batch) {
                changed += try store.merge(Array(plainRows[start..<min(start + batch, plainRows.count)])).count
            }
        }
        precondition(changed == total, "every fresh change must be reported as a change (\(changed) of \(total))")

        // Stale run: half the incoming changes carry older stamps and lose.
        var staleChanged = 0
        let staleSeconds = try time {
            for start in stride(from: 0, to: staleRows.count, by: batch) {
                staleChanged += try store.merge(Array(staleRows[start..<min(start + batch, staleRows.count)])).count
            }
        }
        precondition(staleChanged == total / 2, "half the stale pass must win (\(staleChanged) of \(total))")
        return (plainSeconds, crdtSeconds, staleSeconds)
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        return config
    }

    func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
