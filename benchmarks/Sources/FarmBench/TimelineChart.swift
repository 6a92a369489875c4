import Foundation

/// A two-panel SVG of a run: completed jobs per second (top) and submit → completed latency,
/// p50 and p99 (bottom), over the run's time bins.
enum TimelineChart {
    static func svg(_ points: [RunReport.Point], title: String) -> String {
        let width = 820.0, panel = 200.0, left = 70.0, right = 20.0, top = 40.0, gap = 50.0
        let plotWidth = width - left - right
        let tMax = max(points.last.map { $0.t + 0.25 } ?? 1, 0.5)
        func x(_ t: Double) -> Double { left + plotWidth * t / tMax }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(top + 2 * panel + gap + 40))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="20" font-size="14" font-weight="bold">\(escape(title))</text>

            """
        func panelSVG(originY: Double, series: [(label: String, color: String, values: [Double])], unit: String) {
            let maxValue = max(series.flatMap(\.values).max() ?? 1, 1)
            let scale = niceCeiling(maxValue)
            out += "<rect x=\"\(left)\" y=\"\(originY)\" width=\"\(plotWidth)\" height=\"\(panel)\" fill=\"none\" stroke=\"#999\"/>\n"
            for tick in 0...4 {
                let value = scale * Double(tick) / 4
                let y = originY + panel - panel * Double(tick) / 4
                out += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotWidth)\" y2=\"\(y)\" stroke=\"#eee\"/>"
                out += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(format(value))</text>\n"
            }
            out += "<text x=\"14\" y=\"\(originY + panel / 2)\" transform=\"rotate(-90 14 \(originY + panel / 2))\" text-anchor=\"middle\">\(unit)</text>\n"
            for (index, line) in series.enumerated() {
                let path = zip(points, line.values).map { point, value in
                    "\(format(x(point.t))),\(format(originY + panel - panel * value / scale))"
                }.joined(separator: " ")
                out += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
                out += "<text x=\"\(left + 10 + Double(index) * 120)\" y=\"\(originY - 6)\" fill=\"\(line.color)\">\(escape(line.label))</text>\n"
            }
        }
        panelSVG(originY: top, series: [("completed jobs/s", "#1f77b4", points.map(\.completedPerSecond))], unit: "jobs/s")
        panelSVG(
            originY: top + panel + gap,
            series: [("p50 submit→completed", "#2ca02c", points.map(\.p50Ms)), ("p99", "#d62728", points.map(\.p99Ms))],
            unit: "ms"
        )
        let axisY = top + 2 * panel + gap + 18
        for tick in 0...5 {
            let t = tMax * Double(tick) / 5
            out += "<text x=\"\(x(t))\" y=\"\(axisY)\" text-anchor=\"middle\">\(format(t)) s</text>\n"
        }
        return out + "</svg>\n"
    }

    static func niceCeiling(_ value: Double) -> Double {
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2.0, 2.5, 5.0, 10.0] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    static func format(_ value: Double) -> String {
        value >= 100 || value == value.rounded() ? String(Int(value.rounded())) : String(format: "%.1f", value)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
