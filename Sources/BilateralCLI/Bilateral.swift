import ArgumentParser
import BilateralAPI

@main
struct Bilateral: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bilateral",
        abstract: "The record of relations between countries, served as an HTTP JSON API.",
        discussion: """
            Start with `bilateral serve --sample`, then open http://127.0.0.1:8080/docs.
            Writes need an API key: `bilateral keys create --name me` prints one.
            Every option can also be set by an environment variable BILATERAL_<NAME>
            (for example BILATERAL_PORT=9000); a command-line option wins over the variable.
            """,
        version: BilateralVersion.current,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, ImportCommand.self, ExportCommand.self, BackupCommand.self,
            ChangesCommand.self, KeysCommand.self, VersionCommand.self,
        ]
    )
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() {
        print("bilateral \(BilateralVersion.current)")
    }
}
