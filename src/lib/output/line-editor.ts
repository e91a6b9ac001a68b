/**
 * One line read at the terminal for `moldctl shell`: a prompt, the history under the arrow
 * keys, Tab completion. Ctrl-C cancels the line; Ctrl-D on an empty line ends the input. The
 * readline interface lives only while the line is typed, so that between lines the terminal is
 * back in its normal mode: a running command gets Ctrl-C as SIGINT, as it would on its own.
 */
import {createInterface} from 'node:readline'

export type LineAnswer = {kind: 'cancel'} | {kind: 'eof'} | {kind: 'line'; line: string}

export interface LineOptions {
  /** Candidates for the line so far, and the text at its end that they replace. */
  complete(line: string): Promise<[string[], string]>
  /** Earlier lines, newest first. */
  history: string[]
  prompt: string
}

export function readLine(opts: LineOptions): Promise<LineAnswer> {
  return new Promise((resolve) => {
    let settled = false
    const rl = createInterface({
      completer(line: string, callback: (error: Error | null, result: [string[], string]) => void) {
        opts.complete(line).then(
          (result) => callback(null, result),
          () => callback(null, [[], line]),
        )
      },
      history: [...opts.history],
      historySize: 1000,
      input: process.stdin,
      output: process.stdout,
      removeHistoryDuplicates: true,
      terminal: true,
    })
    const finish = (answer: LineAnswer) => {
      if (settled) return
      settled = true
      rl.close()
      resolve(answer)
    }

    rl.on('line', (line) => finish({kind: 'line', line}))
    rl.on('SIGINT', () => {
      process.stdout.write('^C\n')
      finish({kind: 'cancel'})
    })
    rl.on('close', () => {
      if (!settled) process.stdout.write('\n')
      finish({kind: 'eof'})
    })
    rl.setPrompt(opts.prompt)
    rl.prompt()
  })
}
