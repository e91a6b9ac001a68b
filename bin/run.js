#!/usr/bin/env node
// dist/ is written by `npm run build` (the bundled CLI).
import {run} from '../dist/run.js'

await run(import.meta.url)
