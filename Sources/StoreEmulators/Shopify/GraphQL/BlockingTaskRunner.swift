import Foundation
import HTTPServing
import Synchronization

/// Runs async work to completion for a synchronous caller, on a thread of its own.
///
/// GraphQLSwift/GraphQL 4.x executes with `async`/`await` (task groups per selection set, no NIO
/// futures), while ``StoreEmulator/handle(_:)`` is synchronous. Waiting for a task with a semaphore
/// is only safe when the task cannot need the thread that waits: on a 2-core machine the
/// cooperative pool has two threads, and a caller that is itself a pool thread (an `async` test, a
/// Hummingbird handler) would otherwise wait for work that can only run on the pool it blocks.
/// So every job of the task, and of the child tasks the executor spawns (they inherit the task
/// executor preference, SE-0417), runs on one dedicated thread that nobody blocks; the caller
/// waits on a semaphore that only that thread signals. Resolvers never take the shop's lock (they
/// read a value snapshot), so the emulator may hold its lock while it waits.
final class BlockingTaskRunner: Sendable {
    /// The process-wide runner: one thread serves every emulator (each request is short).
    static let shared = BlockingTaskRunner(name: "shopify-graphql-executor")

    private let executor: DedicatedThreadsExecutor

    private init(name: String) {
        executor = DedicatedThreadsExecutor(name: name, threads: 1)
    }

    /// Runs `body` on the dedicated thread and returns its result; the calling thread waits.
    func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let slot = Slot<T>()
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: executor) {
            let value = await body()
            slot.value.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return slot.value.withLock { $0! }
    }
}

/// Where the task leaves its result for the waiting caller.
private final class Slot<T: Sendable>: Sendable {
    let value = Mutex<T?>(nil)
}
