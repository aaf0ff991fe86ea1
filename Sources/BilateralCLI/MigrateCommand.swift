import ArgumentParser
import BilateralAPI

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the database or bring its schema up to date, then exit.",
        discussion: "`serve` migrates on start too; this is for deployments that migrate as a separate step."
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let path = try store.location()
        let pool = try StoreOpener.open(store)
        defer { pool.close() }
        let applied = try Schema.migrate(pool)
        if applied.isEmpty {
            print("\(path): schema is up to date (version \(Schema.plan(for: pool.backend).latestVersion)).")
        } else {
            for migration in applied { print("\(path): applied \(migration.version) \(migration.name)") }
        }
    }
}
