import {
  createPrompt,
  isDownKey,
  isEnterKey,
  isSpaceKey,
  isUpKey,
  makeTheme,
  useKeypress,
  usePagination,
  usePrefix,
  useState,
} from '@inquirer/core'

import {filterChoices, type PickChoice} from './picker.js'

export interface FilterPromptConfig {
  choices: PickChoice[]
  message: string
  /** Several choices ticked with Space (true), or the highlighted one (false). */
  multiple: boolean
  /** What the choices are, for the messages ("host"). */
  noun: string
  pageSize?: number
}

/**
 * A list filtered by what the operator types, built on @inquirer/core. Every printable key,
 * digits and letters alike, is filter text (no key ticks all or inverts); ↑↓ move; with
 * `multiple`, Space ticks or unticks the highlighted row (ticks survive a change of filter);
 * Enter accepts the ticked rows (multiple) or the highlighted one. Ctrl-C rejects with
 * inquirer's ExitPromptError. Answers the chosen values.
 */
export const filterPrompt = createPrompt<string[], FilterPromptConfig>((config, done) => {
  const theme = makeTheme()
  const [status, setStatus] = useState<'done' | 'idle'>('idle')
  const prefix = usePrefix({status, theme})
  const [term, setTerm] = useState('')
  const [active, setActive] = useState(0)
  const [ticked, setTicked] = useState<readonly string[]>([])
  const [error, setError] = useState<string | undefined>()
  const shown = filterChoices(config.choices, term)
  const highlighted = shown[Math.min(active, shown.length - 1)]
  const keepTerm = (rl: {clearLine(dir: 0): void; write(text: string): void}) => {
    rl.clearLine(0)
    rl.write(term)
  }

  useKeypress((key, rl) => {
    if (isEnterKey(key)) {
      const picked = config.multiple
        ? config.choices.filter((c) => ticked.includes(c.value))
        : highlighted
          ? [highlighted]
          : []
      if (picked.length === 0) {
        setError(
          config.multiple ? `tick at least one ${config.noun} with space` : `no ${config.noun} matches`,
        )
        // readline empties its line on Enter; the filter stays what it was.
        rl.write(term)
        return
      }

      setStatus('done')
      done(picked.map((c) => c.value))
    } else if (isUpKey(key) || isDownKey(key)) {
      keepTerm(rl)
      if (shown.length > 0) {
        const at = Math.min(active, shown.length - 1)
        setActive(isUpKey(key) ? Math.max(0, at - 1) : Math.min(shown.length - 1, at + 1))
      }
    } else if (config.multiple && isSpaceKey(key)) {
      keepTerm(rl)
      setError(undefined)
      if (highlighted) {
        const {value} = highlighted
        setTicked(ticked.includes(value) ? ticked.filter((v) => v !== value) : [...ticked, value])
      }
    } else if (rl.line !== term) {
      setTerm(rl.line)
      setActive(0)
      setError(undefined)
    }
  })

  const message = theme.style.message(config.message, status)
  if (status === 'done') {
    const names = config.multiple
      ? config.choices.filter((c) => ticked.includes(c.value)).map((c) => c.name)
      : [highlighted?.name ?? '']
    return [prefix, message, theme.style.answer(names.join(', '))].join(' ')
  }

  const page = usePagination({
    active: Math.max(0, Math.min(active, shown.length - 1)),
    items: shown,
    loop: false,
    pageSize: config.pageSize ?? 15,
    renderItem({isActive, item}) {
      const mark = config.multiple ? (ticked.includes(item.value) ? '◉ ' : '◯ ') : ''
      const line = `${isActive ? '❯' : ' '} ${mark}${item.label}`
      return isActive ? theme.style.highlight(line) : line
    },
  })
  const tickedNames = config.choices.filter((c) => ticked.includes(c.value)).map((c) => c.name)
  const keys = config.multiple
    ? 'type to filter • ↑↓ move • space tick/untick • enter accept'
    : 'type to filter • ↑↓ move • enter choose'
  const body = [
    shown.length > 0 ? page : `  no ${config.noun} matches "${term}"`,
    ' ',
    config.multiple
      ? `ticked ${tickedNames.length}${tickedNames.length > 0 ? `: ${tickedNames.join(', ')}` : ''}`
      : '',
    error ? theme.style.error(error) : '',
    theme.style.help(keys),
  ]
    .filter(Boolean)
    .join('\n')
  return [[prefix, message, term].filter(Boolean).join(' '), body]
})
