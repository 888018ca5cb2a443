import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { startKafka } from '../../../lib/testing'
import { TestingError } from '../../../lib/errors'

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Resolves once `check` holds, checking on a short interval; fails after `timeoutMs`. */
async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('startKafka (integration)', function () {
  this.timeout(180_000)

  it('says what to install when there is no Java', async () => {
    const saved = process.env.JAVA_HOME
    process.env.JAVA_HOME = '/nonexistent/jdk'
    try {
      const err = await startKafka({ useEnvironment: false }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).to.be.instanceOf(TestingError)
      expect((err as TestingError).code).to.equal('ERR_KAFKA_PIPE_TESTING')
      expect((err as Error).message).to.match(/Java 17 or newer/).and.match(/JAVA_HOME/)
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME
      else process.env.JAVA_HOME = saved
    }
  })

  it('reports a version Maven cannot fetch with what Maven said', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'kafka-pipe-cache-'))
    try {
      const err = await startKafka({ version: '0.0.1', useEnvironment: false, cacheDir }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).to.be.instanceOf(TestingError)
      expect((err as Error).message).to.match(/could not fetch org\.apache\.kafka:kafka_2\.13:0\.0\.1/)
      expect(existsSync(join(cacheDir, 'kafka_2.13-0.0.1', 'libs'))).to.equal(false)
    } finally {
      await rm(cacheDir, { recursive: true, force: true })
    }
  })

  it('leaves no JVM and no data behind when the process that started the broker is killed', async () => {
    const script = `
      const { startKafka } = require(${JSON.stringify(join(__dirname, '../../../lib/testing'))})
      startKafka({ useEnvironment: false }).then((c) => {
        process.stdout.write(JSON.stringify({ pid: c.nodes[0].pid, dataDir: c.dataDir }) + '\\n')
        setInterval(() => {}, 1000)
      }, (e) => { console.error(e); process.exit(1) })
    `
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    const [line] = (await once(child.stdout!, 'data')) as [Buffer]
    const { pid, dataDir } = JSON.parse(line.toString()) as { pid: number; dataDir: string }
    expect(alive(pid)).to.equal(true)
    expect(existsSync(dataDir)).to.equal(true)

    child.kill('SIGKILL')
    await once(child, 'exit')
    await eventually(() => !alive(pid), 20_000, `the broker JVM ${pid} has exited`)
    await eventually(() => !existsSync(dataDir), 20_000, `${dataDir} is removed`)
  })
})
