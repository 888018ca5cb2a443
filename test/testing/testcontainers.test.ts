import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect } from 'chai'

const run = promisify(execFile)
const lib = join(__dirname, '..', '..', 'lib')

/** Runs `script` in a fresh Node (with tsx, as the tests run) and returns what it printed. */
async function inChild(script: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: join(lib, '..') })
  return stdout.trim()
}

describe('testing/testcontainers', function () {
  this.timeout(30_000)

  it('is not loaded by importing kafka-pipe or kafka-pipe/testing', async () => {
    const loaded = await inChild(`
      require(${JSON.stringify(lib)})
      require(${JSON.stringify(join(lib, 'testing'))})
      const count = () => Object.keys(require.cache).filter((f) => f.includes('/node_modules/testcontainers/')).length
      const before = count()
      require(${JSON.stringify(join(lib, 'testing', 'testcontainers'))}).loadTestcontainers()
      process.stdout.write(JSON.stringify({ before, after: count() }))
    `)
    const { before, after } = JSON.parse(loaded) as { before: number; after: number }
    expect(before).to.equal(0)
    // The check can see it: asking for it does load it.
    expect(after).to.be.greaterThan(0)
  })

  it("asking for the container engine without testcontainers installed says what to install", async () => {
    // Hides the installed package the way a missing one fails: Node's resolver throws MODULE_NOT_FOUND.
    const printed = await inChild(`
      const Module = require('node:module')
      const resolve = Module._resolveFilename
      Module._resolveFilename = function (request, ...rest) {
        if (request === 'testcontainers') {
          const err = new Error("Cannot find module 'testcontainers'")
          err.code = 'MODULE_NOT_FOUND'
          throw err
        }
        return resolve.call(this, request, ...rest)
      }
      const { startKafka } = require(${JSON.stringify(join(lib, 'testing'))})
      startKafka({ engine: 'container', useEnvironment: false }).then(
        () => process.stdout.write('started'),
        (e) => process.stdout.write(JSON.stringify({ name: e.name, code: e.code, dependency: e.dependency, message: e.message })),
      )
    `)
    const err = JSON.parse(printed) as { name: string; code: string; dependency: string; message: string }
    expect(err).to.include({ name: 'MissingDependencyError', code: 'ERR_KAFKA_PIPE_MISSING_DEPENDENCY', dependency: 'testcontainers' })
    expect(err.message).to.contain("startKafka({ engine: 'container' }) needs the package \"testcontainers\"")
    expect(err.message).to.contain('npm install --save-dev testcontainers@11')
  })
})
