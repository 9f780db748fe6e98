// oorden-sim: the deterministic convergence simulator (docs/simulator.md).
//
//   oorden-sim --seed 42              one seed
//   oorden-sim --seeds 200            seeds 1…200 (with --from N: N…N+199)
//   oorden-sim --seed 42 --check-determinism
//   options: --small (smaller worlds), --mutation oorden-times-in-past|oorden-stock-echoes|oorden-raw-ledger-time, --no-shrink, --quiet,
//            --trace (print the events of the shrunk run to standard error)
import Foundation
import SyncCore
import SyncSimulation

struct Options {
    var seeds: [UInt64] = [1]
    var checkDeterminism = false
    var small = false
    var shrink = true
    var quiet = false
    var trace = false
    var mutation: SimMutation = .none
}

func usage(_ message: String) -> Never {
    FileHandle.standardError.write(Data("oorden-sim: \(message)\nusage: oorden-sim [--seed N | --seeds N [--from N]] [--check-determinism] [--small] [--no-shrink] [--quiet] [--trace] [--mutation \(SimMutation.allCases.map(\.rawValue).joined(separator: "|"))]\n".utf8))
    exit(2)
}

func parse(_ args: [String]) -> Options {
    var o = Options()
    var count: UInt64?
    var from: UInt64 = 1
    var single: UInt64?
    var i = 0
    func value() -> String {
        i += 1
        guard i < args.count else { usage("\(args[i - 1]) needs a value") }
        return args[i]
    }
    while i < args.count {
        switch args[i] {
        case "--seed": guard let n = UInt64(value()) else { usage("--seed expects a non-negative integer") }
            single = n
        case "--seeds": guard let n = UInt64(value()) else { usage("--seeds expects a positive integer") }
            count = n
        case "--from": guard let n = UInt64(value()) else { usage("--from expects a non-negative integer") }
            from = n
        case "--check-determinism": o.checkDeterminism = true
        case "--small": o.small = true
        case "--no-shrink": o.shrink = false
        case "--quiet": o.quiet = true
        case "--trace": o.trace = true
        case "--mutation": guard let m = SimMutation(rawValue: value()) else { usage("unknown mutation") }
            o.mutation = m
        case "-h", "--help": usage("help")
        default: usage("unknown argument \(args[i])")
        }
        i += 1
    }
    if let single { o.seeds = [single] } else if let count { o.seeds = count == 0 ? [] : Array(from..<(from + count)) } else if from != 1 { o.seeds = [from] }
    return o
}

let options = parse(Array(CommandLine.arguments.dropFirst()))
let clock = SystemWallClock()
let started = clock.nowMilliseconds()
var failures = 0
var totalOps = 0
var faults: [String: Int] = [:]
var activity: [String: Int] = [:]

for seed in options.seeds {
    let config = SimConfiguration.pick(seed: seed, small: options.small)
    if !options.quiet || options.seeds.count == 1 { print("seed=\(seed) \(config)") }
    let result: SimResult
    do {
        result = try await Simulation.run(seed: seed, small: options.small, mutation: options.mutation)
    } catch {
        failures += 1
        print("FAIL seed=\(seed) invariant=error: the run threw \(error)")
        print("replay: swift run -c release oorden-sim --seed \(seed)\(options.small ? " --small" : "")")
        continue
    }
    totalOps += result.opsExecuted
    for (k, v) in result.faults { faults[k, default: 0] += v }
    for (k, v) in result.activity { activity[k, default: 0] += v }
    if options.checkDeterminism {
        let again = try await Simulation.run(seed: seed, small: options.small, mutation: options.mutation)
        let same = again.traceHash == result.traceHash
        print("determinism seed=\(seed) trace=\(String(result.traceHash, radix: 16)) again=\(String(again.traceHash, radix: 16)) \(same ? "same" : "DIFFERENT")")
        if !same { failures += 1 }
    }
    if let failure = result.failure {
        failures += 1
        print("FAIL seed=\(seed) \(failure)")
        if options.shrink {
            let shrunk = try await Simulation.shrink(result, mutation: options.mutation)
            print("shrunk ops (\(shrunk.count) of \(result.ops.count)):")
            for op in shrunk { print("  \(op)") }
            // --trace prints the events of this last run (the shrunk one) to standard error.
            let replayed = try await Simulation.run(seed: seed, configuration: result.configuration, ops: shrunk, mutation: options.mutation, trace: options.trace)
            print("shrunk run: \(replayed.failure?.description ?? "passes")")
        }
        let flags = (options.small ? " --small" : "") + (options.mutation == .none ? "" : " --mutation \(options.mutation.rawValue)")
        print("replay: swift run -c release oorden-sim --seed \(seed)\(flags)")
    } else if !options.quiet {
        print("ok seed=\(seed) ops=\(result.opsExecuted) trace=\(String(result.traceHash, radix: 16))")
    }
}

let seconds = max(0.001, Double(clock.nowMilliseconds() - started) / 1000)
func rate(_ x: Double) -> String { String(format: "%.1f", x) }
print("activity " + activity.keys.sorted().map { "\($0)=\(activity[$0] ?? 0)" }.joined(separator: " "))
print("faults " + ["http_429", "http_5xx", "http_applied_5xx", "timeout", "crash", "clock_back", "ledger_clock_back", "webhook_drop", "webhook_duplicate", "webhook_delay", "webhook_reorder", "token_expiry"].map { "\($0)=\(faults[$0] ?? 0)" }.joined(separator: " "))
print("SIM seeds=\(options.seeds.count) failures=\(failures) seeds_per_s=\(rate(Double(options.seeds.count) / seconds)) ops_per_s=\(rate(Double(totalOps) / seconds))")
exit(failures == 0 ? 0 : 1)
