/* eslint-disable no-template-curly-in-string -- shell scripts: ${...} is the shell's own expansion */
/**
 * The completion scripts `moldctl completion bash|zsh|fish` prints. Each asks the program it
 * completes (the first word of the line, so `./bin/run.js` works too) with
 * `__complete WORDS...`, the last word being the one typed so far, and offers the lines it
 * prints. The words are taken from the line as typed, not from the shell's own splitting (bash
 * splits `--zone=z1` at `=` and `host:list` at `:`).
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type CompletionShell = (typeof SHELLS)[number]

const BASH = [
  '# moldctl completion for bash: source it from ~/.bashrc.',
  '_moldctl_complete() {',
  '  local line=${COMP_LINE:0:COMP_POINT}',
  '  local -a words',
  '  read -ra words <<<"$line"',
  '  [[ $line =~ [[:space:]]$ ]] && words+=("")',
  '  local typed=${words[${#words[@]}-1]}',
  '  local current=${COMP_WORDS[COMP_CWORD]}',
  '  # bash replaces only the part after its last word break (= or :): drop what comes before it.',
  '  local strip=""',
  '  if [[ -n $current && $typed != "$current" && $typed == *"$current" ]]; then strip=${typed%"$current"}; fi',
  '  [[ $current == "=" || $current == ":" ]] && strip=${typed%"$current"}',
  '  COMPREPLY=()',
  '  local candidate',
  '  while IFS= read -r candidate; do',
  '    [[ -n $candidate ]] && COMPREPLY+=("${candidate#"$strip"}")',
  '  done < <("${words[0]}" __complete "${words[@]:1}" 2>/dev/null)',
  '  return 0',
  '}',
  'complete -o default -F _moldctl_complete moldctl',
  '',
].join('\n')

const ZSH = [
  '#compdef moldctl',
  '# moldctl completion for zsh: source it from ~/.zshrc after compinit, or save it as _moldctl in',
  '# a directory of $fpath.',
  '_moldctl() {',
  '  local -a candidates',
  '  candidates=("${(@f)$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")',
  '  candidates=("${(@)candidates:#}")',
  '  (( ${#candidates} )) && compadd -Q -- "${candidates[@]}"',
  '  return 0',
  '}',
  'if (( $+functions[compdef] )); then compdef _moldctl moldctl; fi',
  '',
].join('\n')

const FISH = [
  '# moldctl completion for fish: save it as ~/.config/fish/completions/moldctl.fish.',
  'function __moldctl_complete',
  '    set -l words (commandline -opc)',
  '    set -l current (commandline -ct)',
  '    $words[1] __complete $words[2..-1] "$current" 2>/dev/null',
  'end',
  "complete -c moldctl -f -a '(__moldctl_complete)'",
  '',
].join('\n')

export function completionScript(shell: CompletionShell): string {
  return {bash: BASH, fish: FISH, zsh: ZSH}[shell]
}

/** Where each shell reads the script from, for --help. */
export const INSTALL_HINTS: Record<CompletionShell, string> = {
  bash: `echo 'source <(moldctl completion bash)' >> ~/.bashrc`,
  fish: 'moldctl completion fish > ~/.config/fish/completions/moldctl.fish',
  zsh: `echo 'source <(moldctl completion zsh)' >> ~/.zshrc   # after compinit`,
}
