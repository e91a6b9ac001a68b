/** Every module that registers chaos scenarios (bench/chaos/registry.ts). */
import './faults.js'
import './bad-inputs.js'
import './secrets.js'
import './data.js'
