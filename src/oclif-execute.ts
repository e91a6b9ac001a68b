// oclif's runner, loaded by src/run.ts only when a command or help is asked for. (A dynamic
// import of the CommonJS module itself would, in the bundle, give its exports under `default`.)
export {execute} from '@oclif/core/execute'
