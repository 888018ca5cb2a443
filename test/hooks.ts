import { stopSharedCluster } from './integration/cluster'
import { armExitWatchdog, EXIT_GRACE_MS } from './exit-watchdog'

/**
 * Root hooks: the shared broker, if any test started it, is stopped once at the end of the run; then a watchdog
 * makes sure the run ends (see test/exit-watchdog.ts).
 */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000)
    // Armed first too, for a stop that outlasts this hook's timeout (mocha then moves on without this promise).
    armExitWatchdog(60_000 + EXIT_GRACE_MS)
    await stopSharedCluster()
    armExitWatchdog()
  },
}
