import Dispatch
import Foundation

/// Waits for SIGINT or SIGTERM without installing a handler that kills the process outright, so a
/// command can stop its servers and exit 0.
enum TerminationSignal {
    private final class Sources: @unchecked Sendable {
        // Written once, in the stream's build closure, before anything reads it.
        var sources: [DispatchSourceSignal] = []
    }

    static func wait() async {
        let holder = Sources()
        let stream = AsyncStream<Int32> { continuation in
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue.global())
                source.setEventHandler { continuation.yield(sig) }
                source.resume()
                holder.sources.append(source)
            }
        }
        for await _ in stream { break }
        holder.sources.forEach { $0.cancel() }
    }
}
