/// RFC 4180 records: fields separated by commas, optionally in double quotes (`""` is a quote inside one), records
/// by LF or CRLF; a quoted field may span lines. Each record keeps the line number it starts on.
struct CSVLines {
    struct Record {
        var number: Int
        var fields: [String] = []
        /// Why the record could not be read (an unterminated quote), or nil.
        var problem: String?
    }

    static func split(_ text: String) -> [Record] {
        var records: [Record] = []
        var record = Record(number: 1)
        var field = ""
        var quoted = false
        var fieldStarted = false
        var line = 1
        var characters = Array(text).makeIterator()
        var pending: Character? = nil
        func finishRecord(next: Int) {
            record.fields.append(field)
            if !(record.fields.count == 1 && record.fields[0].isEmpty && !fieldStarted) { records.append(record) }
            record = Record(number: next)
            field = ""
            fieldStarted = false
        }
        while let c = pending ?? characters.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    let next = characters.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty:
                quoted = true
                fieldStarted = true
            case ",":
                record.fields.append(field)
                field = ""
                fieldStarted = true
            case "\n", "\r\n", "\r":
                line += 1
                finishRecord(next: line)
            default:
                field.append(c)
                fieldStarted = true
            }
        }
        if quoted { record.problem = "a quoted field is not closed" }
        if quoted || !field.isEmpty || fieldStarted || !record.fields.isEmpty { finishRecord(next: line) }
        return records
    }
}
