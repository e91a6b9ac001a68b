import type {BarStyle} from '../overprovision/capacity-bar.js'
import type {loadChalk} from './color.js'

type Chalk = Awaited<ReturnType<typeof loadChalk>>

/**
 * How capacity bars are drawn on stdout: Unicode blocks at a terminal, ASCII in a pipe or a
 * file; in colour (green, yellow from 75 %, red from 85 %) when chalk has colour there, which
 * NO_COLOR turns off (color.ts).
 */
export function barStyle(chalk: Chalk, stream: NodeJS.WriteStream = process.stdout): BarStyle {
  const unicode = Boolean(stream.isTTY) && process.env.TERM !== 'dumb'
  if (!unicode || chalk.level === 0) return {unicode}
  return {
    paint: {
      dim: (text) => chalk.dim(text),
      level: (level, text) =>
        level === 'critical' ? chalk.red(text) : level === 'warning' ? chalk.yellow(text) : chalk.green(text),
    },
    unicode,
  }
}
