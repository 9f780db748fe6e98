import Foundation

/// A task executor with threads of its own, outside Swift's cooperative pool.
///
/// The cooperative pool has one thread per core — two on the machines CI and many merchants'
/// servers run on — and the engine's SQLite work is synchronous: a long import, or in tests a
/// property check of a thousand cases, holds a pool thread for seconds. An HTTP server whose
/// tasks shared that pool would stop answering meanwhile; a store's webhook would time out (and
/// WooCommerce disables a webhook after a few failures). Tasks started with this executor as their
/// preference (SE-0417), and every child task they spawn, run on these threads instead.
///
/// ```swift
/// let executor = DedicatedThreadsExecutor(name: "http-server", threads: 2)
/// let task = Task(executorPreference: executor) { try await app.run() }
/// ```
///
/// Jobs run in the order they were enqueued, each on the first free thread.
package final class DedicatedThreadsExecutor: TaskExecutor, @unchecked Sendable {
    /// The threads the HTTP servers of a process share (``HTTPServerHost``).
    package static let servers = DedicatedThreadsExecutor(name: "oorden-http-server", threads: 2)

    // Guarded by `condition`; this is why the type is `@unchecked Sendable`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0

    /// Starts `threads` threads named `name`; they live as long as the process.
    package init(name: String, threads: Int) {
        precondition(threads > 0, "an executor needs at least one thread")
        for index in 0..<threads {
            let threadName = threads == 1 ? name : "\(name)-\(index)"
            // Named from inside: on Linux a name set before start() does not reach the thread,
            // which would carry its creator's name (often a pool thread's) in stack dumps.
            let thread = Thread { [self] in
                Thread.current.name = threadName
                runJobs()
            }
            thread.start()
        }
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func runJobs() {
        while true {
            condition.lock()
            while next == jobs.count { condition.wait() }
            let job = jobs[next]
            next += 1
            // Drop run jobs in one go rather than removeFirst() per job (O(n) each).
            if next == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                next = 0
            } else if next >= 1_024 {
                jobs.removeFirst(next)
                next = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
