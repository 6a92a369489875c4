import Foundation
import Hummingbird
import MathFarmCore
import Prometheus

/// `GET /metrics`: Prometheus text. Request latency histograms come from Hummingbird's
/// `MetricsMiddleware` and reconcile repairs from the reconciler, through swift-metrics
/// (bootstrapped by `mathfarm api`). Farm-wide figures (queue depth and pending entries per
/// stream, dead letters, jobs by outcome, attempts, oldest queued job, solve time per problem,
/// open holds, outbox backlog) are read from Redis and PostgreSQL on each scrape, because the
/// worker processes that produce them serve no HTTP: any API replica reports the whole farm.
struct MetricsRoutes: Sendable {
    let services: MathFarmServices

    func register(on router: Router<AppRequestContext>) {
        let registry = services.metricsRegistry
        let backlog = registry.makeGauge(name: "mathfarm_outbox_backlog", help: "Outbox events not yet relayed")
        let openHolds = registry.makeGauge(name: "mathfarm_open_holds", help: "Solve charges still pending")
        let oldestHold = registry.makeGauge(name: "mathfarm_oldest_open_hold_seconds", help: "Age of the oldest pending solve charge")
        let queue = services.jobQueue
        let deadLetters = registry.makeGauge(name: "mathfarm_dead_letters", help: "Entries in the dead-letter stream")
        let attempts = registry.makeGauge(name: "mathfarm_job_attempts", help: "Claims made by workers (deliveries that reached a solver)")
        let oldestQueued = registry.makeGauge(name: "mathfarm_oldest_queued_seconds", help: "Age of the oldest queued job")
        router.get("metrics") { _, _ in
            if let depth = try? await queue.depth() {
                for (stream, figures) in depth {
                    registry.makeGauge(name: "mathfarm_queue_waiting", labels: [("stream", stream)], help: "Entries not yet delivered").set(Double(figures.waiting))
                    registry.makeGauge(name: "mathfarm_queue_pending", labels: [("stream", stream)], help: "Entries delivered, not acked").set(Double(figures.pending))
                }
            }
            if let letters = try? await services.redis.command(["XLEN", queue.deadLetterStream]).integer { deadLetters.set(Double(letters)) }
            if let figures = try? await services.solutionStore.figures() {
                for status in ["queued", "processing", "completed", "failed", "timeout", "cancelled"] {
                    registry.makeGauge(name: "mathfarm_jobs", labels: [("status", status)], help: "Jobs by status")
                        .set(Double(figures.jobsByStatus[status] ?? 0))
                }
                attempts.set(Double(figures.attempts))
                oldestQueued.set(figures.oldestQueuedSeconds)
                for (problem, buckets) in figures.solveTimeBuckets {
                    for bucket in buckets {
                        registry.makeGauge(
                            name: "mathfarm_solve_time_ms_bucket", labels: [("problem", problem), ("le", bucket.le)],
                            help: "Completed jobs of the last 24 h solved within le milliseconds (cumulative)"
                        ).set(Double(bucket.count))
                    }
                }
            }
            if let count = try? await services.outboxRelay.backlog() { backlog.set(Double(count)) }
            if let holds = try? await services.ledgerReconciler.openHolds() {
                openHolds.set(Double(holds.count))
                oldestHold.set(holds.oldestAgeSeconds)
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
