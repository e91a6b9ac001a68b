/**
 * A capacity bar for human output: used, allocated (when it is more) and free cells of a
 * fixed width, with the 75 % and 85 % thresholds (the server's notification and
 * allocation-disable defaults) marked. Pure: the caller says whether to draw with Unicode
 * blocks (a terminal) or plain ASCII (a pipe, a file), and gives the colours (none under
 * NO_COLOR or off a terminal).
 */
import {DEFAULT_USAGE_THRESHOLDS, type UsageLevel, usageLevel} from './capacity-rules.js'

export interface BarPaint {
  /** The allocated cells and the threshold marks. */
  dim(text: string): string
  /** The used cells, by how full the whole is. */
  level(level: UsageLevel, text: string): string
}

export interface BarStyle {
  paint?: BarPaint
  /** Unicode blocks (a terminal) rather than ASCII. */
  unicode: boolean
  /** Cells between the brackets, marks excluded (20). */
  width?: number
}

const GLYPHS = {
  ascii: {allocated: '+', free: '.', mark: '|', over: '>', used: '#'},
  unicode: {allocated: '▒', free: '░', mark: '│', over: '▶', used: '█'},
}

/** `[#########++++...|..|...]` for used 9/20, allocated 13/20; '' when the total is not known. */
export function capacityBar(
  parts: {allocated?: number; total: number; used: number},
  style: BarStyle,
): string {
  const {total, used} = parts
  if (!(total > 0) || !Number.isFinite(used)) return ''
  const width = style.width ?? 20
  const glyph = style.unicode ? GLYPHS.unicode : GLYPHS.ascii
  const cells = (value: number) => Math.max(0, Math.min(width, Math.round((value / total) * width)))
  const usedCells = cells(used)
  const allocatedCells = Math.max(usedCells, cells(parts.allocated ?? used))
  const marks = new Set(
    [DEFAULT_USAGE_THRESHOLDS.warning, DEFAULT_USAGE_THRESHOLDS.critical].map((p) =>
      Math.round((p / 100) * width),
    ),
  )
  const level = usageLevel((Math.max(used, parts.allocated ?? 0) / total) * 100)
  const {paint} = style
  let bar = ''
  for (let i = 0; i < width; i++) {
    if (marks.has(i)) bar += paint ? paint.dim(glyph.mark) : glyph.mark
    if (i < usedCells) bar += paint ? paint.level(level, glyph.used) : glyph.used
    else if (i < allocatedCells) bar += paint ? paint.dim(glyph.allocated) : glyph.allocated
    else bar += glyph.free
  }

  const over = Math.max(used, parts.allocated ?? 0) > total ? glyph.over : ''
  return `[${bar}]${over}`
}
