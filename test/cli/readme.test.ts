import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'chai'
import { COMMANDS } from '../../lib/cli/commands'
import { ExitCode } from '../../lib/cli/exit-codes'

/** The README's "Command line" section documents every flag the schemas take, and every exit code. */
describe('README: Command line', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8')
  const section = /## Command line\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? ''

  it('is there', () => {
    expect(section).not.to.equal('')
  })

  for (const command of COMMANDS) {
    it(`names every flag of ${command.name}`, () => {
      expect(section).to.include(`kafka-pipe ${command.name}`)
      for (const flag of Object.keys(command.flags)) expect(section, flag).to.include(`--${flag}`)
    })
  }

  it('lists every exit code', () => {
    for (const code of Object.values(ExitCode)) expect(section).to.match(new RegExp(`\\| [^|]*\\b${code}\\b`))
  })
})
