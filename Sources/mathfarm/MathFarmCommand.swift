import ArgumentParser

/// `mathfarm`: one executable for every role a MathFarm process can play.
@main
struct MathFarmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mathfarm",
        abstract: "MathFarm: exact math solving as a service.",
        subcommands: [
            APICommand.self, WorkersCommand.self, WorkerCommand.self, MigrateCommand.self, ReconcileCommand.self,
            SolveCommand.self, AdminCommand.self, SeedDemoCommand.self, SandboxGatewayCommand.self,
            BackupCommand.self, RestoreCommand.self, DBStatsCommand.self, ProblemsCommand.self,
        ]
    )
}
