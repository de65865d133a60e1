import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A small XML element tree for S3 and STS responses (namespaces ignored, text trimmed of nothing).
struct XMLNode: Sendable {
    var name: String
    var text: String = ""
    var children: [XMLNode] = []

    /// The first child named `name`.
    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    /// Every child named `name`.
    func all(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }
    /// The first node named `name` in a depth-first walk, this node included.
    func first(named name: String) -> XMLNode? {
        if self.name == name { return self }
        for child in children { if let found = child.first(named: name) { return found } }
        return nil
    }
    /// The text of the first child named `name`.
    func string(_ name: String) -> String? { child(name)?.text }
    /// The text at a path of child names.
    func string(at path: String...) -> String? {
        var node: XMLNode? = self
        for name in path { node = node?.child(name) }
        return node?.text
    }

    /// Parses a whole document; nil when it is not well-formed XML.
    static func parse(_ bytes: [UInt8]) -> XMLNode? {
        guard !bytes.isEmpty else { return nil }
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    /// Builds the tree from parser events.
    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [XMLNode] = []
        var root: XMLNode?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            stack.append(XMLNode(name: local))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
        ) {
            guard let node = stack.popLast() else { return }
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].children.append(node)
            }
        }
    }

    /// Escapes text for an XML element body.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
