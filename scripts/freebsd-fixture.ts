/**
 * Writes the FreeBSD result FIXTURE (from the article's table, not a
 * measurement) to the path given: `node dist/scripts/freebsd-fixture.js OUT.json`.
 */
import { freebsdFixture } from '../src/probe/fixture.js'
import { writeFileAtomic } from '../src/store/files.js'

const out = process.argv[2]
if (out === undefined) {
  process.stderr.write('usage: node dist/scripts/freebsd-fixture.js OUT.json\n')
  process.exit(2)
}
writeFileAtomic(out, JSON.stringify(freebsdFixture(), null, 2) + '\n')
process.stdout.write(`wrote ${out} (a FIXTURE from the article's FreeBSD table, not a measurement)\n`)
