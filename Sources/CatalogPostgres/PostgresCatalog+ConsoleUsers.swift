import Catalog
import PostgresNIO

extension PostgresCatalog: ConsoleUserStore {
    public func addConsoleUser(_ user: ConsoleUser) async throws(CatalogError) {
        try ConsoleUser.validateName(user.name)
        do {
            try await run(
                """
                INSERT INTO console_users (name, password_hash, created_at)
                VALUES (\(user.name), \(user.passwordHash), \(user.createdAtMilliseconds))
                """)
        } catch where error.code == .duplicate {
            throw CatalogError(.duplicate, "a console user named '\(user.name)' already exists; remove it first")
        }
    }

    public func consoleUsers() async throws(CatalogError) -> [ConsoleUser] {
        var users: [ConsoleUser] = []
        for row in try await run("SELECT name, password_hash, created_at FROM console_users ORDER BY name") {
            users.append(try Self.user(row))
        }
        return users
    }

    public func consoleUser(name: String) async throws(CatalogError) -> ConsoleUser? {
        guard
            let row = try await run(
                "SELECT name, password_hash, created_at FROM console_users WHERE name = \(name)"
            ).first
        else { return nil }
        return try Self.user(row)
    }

    public func removeConsoleUser(name: String) async throws(CatalogError) {
        let removed = try await run("DELETE FROM console_users WHERE name = \(name) RETURNING name")
        guard !removed.isEmpty else { throw CatalogError(.notFound, "no console user named '\(name.prefix(64))'") }
    }

    static func user(_ row: PostgresRandomAccessRow) throws(CatalogError) -> ConsoleUser {
        ConsoleUser(
            name: try string(row, "name"), passwordHash: try string(row, "password_hash"),
            createdAtMilliseconds: try int(row, "created_at"))
    }
}
