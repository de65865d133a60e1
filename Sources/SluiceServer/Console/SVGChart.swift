/// Small server-rendered SVG charts for the console (no charting library, nothing from a CDN). Every label goes
/// through `HTML.escape`, which is also valid XML escaping, and the pages load the charts as images, where an SVG
/// never runs script. Pure: numbers in, markup out.
///
/// ```swift
/// SVGChart.lines(title: "Events per minute", series: [("web", counts)], xLabels: ["-24h", "now"])
/// SVGChart.bars(title: "Files per hour", values: perHour, xLabels: ["-24h", "now"])
/// ```
enum SVGChart {
    static let width = 720
    static let height = 220
    static let margin = (left: 48, right: 12, top: 28, bottom: 48)
    static let palette = ["#0b5cad", "#d1495b", "#00798c", "#edae49", "#66a182", "#8d5a97", "#30638e", "#a44a3f"]

    /// One polyline per series (all the same length), sharing a y axis from 0 to the largest value.
    static func lines(title: String, series: [(name: String, values: [Int])], xLabels: [String]) -> String {
        let count = series.map(\.values.count).max() ?? 0
        let peak = max(1, series.flatMap(\.values).max() ?? 0)
        var body = ""
        for (n, line) in series.enumerated() {
            let points = line.values.enumerated().map { index, value in
                "\(x(index, of: count)),\(format(y(value, peak: peak)))"
            }
            body +=
                #"<polyline fill="none" stroke="\#(palette[n % palette.count])" stroke-width="1.5" points="\#(points.joined(separator: " "))"/>"#
        }
        let legend = series.enumerated().map { n, line in
            (name: line.name, color: palette[n % palette.count], total: line.values.reduce(0, +))
        }
        return frame(title: title, peak: peak, xLabels: xLabels, body: body, legend: legend)
    }

    /// One bar per value.
    static func bars(title: String, values: [Int], xLabels: [String]) -> String {
        let peak = max(1, values.max() ?? 0)
        let plot = Double(width - margin.left - margin.right)
        let slot = plot / Double(max(1, values.count))
        var body = ""
        for (index, value) in values.enumerated() where value > 0 {
            let top = y(value, peak: peak)
            let left = Double(margin.left) + Double(index) * slot + slot * 0.1
            body +=
                #"<rect x="\#(format(left))" y="\#(format(top))" width="\#(format(slot * 0.8))" height="\#(format(Double(height - margin.bottom) - top))" fill="\#(palette[0])"><title>\#(value)</title></rect>"#
        }
        return frame(title: title, peak: peak, xLabels: xLabels, body: body, legend: [])
    }

    static func frame(
        title: String, peak: Int, xLabels: [String], body: String, legend: [(name: String, color: String, total: Int)]
    ) -> String {
        let bottom = height - margin.bottom
        let right = width - margin.right
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" \
            role="img" aria-label="\(HTML.escape(title))" font-family="sans-serif" font-size="11">\
            <rect width="100%" height="100%" fill="#fff"/>\
            <text x="\(margin.left)" y="16" font-size="13" font-weight="bold">\(HTML.escape(title))</text>\
            <line x1="\(margin.left)" y1="\(bottom)" x2="\(right)" y2="\(bottom)" stroke="#9aa4ae"/>\
            <line x1="\(margin.left)" y1="\(margin.top)" x2="\(margin.left)" y2="\(bottom)" stroke="#9aa4ae"/>\
            <text x="\(margin.left - 4)" y="\(margin.top + 4)" text-anchor="end">\(peak)</text>\
            <text x="\(margin.left - 4)" y="\(bottom)" text-anchor="end">0</text>
            """
        for (n, label) in xLabels.enumerated() {
            let position = xLabels.count == 1 ? margin.left : margin.left + (right - margin.left) * n / (xLabels.count - 1)
            let anchor = n == 0 ? "start" : n == xLabels.count - 1 ? "end" : "middle"
            out += #"<text x="\#(position)" y="\#(bottom + 14)" text-anchor="\#(anchor)">\#(HTML.escape(label))</text>"#
        }
        out += body
        var left = margin.left
        for entry in legend {
            let text = "\(entry.name) (\(entry.total))"
            out +=
                #"<rect x="\#(left)" y="\#(height - 18)" width="10" height="10" fill="\#(entry.color)"/><text x="\#(left + 14)" y="\#(height - 9)">\#(HTML.escape(text))</text>"#
            left += 24 + text.count * 6
        }
        if legend.isEmpty && body.isEmpty {
            out += ##"<text x="\##(width / 2)" y="\##(height / 2)" text-anchor="middle" fill="#5b6470">no data yet</text>"##
        }
        return out + "</svg>"
    }

    static func x(_ index: Int, of count: Int) -> String {
        let plot = Double(width - margin.left - margin.right)
        return format(Double(margin.left) + plot * Double(index) / Double(max(1, count - 1)))
    }

    static func y(_ value: Int, peak: Int) -> Double {
        let plot = Double(height - margin.top - margin.bottom)
        return Double(height - margin.bottom) - plot * Double(value) / Double(peak)
    }

    static func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(tenths / 10)
    }
}
