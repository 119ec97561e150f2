import ServiceLifecycle
import WaybillStore

/// Runs a service's loop on the agent's blocking lane (``BlockingExecutor/shared``) until graceful
/// shutdown cancels it.
func untilShutdownOnBlockingLane(_ loop: @escaping @Sendable () async -> Void) async {
    await withTaskExecutorPreference(BlockingExecutor.shared) {
        await cancelWhenGracefulShutdown(loop)
    }
}
