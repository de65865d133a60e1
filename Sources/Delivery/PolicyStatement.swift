/// One statement of an IAM/bucket policy document, read leniently (strings or arrays), as the checker needs it.
struct PolicyStatement {
    let sid: String?
    let allows: Bool
    /// `Principal`: nil when absent; `["*"]` for anyone.
    let principals: [String]?
    let actions: [String]
    let notActions: [String]
    let resources: [String]
    let notResources: [String]
    /// operator → (condition key → values)
    let conditions: [String: [String: [String]]]

    init?(_ json: Any) {
        guard let object = json as? [String: Any], let effect = object["Effect"] as? String else { return nil }
        sid = object["Sid"] as? String
        allows = effect == "Allow"
        actions = Self.strings(object["Action"])
        notActions = Self.strings(object["NotAction"])
        resources = Self.strings(object["Resource"])
        notResources = Self.strings(object["NotResource"])
        if let principal = object["Principal"] {
            if let any = principal as? String {
                principals = [any]
            } else if let map = principal as? [String: Any] {
                principals = map.values.flatMap(Self.strings)
            } else {
                principals = []
            }
        } else {
            principals = nil
        }
        var conditions: [String: [String: [String]]] = [:]
        for (op, block) in (object["Condition"] as? [String: Any]) ?? [:] {
            var keys: [String: [String]] = [:]
            for (key, value) in (block as? [String: Any]) ?? [:] { keys[key.lowercased()] = Self.strings(value) }
            conditions[op] = keys
        }
        self.conditions = conditions
    }

    var name: String { sid.map { "'\($0)'" } ?? "(no Sid)" }

    func covers(action: String) -> Bool {
        if !notActions.isEmpty { return !notActions.contains { Glob.matches($0, action, caseInsensitive: true) } }
        return actions.contains { Glob.matches($0, action, caseInsensitive: true) }
    }

    func covers(resource: String) -> Bool {
        if !notResources.isEmpty { return !notResources.contains { Glob.matches($0, resource) } }
        return resources.contains { Glob.matches($0, resource) }
    }

    /// True when the statement names `principal` (or anyone, or the principal's whole account).
    func names(principal: String?) -> Bool {
        guard let principals else { return false }
        guard let principal else { return true }
        let account = principal.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(
            String.init)
        return principals.contains { p in
            p == "*" || p == principal
                || (account != nil && (p == account || p == "arn:aws:iam::\(account ?? ""):root"))
        }
    }

    static func strings(_ value: Any?) -> [String] {
        if let string = value as? String { return [string] }
        if let array = value as? [Any] { return array.compactMap { $0 as? String } }
        return []
    }
}

/// IAM wildcard matching: `*` is any run of characters (including `/`), `?` one character.
enum Glob {
    static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool = false) -> Bool {
        let p = Array((caseInsensitive ? pattern.lowercased() : pattern).utf8)
        let t = Array((caseInsensitive ? text.lowercased() : text).utf8)
        var (i, j) = (0, 0)
        var star: Int? = nil
        var mark = 0
        while j < t.count {
            if i < p.count && (p[i] == UInt8(ascii: "?") || p[i] == t[j]) {
                i += 1
                j += 1
            } else if i < p.count && p[i] == UInt8(ascii: "*") {
                star = i
                mark = j
                i += 1
            } else if let s = star {
                i = s + 1
                mark += 1
                j = mark
            } else {
                return false
            }
        }
        while i < p.count && p[i] == UInt8(ascii: "*") { i += 1 }
        return i == p.count
    }
}
