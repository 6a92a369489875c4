/// Values grouped by expression, keys in first-seen order: how `add` and `mul` collect like
/// terms and powers of one base.
///
/// A linear scan while there are few keys: comparing two expressions stops at the first
/// difference, where a dictionary hashes the whole tree of every key it is asked about (hashing
/// was a sixth of a derivative). Past `indexThreshold` keys a dictionary index takes over, so a
/// long sum stays linear.
struct ExprGroups<Value> {
    static var indexThreshold: Int { 12 }

    private(set) var keys: [Expr] = []
    private(set) var values: [Value] = []
    private var index: [Expr: Int]?

    func position(of key: Expr) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
    }

    mutating func append(_ key: Expr, _ value: Value) {
        keys.append(key)
        values.append(value)
        if index != nil {
            index?[key] = keys.count - 1
        } else if keys.count > Self.indexThreshold {
            index = Dictionary(uniqueKeysWithValues: zip(keys, keys.indices))
        }
    }

    mutating func update(at position: Int, _ body: (inout Value) -> Void) {
        body(&values[position])
    }
}
