import Foundation
import Hummingbird
import MathFarmCore
import Prometheus

/// `GET /metrics`: Prometheus text, behind `MATHFARM_METRICS_TOKEN` (a bearer token) when it is
/// set; in production without a token it is not served at all. Request latency histograms come from Hummingbird's
/// `MetricsMiddleware` and reconcile repairs from the reconciler, through swift-metrics
/// (bootstrapped by `mathfarm api`). Farm-wide figures (queue depth and pending entries per
/// stream, dead letters, jobs by outcome, attempts, oldest queued job, solve time per problem,
/// open holds, outbox backlog) are read from Redis and PostgreSQL on each scrape, because the
/// worker processes that produce them serve no HTTP: any API replica reports the whole farm.
struct MetricsRoutes: Sendable {
    let services: MathFarmServices

    func register(on router: Router<AppRequestContext>) {
        let registry = services.metricsRegistry
        let backlog = registry.makeGauge(descriptor: .plain("mathfarm_outbox_backlog", help: "Outbox events not yet relayed"))
        let openHolds = registry.makeGauge(descriptor: .plain("mathfarm_open_holds", help: "Solve charges still pending"))
        let oldestHold = registry.makeGauge(descriptor: .plain("mathfarm_oldest_open_hold_seconds", help: "Age of the oldest pending solve charge"))
        let queue = services.jobQueue
        let deadLetters = registry.makeGauge(descriptor: .plain("mathfarm_dead_letters", help: "Entries in the dead-letter stream"))
        let attempts = registry.makeGauge(descriptor: .plain("mathfarm_job_attempts", help: "Claims made by workers (deliveries that reached a solver)"))
        let oldestQueued = registry.makeGauge(descriptor: .plain("mathfarm_oldest_queued_seconds", help: "Age of the oldest queued job"))
        let token = services.configuration.metricsToken
        let production = services.configuration.mode.isProduction
        router.get("metrics") { request, _ in
            // Not public in production: a bearer token, or nothing at all (404, as if absent).
            if let token {
                guard let presented = RequestMetadata.bearerToken(request), SecretToken.constantTimeEquals(presented, token) else {
                    throw APIError.unauthorized
                }
            } else if production {
                throw APIError.noSuchRoute
            }
            if let depth = try? await queue.depth() {
                for (stream, figures) in depth {
                    registry.makeGauge(descriptor: .plain("mathfarm_queue_waiting", help: "Entries not yet delivered"), labels: [("stream", stream)]).set(Double(figures.waiting))
                    registry.makeGauge(descriptor: .plain("mathfarm_queue_pending", help: "Entries delivered, not acked"), labels: [("stream", stream)]).set(Double(figures.pending))
                }
            }
            if let letters = try? await services.redis.command(["XLEN", queue.deadLetterStream]).integer { deadLetters.set(Double(letters)) }
            if let figures = try? await services.solutionStore.figures() {
                for status in ["queued", "processing", "completed", "failed", "timeout", "cancelled"] {
                    registry.makeGauge(descriptor: .plain("mathfarm_jobs", help: "Jobs by status"), labels: [("status", status)])
                        .set(Double(figures.jobsByStatus[status] ?? 0))
                }
                attempts.set(Double(figures.attempts))
                oldestQueued.set(figures.oldestQueuedSeconds)
                for (problem, buckets) in figures.solveTimeBuckets {
                    for bucket in buckets {
                        registry.makeGauge(
                            descriptor: .plain("mathfarm_solve_time_ms_bucket", help: "Completed jobs of the last 24 h solved within le milliseconds (cumulative)"),
                            labels: [("problem", problem), ("le", bucket.le)]
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

extension MetricNameDescriptor {
    /// A metric named exactly `name` (unit already in the name, no namespace).
    static func plain(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
