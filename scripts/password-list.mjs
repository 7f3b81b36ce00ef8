// password-list.mjs builds backend/internal/password/common.txt.gz, the
// list of common passwords and words that package password refuses
// (password.breached). Run from the repository root after `npm ci` in
// frontend/:  node scripts/password-list.mjs
//
// Sources (all MIT-licensed, see docs/security.md "Password list"):
//   @zxcvbn-ts/language-common 4.1.3  passwords (common breached passwords)
//   @zxcvbn-ts/language-de     3.0.2  commonWords, wikipedia, firstnames, lastnames
//   @zxcvbn-ts/language-en     4.1.1  commonWords, wikipedia, firstnames, lastnames
//   backend/internal/password/german-passwords.txt  common German passwords
//
// Entries are NFKC-normalised and lower-cased, at least 4 characters
// long, one per line, sorted by byte order, without duplicates: the form
// the Go checker searches.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { gzipSync } from 'node:zlib'

const require = createRequire(new URL('../frontend/package.json', import.meta.url))
const load = async (name) => (await import(require.resolve(name))).dictionary

const common = await load('@zxcvbn-ts/language-common')
const de = await load('@zxcvbn-ts/language-de')
const en = await load('@zxcvbn-ts/language-en')
const german = readFileSync(new URL('../backend/internal/password/german-passwords.txt', import.meta.url), 'utf8')
  .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))

const lists = [
  common['passwords-common'],
  de.commonWords, de.wikipedia, de.firstnames, de.lastnames,
  en['commonWords-en'], en['wikipedia-en'], en['firstnames-en'], en['lastnames-en'],
  german,
]
const set = new Set()
for (const list of lists) {
  for (const w of list) {
    const n = String(w).normalize('NFKC').toLowerCase()
    if ([...n].length >= 4) set.add(n)
  }
}
const words = [...set].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))))
const out = new URL('../backend/internal/password/common.txt.gz', import.meta.url)
writeFileSync(out, gzipSync(words.join('\n') + '\n', { level: 9 }))
console.log(`${words.length} entries written to ${out.pathname}`)
