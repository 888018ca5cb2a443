import { stopSharedCluster } from './integration/cluster'

/** Root hooks: the shared broker, if any test started it, is stopped once at the end of the run. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000)
    await stopSharedCluster()
  },
}
