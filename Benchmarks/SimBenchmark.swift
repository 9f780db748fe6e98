import Foundation

/// `sim`: the convergence simulator's throughput — seeds and ops per second of `Simulation.run`.
///
/// `oorden-bench` does not link the simulator's library, so this runs the `oorden-sim` executable
/// built next to it (`swift build -c release --product oorden-sim`) over seeds 1…`seeds` with
/// `--quiet --no-shrink`, and reads its closing `SIM … seeds_per_s=… ops_per_s=…` line. Those rates
/// are timed by `oorden-sim` around its `Simulation.run` loop only (process start-up is not counted).
struct SimBenchmark {
    let seeds: Int
    let small: Bool

    func run() throws {
        let here = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let sim = here.deletingLastPathComponent().appendingPathComponent("oorden-sim")
        guard FileManager.default.isExecutableFile(atPath: sim.path) else {
            throw BenchmarkError("\(sim.path) is missing; build it first: swift build -c release --product oorden-sim")
        }
        let process = Process()
        process.executableURL = sim
        process.arguments = ["--seeds", String(seeds), "--quiet", "--no-shrink"] + (small ? ["--small"] : [])
        let pipe = Pipe()
        process.standardOutput = pipe
        print("running oorden-sim \(process.arguments?.joined(separator: " ") ?? "")…")
        let started = DispatchTime.now().uptimeNanoseconds
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        for line in output.split(separator: "\n") { print("  " + line) }
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("SIM ") }) else {
            throw BenchmarkError("oorden-sim printed no SIM line (status \(process.terminationStatus))")
        }
        var fields: [String: String] = [:]
        for pair in line.split(separator: " ").dropFirst() {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
        }
        guard let seedsPerSecond = fields["seeds_per_s"], let opsPerSecond = fields["ops_per_s"] else {
            throw BenchmarkError("oorden-sim's SIM line has no rates: \(line)")
        }
        print(String(format: "%d seeds in %.1f s of wall time (process included)", seeds, wall))
        print("BENCH sim seeds_per_s=\(seedsPerSecond) ops_per_s=\(opsPerSecond) seeds=\(seeds) failures=\(fields["failures"] ?? "?")\(small ? " small=1" : "")")
    }
}
