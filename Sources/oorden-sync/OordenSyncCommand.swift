import ArgumentParser

/// `oorden-sync`: the OordenSync command line.
@main
struct OordenSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oorden-sync",
        abstract: "Two-way sync between online stores (Shopify, WooCommerce) and an Oorden company.",
        subcommands: [
            // Each subcommand lives in its own file; add new ones here.
            DemoCommand.self,
            SyncCommand.self,
            DoctorCommand.self,
            RunCommand.self,
            InspectCommand.self,
            LogCommand.self,
            ProblemsCommand.self,
            RetryCommand.self,
            ClocksCommand.self,
            ExportCommand.self,
            ImportCommand.self,
            EmulateCommand.self,
            LedgerCommand.self,
        ]
    )
}
