import Foundation
import Synchronization
import OordenLedger
import SyncCore
import SyncDriver
import SyncEngine

/// Numbers the temp directories of runs in this process.
private let runCounter = Atomic<Int>(0)

/// A broken invariant: which one, on which entity, and what was seen.
public struct SimFailure: Sendable, Hashable, CustomStringConvertible {
    /// `convergence`, `winner`, `stock`, `duplicates`, `order_facts`, `held`, `quiescence` or `engine_error` (a pass threw).
    public var invariant: String
    /// The entity (`contact c3@sim.test`, `product SIM-2`) or `-`.
    public var entity: String
    public var detail: String

    public var description: String { "invariant=\(invariant) entity=\(entity): \(detail)" }
}

/// What one seed did.
public struct SimResult: Sendable {
    public var seed: UInt64
    public var configuration: SimConfiguration
    public var ops: [SimOp]
    /// Ops that ran (generated ops plus the heal passes).
    public var opsExecuted: Int
    /// Faults injected, by kind (`http_429`, `http_5xx`, `timeout`, `crash`, `clock_back`).
    public var faults: [String: Int]
    /// Commerce ops that ran and changed something, by kind (`order`, `refund`, `store_stock`, …).
    public var activity: [String: Int]
    /// The first failing invariant, or nil.
    public var failure: SimFailure?
    /// A hash of everything the run did and saw; equal for two runs of one seed.
    public var traceHash: UInt64
    /// Records the engine held after healing, by `link|reason code` (empty if the run failed before).
    public var held: [String: Int] = [:]
}

/// The convergence simulator: runs one seed's ops against the real engine, ledger and emulators,
/// heals, and checks the invariants of docs/simulator.md.
///
/// ```swift
/// let result = try await Simulation.run(seed: 42)
/// if let failure = result.failure { print(failure) }
/// ```
public enum Simulation {
    /// Runs a seed: its configuration and op list are derived from it.
    public static func run(seed: UInt64, small: Bool = false, mutation: SimMutation = .none) async throws -> SimResult {
        let configuration = SimConfiguration.pick(seed: seed, small: small)
        return try await run(seed: seed, configuration: configuration, ops: SimOp.generate(seed: seed, configuration: configuration), mutation: mutation)
    }

    /// Runs an explicit op list (shrinking runs subsets of a seed's ops).
    /// With `trace`, every event of the run is also printed to standard error.
    public static func run(seed: UInt64, configuration: SimConfiguration, ops: [SimOp], mutation: SimMutation = .none, trace: Bool = false) async throws -> SimResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("oorden-sim-\(ProcessInfo.processInfo.processIdentifier)-\(seed)-\(runCounter.add(1, ordering: .relaxed).newValue)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let world = try SimWorld(seed: seed, configuration: configuration, mutation: mutation, directory: directory)
        if configuration.webhooks { try await world.registerWebhooks() }
        var runner = SimRunner(world: world, configuration: configuration)
        runner.trace.echo = trace
        for op in ops {
            try await runner.apply(op)
            // A run never waits on I/O, so it would keep its thread of the cooperative pool (one per
            // core) to the end; yielding between ops lets whatever else the process runs (the test
            // suite's loopback servers) have a turn. It changes nothing in the run: one task, no timing.
            await Task.yield()
        }
        let failure = try await runner.healAndCheck()
        return SimResult(seed: seed, configuration: configuration, ops: ops, opsExecuted: runner.executed, faults: runner.faults, activity: runner.activity,
                         failure: failure, traceHash: runner.trace.value, held: runner.heldAtEnd)
    }

    /// Removes ops while the same invariant still fails; returns the smallest list found (bounded by `maxRuns`).
    public static func shrink(_ result: SimResult, mutation: SimMutation = .none, maxRuns: Int = 150) async throws -> [SimOp] {
        guard let failure = result.failure else { return result.ops }
        var ops = result.ops
        var runs = 0
        var chunk = max(1, ops.count / 2)
        while chunk >= 1, runs < maxRuns {
            var start = 0
            var removedAny = false
            while start < ops.count, runs < maxRuns {
                var candidate = ops
                candidate.removeSubrange(start..<min(ops.count, start + chunk))
                runs += 1
                let r = try await run(seed: result.seed, configuration: result.configuration, ops: candidate, mutation: mutation)
                if r.failure?.invariant == failure.invariant {
                    ops = candidate
                    removedAny = true
                } else {
                    start += chunk
                }
            }
            if !removedAny || chunk > 1 { chunk /= 2 }
            if chunk == 0 { break }
        }
        return ops
    }
}

/// FNV-1a over the run's events.
struct TraceHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    /// Also print each event to standard error (`oorden-sim --trace`), for reading a failing run.
    var echo = false

    mutating func add(_ text: String) {
        if echo { FileHandle.standardError.write(Data("trace: \(text)\n".utf8)) }
        for b in text.utf8 {
            value ^= UInt64(b)
            value = value &* 0x100_0000_01b3
        }
        value ^= 0x0A
        value = value &* 0x100_0000_01b3
    }
}
