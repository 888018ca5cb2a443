import { expect } from 'chai'
import { InvalidOptionError } from '../../lib/errors'
import { defaultSecurityOptions, resolveSecurityOptions } from '../../lib/testing/security-options'

describe('testing/security-options', () => {
  it('means no security when left out or false', () => {
    expect(resolveSecurityOptions(undefined)).to.equal(undefined)
    expect(resolveSecurityOptions(false)).to.equal(undefined)
  })

  it('takes the documented defaults for true: users alice and bob, no ACLs', () => {
    expect(resolveSecurityOptions(true)).to.deep.equal({ users: { alice: 'alice-secret', bob: 'bob-secret' }, acls: false })
    expect(resolveSecurityOptions({})).to.deep.equal(defaultSecurityOptions)
  })

  it('keeps given users and acls', () => {
    expect(resolveSecurityOptions({ users: { carol: 'c-1' }, acls: true })).to.deep.equal({ users: { carol: 'c-1' }, acls: true })
  })

  for (const [security, expected] of [
    ['yes', /option "security" must be true, false or an object/],
    [{ user: {} }, /option "security.user" must be left out: security takes users, acls/],
    [{ acls: 'on' }, /option "security.acls" must be true or false, not 'on'/],
    [{ users: ['alice'] }, /option "security.users" must be an object of user names to passwords/],
    [{ users: { admin: 'x' } }, /option "security.users" must be user names .* other than "admin", not 'admin'/],
    [{ users: { 'a b': 'x' } }, /option "security.users" must be user names of letters/],
    [{ users: { alice: 'pass word' } }, /option "security.users.alice" must be a password of letters/],
  ] as const) {
    it(`rejects ${JSON.stringify(security)} with an InvalidOptionError naming the option`, () => {
      expect(() => resolveSecurityOptions(security)).to.throw(InvalidOptionError, expected)
    })
  }
})
