import { MissingDependencyError, TestingError } from '../errors'

export type Testcontainers = typeof import('testcontainers')

/** What the container engine says to do when testcontainers is missing. */
export const INSTALL_TESTCONTAINERS =
  'install it next to kafka-pipe with `npm install --save-dev testcontainers@11` (11.x runs on Node 20; 12 needs Node 22.22 or newer)'

/**
 * Loads testcontainers, an optional peer dependency, only when the container engine is asked for: importing
 * kafka-pipe or starting the jvm engine never loads it. Its cleanup container (Ryuk) is turned off unless
 * TESTCONTAINERS_RYUK_DISABLED says otherwise: it has to be pulled from a registry, and the engine's own watchdog
 * removes the containers of a process that died (see container-watchdog.ts).
 */
export function loadTestcontainers(): Testcontainers {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'
  try {
    // require, not import(): testcontainers 11 is CommonJS, and Node's resolver is what reports it missing.
    return require('testcontainers') as Testcontainers
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if ((code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && String((err as Error).message).includes("'testcontainers'")) {
      throw new MissingDependencyError('testcontainers', "startKafka({ engine: 'container' })", INSTALL_TESTCONTAINERS, err)
    }
    throw new TestingError(`testcontainers is installed but could not be loaded (${(err as Error).message}); ${INSTALL_TESTCONTAINERS}`, err)
  }
}
