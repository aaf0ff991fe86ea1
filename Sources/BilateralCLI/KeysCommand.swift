import ArgumentParser
import BilateralAPI
import Foundation

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys.",
        discussion: "Writes need a key with the `write` scope, sent as `Authorization: Bearer <token>`.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key and print its token (shown once; only its SHA-256 is stored).")

        @OptionGroup var store: StoreOptions

        @Option(name: .long, help: "A name to recognise the key by, e.g. the script or person using it.")
        var name: String

        @Option(name: .long, help: "`write` (create, change and delete records; also read) or `read`.")
        var scope: String = "write"

        func validate() throws {
            guard KeyScope(rawValue: scope) != nil else {
                throw ValidationError("--scope must be `read` or `write`, not '\(scope)'.")
            }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 200 else {
                throw ValidationError("--name must be 1 to 200 characters.")
            }
        }

        func run() throws {
            let pool = try StoreOpener.open(store)
            defer { pool.close() }
            try Schema.migrate(pool)
            let scope = KeyScope(rawValue: scope) ?? .write
            let (key, token) = try pool.write { try APIKeyRepository().create(name: name, scope: scope, in: $0) }
            print("Created key \(key.id) '\(key.name)' with scope \(key.scope.rawValue). Its token, shown only now:")
            print(token)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their tokens).")

        @OptionGroup var store: StoreOptions

        func run() throws {
            let pool = try StoreOpener.open(store)
            defer { pool.close() }
            try Schema.migrate(pool)
            let keys = try pool.read { try APIKeyRepository().list(in: $0) }
            if keys.isEmpty {
                print("No keys yet. Create one with: bilateral keys create --name NAME")
                return
            }
            print("ID\tNAME\tSCOPE\tTOKEN\tCREATED\tREVOKED")
            for key in keys {
                print(
                    "\(key.id)\t\(key.name)\t\(key.scope.rawValue)\t\(key.tokenPrefix)…\t\(key.createdAt)\t\(key.revokedAt ?? "-")"
                )
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id; it stops working at once.")

        @OptionGroup var store: StoreOptions

        @Argument(help: "The key's id, as `keys list` shows it (key_…).")
        var id: String

        func run() throws {
            let pool = try StoreOpener.open(store)
            defer { pool.close() }
            try Schema.migrate(pool)
            guard try pool.write({ try APIKeyRepository().revoke(id: id, in: $0) }) else {
                throw ValidationError("No key has the id '\(id)'. See `bilateral keys list`.")
            }
            print("Revoked \(id).")
        }
    }
}
