import CQRencode

/// A QR code as an SVG image, encoded by Debian's libqrencode: the VietQR of a bank-transfer
/// top-up. The SVG is built only from the module matrix (numbers), never from the payload text.
enum QRCodeSVG {
    /// Modules of white border on each side (the QR specification asks for four).
    static let quietZone = 4

    /// The dark modules of `text` (8-bit mode, error correction M), row by row; nil when it
    /// does not fit in a QR code.
    static func matrix(for text: String) -> [[Bool]]? {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        guard width > 0, let data = code.pointee.data else { return nil }
        return (0..<width).map { row in (0..<width).map { column in data[row * width + column] & 1 == 1 } }
    }

    static func svg(for text: String) -> String? {
        guard let modules = matrix(for: text) else { return nil }
        let size = modules.count + 2 * quietZone
        var path = ""
        for (row, line) in modules.enumerated() {
            var column = 0
            while column < line.count {
                guard line[column] else { column += 1; continue }
                var run = 1
                while column + run < line.count, line[column + run] { run += 1 }
                path += "M\(column + quietZone) \(row + quietZone)h\(run)v1h-\(run)z"
                column += run
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" width="\(size * 6)" height="\(size * 6)" shape-rendering="crispEdges">\
            <rect width="\(size)" height="\(size)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }
}
