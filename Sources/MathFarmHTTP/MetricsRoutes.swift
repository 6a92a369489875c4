import Foundation
import Hummingbird
import MathFarmCore
import Prometheus

/// `GET /metrics`: Prometheus text. Request latency histograms come from Hummingbird's
/// `MetricsMiddleware` through swift-metrics (bootstrapped by `mathfarm api`); ledger gauges
/// (outbox backlog, open holds and the oldest hold's age) are read from the database per scrape.
struct MetricsRoutes: Sendable {
    let services: MathFarmServices

    func register(on router: Router<AppRequestContext>) {
        let registry = services.metricsRegistry
        let backlog = registry.makeGauge(name: "mathfarm_outbox_backlog", help: "Outbox events not yet relayed")
        let openHolds = registry.makeGauge(name: "mathfarm_open_holds", help: "Solve charges still pending")
        let oldestHold = registry.makeGauge(name: "mathfarm_oldest_open_hold_seconds", help: "Age of the oldest pending solve charge")
        router.get("metrics") { _, _ in
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
