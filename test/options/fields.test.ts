import { expect } from 'chai'
import { InvalidOptionError } from '../../lib/errors'
import { abortSignal, flag, func, integer, INT32_MAX, milliseconds, nonEmptyString, oneOf } from '../../lib/options/fields'

function rejects(check: (value: unknown, name: string) => unknown, value: unknown, message: RegExp): void {
  expect(() => check(value, 'opt')).to.throw(InvalidOptionError, message).with.property('option', 'opt')
}

describe('option fields', () => {
  it('integer: whole numbers within the range, nothing else', () => {
    expect(integer(1, 10)(10, 'opt')).to.equal(10)
    for (const bad of [0, 11, 1.5, NaN, Infinity, '3', 2n, null]) rejects(integer(1, 10), bad, /option "opt" must be an integer from 1 to 10/)
    rejects(integer(0), -1, /an integer >= 0, not -1/)
  })

  it('milliseconds: no more than Node timers take (a larger delay would fire at once)', () => {
    expect(milliseconds(0)(INT32_MAX, 'opt')).to.equal(INT32_MAX)
    for (const bad of [-1, INT32_MAX + 1, 0.5, NaN, '5']) rejects(milliseconds(0), bad, /whole number of milliseconds from 0 to 2147483647/)
  })

  it('flag, nonEmptyString, oneOf, func and abortSignal take only their kind', () => {
    expect(flag(false, 'opt')).to.equal(false)
    rejects(flag, 'true', /true or false, not 'true'/)
    rejects(nonEmptyString(), '', /a non-empty string, not ''/)
    expect(oneOf(['a', 'b'])('b', 'opt')).to.equal('b')
    rejects(oneOf(['a', 'b']), 'c', /one of 'a', 'b', not 'c'/)
    rejects(func('(x) => y'), {}, /a function \(x\) => y/)
    rejects(abortSignal, { aborted: false }, /an AbortSignal/)
  })
})
