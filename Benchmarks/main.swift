import Foundation

// oorden-bench: each benchmark prints its figures and ends with one `BENCH <name> key=value …` line.
// Baselines run in the same process, so ratios hold on noisy machines where absolute figures do not.

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
    usage: oorden-bench <benchmark> [options]

    benchmarks:
      merge [--entities N] [--fields N] [--batch N] [--rounds N]
          N×fields field changes into the CRDT store against a plain SQLite upsert of the same rows
          (default 100,000 entities × 10 fields in batches of 1,000), plus a stale run in which half
          the incoming changes lose. Each of --rounds (default 3) uses fresh databases; the best
          time of each side counts.
      import [--customers N] [--products N] [--orders N]
          an initial import from a Shopify emulator over loopback HTTP (rate limit off) into the ledger,
          against downloading and decoding the same pages (default 20,000 of each).
      import --platform graphql [--customers N] [--products N] [--orders N]
          the same import through the GraphQL Admin API: customers and products by bulk export (JSONL),
          orders by paged queries, query-cost limit off; against the same exports and queries decoded
          without the engine.
      pacing [--customers N] [--products N] [--orders N]
          the same import against a leaky bucket of 40 calls leaking 20/s: requests made over what the
          bucket admits in that time (40 + 20/s), for the import and for the download alone; 429s served.
      pacing --platform graphql [--seconds N] [--maximum N] [--restore N]
          GraphQL queries of 52 points, one after another for N seconds (default 20), paced by the cost
          Shopify reports against a bucket of --maximum points (default 1,000) restoring --restore a
          second (default 100, the Standard plan): points charged over what the bucket allows in that
          time, and THROTTLED answers.
      webhooks [--count N] [--rate N]
          N signed Shopify customers/update webhooks (default 2,000) POSTed over loopback HTTP at N/s
          (default 200) into an in-process daemon (the code of `oorden-sync run`): p50/p99 of the time
          from the receiver storing a delivery to the change being in the Oorden ledger.
      memory [--small N] [--large N]
          peak RSS of an import of N entities (a third each customers, products, orders; default 6,000
          and 60,000), each in a fresh child process importing from an emulator served by this process.
      sim [--seeds N] [--small]
          the simulator's throughput over seeds 1…N (default 100); runs the oorden-sim built next to
          this binary (swift build -c release --product oorden-sim).
    """

guard let name = arguments.first else {
    print(usage)
    exit(2)
}

func option(_ flag: String, default value: Int) -> Int {
    guard let i = arguments.firstIndex(of: flag) else { return value }
    guard i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 else {
        FileHandle.standardError.write(Data("oorden-bench: \(flag) needs a positive whole number\n".utf8))
        exit(2)
    }
    return n
}

do {
    switch name {
    case "merge":
        try MergeBenchmark(
            entities: option("--entities", default: 100_000),
            fields: option("--fields", default: 10),
            batch: option("--batch", default: 1_000),
            rounds: option("--rounds", default: 3)
        ).run()
    case "pacing" where arguments.contains("graphql"):
        try await GraphQLPacingProbe(seconds: Double(option("--seconds", default: 20)), maximum: option("--maximum", default: 1_000),
                                     restoreRate: option("--restore", default: 100)).report()
    case "import" where arguments.contains("graphql"):
        try await GraphQLImportBenchmark(
            customers: option("--customers", default: 20_000),
            products: option("--products", default: 20_000),
            orders: option("--orders", default: 20_000)
        ).run()
    case "import", "pacing":
        try await ImportBenchmark(
            customers: option("--customers", default: 20_000),
            products: option("--products", default: 20_000),
            orders: option("--orders", default: 20_000),
            paced: name == "pacing"
        ).run()
    case "webhooks":
        try await WebhookBenchmark(count: option("--count", default: 2_000), rate: option("--rate", default: 200)).run()
    case "memory":
        try await MemoryBenchmark(small: option("--small", default: 6_000), large: option("--large", default: 60_000)).run()
    case "memory-import":
        // The child process of `memory` (not listed in the usage).
        try await MemoryImportChild(port: option("--port", default: 0), customers: option("--customers", default: 1),
                                    products: option("--products", default: 1), orders: option("--orders", default: 1)).run()
    case "sim":
        try SimBenchmark(seeds: option("--seeds", default: 100), small: arguments.contains("--small")).run()
    default:
        FileHandle.standardError.write(Data("oorden-bench: unknown benchmark '\(name)'\n\n\(usage)\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("oorden-bench: \(error)\n".utf8))
    exit(1)
}
