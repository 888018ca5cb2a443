import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** This package's version, from the package.json above this file (lib/cli in the sources, dist/lib/cli when built). */
export function packageVersion(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'kafka-pipe' && pkg.version !== undefined) return pkg.version
    } catch {
      // no package.json here: look further up
    }
    if (dirname(dir) === dir) return 'unknown'
  }
}
