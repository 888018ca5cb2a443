import { expect } from 'chai'
import { AbortedError, type DeliveryError } from '../../lib/errors'
import type { Ticket } from '../../lib/writable/batch'
import { Dispatcher } from '../../lib/writable/dispatcher'
import type { ProduceBatch, ProduceClient } from '../../lib/writable/produce-client'
import type { OutgoingRecord } from '../../lib/writable/record'

/** A ProduceClient whose every batch waits until the test answers it. */
class ManualClient implements ProduceClient {
  readonly calls: Array<{ batch: ProduceBatch; resolve: (offset: string) => void; reject: (error: Error) => void }> = []
  requestCount = 0
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  partitions(): readonly number[] {
    return [0, 1, 2]
  }
  async loadTopics(): Promise<void> {}
  produce(batch: ProduceBatch): Promise<string | null> {
    this.requestCount++
    return new Promise((resolve, reject) => this.calls.push({ batch, resolve, reject }))
  }
  /** The call that sent `value`. */
  call(value: string): ManualClient['calls'][number] {
    return this.calls.find((c) => c.batch.records.some((r) => String(r.value) === value))!
  }
}

function record(partition: number, value: string): OutgoingRecord {
  return { topic: 't', partition, key: null, value: Buffer.from(value), headers: [], timestamp: 0, bytes: 1, source: { value } }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function setup(batchSize = 10): { client: ManualClient; dispatcher: Dispatcher; failed: DeliveryError[]; results: Array<Error | null | undefined> } {
  const client = new ManualClient()
  const failed: DeliveryError[] = []
  const results: Array<Error | null | undefined> = []
  const dispatcher = new Dispatcher(client, { batchSize, batchBytes: 1_000_000, linger: 0, callAcks: true }, {
    delivered: () => {},
    failed: (error) => failed.push(error),
    ackFailed: () => {},
    drained: () => {},
  })
  return { client, dispatcher, failed, results }
}

function write(dispatcher: Dispatcher, results: Array<Error | null | undefined>, partition: number, value: string): void {
  const ticket: Ticket = { remaining: 1, done: (err) => results.push(err) }
  dispatcher.add(record(partition, value), ticket)
}

describe('writable/dispatcher', () => {
  it('reports a failure once the requests on the wire have returned, naming every batch that failed and none that was stored', async () => {
    const { client, dispatcher, failed } = setup()
    const results: Array<Error | null | undefined> = []
    for (const p of [0, 1, 2]) write(dispatcher, results, p, `v${p}`)
    dispatcher.flush()
    await tick()
    expect(client.calls).to.have.length(3)

    const refused = Object.assign(new Error('broker 1 down'), { retriable: true })
    client.call('v0').reject(refused)
    await tick()
    expect(failed, 'reported while partitions 1 and 2 are on the wire').to.deep.equal([])
    client.call('v1').resolve('7')
    await tick()
    expect(failed).to.deep.equal([])
    const timeout = Object.assign(new Error('deliveryTimeout passed'), { retriable: true })
    client.call('v2').reject(timeout)
    await tick()

    expect(failed).to.have.length(1)
    const error = failed[0]!
    expect(error.retriable).to.equal(true)
    expect(error.failures.map((f) => [f.partition, f.error])).to.deep.equal([
      [0, refused],
      [2, timeout],
    ])
    expect(error.messages).to.deep.equal([{ value: 'v0' }, { value: 'v2' }])
    expect(results.filter((r) => r === error)).to.have.length(2)
    expect(results.filter((r) => !r)).to.have.length(1)
  })

  it('stops sending at the first failure and lists the batches it never sent after the failed ones', async () => {
    const { client, dispatcher, failed, results } = setup(1)
    write(dispatcher, results, 0, 'a')
    write(dispatcher, results, 0, 'b')
    write(dispatcher, results, 1, 'c')
    dispatcher.flush()
    await tick()
    expect(client.calls.map((c) => c.batch.partition)).to.deep.equal([0, 1])

    client.call('c').resolve('0')
    client.call('a').reject(new Error('NOT_ENOUGH_REPLICAS'))
    await tick()

    expect(client.calls, 'nothing sent after the failure').to.have.length(2)
    expect(failed).to.have.length(1)
    const [first, second] = failed[0]!.failures
    expect(first!.messages).to.deep.equal([{ value: 'a' }])
    expect(first!.error.message).to.equal('NOT_ENOUGH_REPLICAS')
    expect(second!.messages).to.deep.equal([{ value: 'b' }])
    expect(second!.error).to.be.instanceOf(AbortedError)
  })
})
