import ArgumentParser
import Catalog
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct Console: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the web console's users (who sign in with a name and password instead of the admin token).",
        subcommands: [Users.self])

    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add, list and remove console users.", subcommands: [Add.self, List.self, Remove.self])
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a console user; the password is read from a prompt (or the first line of stdin), never an argument.",
            discussion: """
                Stored as a PBKDF2-HMAC-SHA256 hash (600,000 rounds, random salt) in the catalog, so every node of a \
                cluster knows the user. Passwords need at least \(ConsolePassword.minimumLength) characters.
                """)
        @Argument(help: "The user name (letters, digits, '-', '_', '.', '@').") var name: String
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            try ConsoleUser.validateName(name)
            let password = try readPassword()
            let hash = try ConsolePassword.hash(password)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try await withCatalog(data) { catalog in
                try await catalog.addConsoleUser(ConsoleUser(name: name, passwordHash: hash, createdAtMilliseconds: now))
            }
            print("added console user \(name)")
        }

        /// From the terminal without echo (asked twice), or the first line of stdin when it is not a terminal.
        func readPassword() throws -> String {
            guard isatty(STDIN_FILENO) == 1 else {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw ValidationError("give the password on the first line of stdin")
                }
                return line
            }
            let first = try prompt("Password for \(name): ")
            let second = try prompt("Again: ")
            guard first == second else { throw ValidationError("the two passwords differ; nothing was added") }
            return first
        }

        func prompt(_ text: String) throws -> String {
            FileHandle.standardError.write(Data(text.utf8))
            var saved = termios()
            tcgetattr(STDIN_FILENO, &saved)
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
            defer {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
            guard let line = readLine(strippingNewline: true) else { throw ValidationError("no password given") }
            return line
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List console users (names and when they were added).")
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let users = try await withCatalog(data) { catalog in try await catalog.consoleUsers() }
            if users.isEmpty { print("no console users (sign in with the admin token)") }
            for user in users {
                let added = Date(timeIntervalSince1970: Double(user.createdAtMilliseconds) / 1000)
                print("\(user.name)  added \(added.formatted(.iso8601))")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a console user (sessions already signed in end when they idle out or sign out).")
        @Argument(help: "The user name.") var name: String
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            try await withCatalog(data) { catalog in try await catalog.removeConsoleUser(name: name) }
            print("removed console user \(name)")
        }
    }
}
