// Compiles the TypeScript sources and writes the oclif manifest, so that start-up never scans
// the commands folder.
import {execFileSync} from 'node:child_process'
import {rmSync} from 'node:fs'

const run = (cmd, args) => execFileSync(cmd, args, {stdio: 'inherit'})
rmSync('dist', {force: true, recursive: true})
rmSync('oclif.manifest.json', {force: true})
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'])
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
