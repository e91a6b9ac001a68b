import {Flags} from '@oclif/core'

/**
 * --watch and --interval SECONDS for a status command: the look repeated until Ctrl-C, like
 * `kubectl get -w` (lib/output/watch.ts). `defaultSeconds` is the command's own pace.
 */
export function watchFlags(defaultSeconds: number) {
  return {
    // No oclif default: a default would count as given and trip dependsOn (the command applies it).
    interval: Flags.integer({
      dependsOn: ['watch'],
      helpGroup: 'WATCH',
      min: 1,
      summary: `Seconds between looks with --watch (at least 1; default ${defaultSeconds}).`,
    }),
    watch: Flags.boolean({
      char: 'w',
      helpGroup: 'WATCH',
      summary:
        'Look again every --interval seconds until Ctrl-C (exit 0): redrawn at a terminal, printed on change in a pipe, one JSON line per look with --json.',
    }),
  }
}

/** The --watch text of a command's description. */
export const WATCH_DESCRIPTION = `With --watch the look is repeated every --interval seconds until Ctrl-C or SIGTERM, which end the watch normally (exit 0). At a terminal the table is redrawn in place under a line with the time; in a pipe or a log the table is printed again only when it changed, after a time-stamped line; with --json (or -o json) each look is one compact JSON document on its own line: {"rows":[...],"time":"..."}. -o yaml and -o csv do not combine with --watch (exit 2). A failed look shows the error and the watch goes on; 3 failures in a row end it with that error's exit code (1 for an API error), and so does a failure of the very first look.`
