// Per simulated API command: the parameters the simulator implements (those its listApis lists)
// against those upstream's command class declares (test/fixtures/upstream-api-parameters.json,
// base classes included), and the ones left out as not simulated.
//
//   node --import tsx scripts/sim-coverage.mjs [--flavor mold|cloudstack] [--json]
import {readFileSync} from 'node:fs'

const {ALL_APIS} = await import('../src/sim/handlers/index.ts')
const {apiForFlavor} = await import('../src/sim/catalog/registry.ts')

const args = process.argv.slice(2)
const flavor = args.includes('--flavor') ? args[args.indexOf('--flavor') + 1] : 'mold'
if (flavor !== 'mold' && flavor !== 'cloudstack') throw new Error(`unknown flavor ${flavor}`)
const data = JSON.parse(
  readFileSync(new URL('../test/fixtures/upstream-api-parameters.json', import.meta.url), 'utf8'),
)

function declared(command) {
  const own = (flavor === 'mold' && data.mold[command]) || data.commands[command]
  if (!own) throw new Error(`${command}: no upstream declaration in the fixture`)
  const names = own.params.map((param) => param.name)
  for (let base = own.extends; data.bases[base]; base = data.bases[base].extends)
    names.push(...data.bases[base].params.map((param) => param.name))
  return [...new Set(names)]
}

const rows = ALL_APIS.map((api) => apiForFlavor(api, flavor))
  .map((api) => {
    const upstream = declared(api.name)
    const implemented = api.params.map((param) => param.name)
    return {
      command: api.name,
      declared: upstream.length,
      implemented: implemented.length,
      notSimulated: upstream.filter((name) => !implemented.includes(name)),
    }
  })
  .sort((a, b) => a.command.localeCompare(b.command))

if (args.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2))
} else {
  for (const row of rows) {
    const left = row.notSimulated.length > 0 ? `  (not simulated: ${row.notSimulated.join(', ')})` : ''
    console.log(`${row.command}: ${row.implemented} / ${row.declared}${left}`)
  }

  const sum = (key) => rows.reduce((total, row) => total + row[key], 0)
  const full = rows.filter((row) => row.notSimulated.length === 0).length
  console.log(
    `${rows.length} commands (${flavor}): ${sum('implemented')} of ${sum('declared')} declared parameters implemented; ${full} commands complete`,
  )
}
