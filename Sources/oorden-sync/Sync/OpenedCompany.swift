import DatabaseFiles
import Foundation
import Logging
import OordenLedger
import OordenLedgerAdapter
import SyncCore
import SyncDriver
import SyncEngine

/// The Oorden ledger and the engine of a configuration, opened for a process that syncs (`sync
/// --once`, `run`): the ledger must exist, and the engine is held by this process alone — a second
/// one is told which process holds it.
struct OpenedCompany {
    /// Held for as long as this value lives.
    let lock: EngineLock
    let ledger: OordenLedger
    let engine: SyncEngine
    let host: OordenLedgerHost

    static func open(_ configuration: SyncConfiguration, clock: any WallClock, logger: Logger) throws -> OpenedCompany {
        let ledgerPath = configuration.resolve(configuration.ledgerPath)
        guard FileManager.default.fileExists(atPath: ledgerPath) else {
            throw CLIError("no Oorden ledger at \(ledgerPath) (ledger.path); create it with `oorden-sync ledger init --ledger \(ledgerPath) --currency MXN`")
        }
        let enginePath = configuration.resolve(configuration.engineDatabase)
        let lock = try EngineLock.acquire(enginePath: enginePath)
        let ledger = try OordenLedger(path: ledgerPath, clock: clock)
        let engine = try SyncEngine.open(path: enginePath, clock: clock, seed: UInt64(clock.nowMilliseconds()), logger: logger)
        return OpenedCompany(lock: lock, ledger: ledger, engine: engine, host: OordenLedgerHost(ledger: ledger))
    }
}
