import Foundation

/// CPU time of process trees, read from /proc (user + system ticks), so the harness can say
/// how many milliseconds of CPU each part of the farm spent per job.
///
/// A tree is a root pid and all its descendants alive at the reading, plus what the root has
/// reaped from children that exited (`cutime + cstime`): PostgreSQL's postmaster reaps its
/// backends, the supervisor its workers.
enum ProcessCPU {
    struct Stat {
        var pid: Int32
        var parent: Int32
        /// utime + stime, in clock ticks.
        var own: Int64
        /// cutime + cstime of children this process has waited for.
        var reaped: Int64
    }

    static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    static func readAll() -> [Int32: Stat] {
        var stats: [Int32: Stat] = [:]
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return stats }
        for entry in entries {
            guard let pid = Int32(entry), let text = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = text.lastIndex(of: ")")
            else { continue }
            let fields = text[text.index(close, offsetBy: 2)...].split(separator: " ")
            // After "(comm) ": state ppid … utime(14) stime(15) cutime(16) cstime(17), 1-based from pid.
            guard fields.count > 14, let parent = Int32(fields[1]),
                  let utime = Int64(fields[11]), let stime = Int64(fields[12]), let cutime = Int64(fields[13]), let cstime = Int64(fields[14])
            else { continue }
            stats[pid] = Stat(pid: pid, parent: parent, own: utime + stime, reaped: cutime + cstime)
        }
        return stats
    }

    /// Ticks of the tree under `root` (0 when it is gone).
    static func ticks(ofTree root: Int32, in stats: [Int32: Stat]) -> Int64 {
        guard let rootStat = stats[root] else { return 0 }
        var children: [Int32: [Int32]] = [:]
        for stat in stats.values { children[stat.parent, default: []].append(stat.pid) }
        var total = rootStat.own + rootStat.reaped
        var stack = children[root] ?? []
        while let pid = stack.popLast() {
            guard let stat = stats[pid] else { continue }
            total += stat.own + stat.reaped
            stack += children[pid] ?? []
        }
        return total
    }

    /// Ticks per named group of roots.
    static func sample(_ groups: [String: [Int32]]) -> [String: Int64] {
        let stats = readAll()
        return groups.mapValues { roots in roots.reduce(0) { $0 + ticks(ofTree: $1, in: stats) } }
    }

    static func milliseconds(_ ticks: Int64) -> Double { Double(ticks) * 1000 / ticksPerSecond }
}
