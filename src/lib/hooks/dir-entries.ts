import {constants} from 'node:fs'
import {access, lstat, open, readdir, stat} from 'node:fs/promises'
import path from 'node:path'

/** What a hook runner sees of one directory entry (symlinks followed, like os.access / File.isFile). */
export interface HookDirEntry {
  /** Executable for the current user (`access(X_OK)`, as Python's os.access and the JVM do). */
  executable: boolean
  /** The first bytes say how the kernel would run it: `#!` interpreter line or an ELF binary. */
  header?: 'elf' | 'none' | 'shebang'
  kind: 'broken-symlink' | 'directory' | 'file' | 'other'
  name: string
}

/** How a folder looked when we read it. */
export type HookDirListing =
  {entries: []; state: 'missing' | 'not-a-directory'} | {entries: HookDirEntry[]; state: 'ok'}

async function readHeader(file: string): Promise<HookDirEntry['header']> {
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.alloc(4)
    const {bytesRead} = await handle.read(buffer, 0, 4, 0)
    const head = buffer.subarray(0, bytesRead)
    if (head.length >= 2 && head[0] === 0x23 && head[1] === 0x21) return 'shebang'
    if (head.length === 4 && head.toString('latin1') === '\u007FELF') return 'elf'
    return 'none'
  } finally {
    await handle.close()
  }
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

async function describeEntry(dir: string, name: string): Promise<HookDirEntry> {
  const full = path.join(dir, name)
  let info
  try {
    info = await stat(full)
  } catch {
    const link = await lstat(full).catch(() => null)
    return {executable: false, kind: link?.isSymbolicLink() ? 'broken-symlink' : 'other', name}
  }

  const executable = await isExecutable(full)
  if (info.isDirectory()) return {executable, kind: 'directory', name}
  if (!info.isFile()) return {executable, kind: 'other', name}
  try {
    return {executable, header: await readHeader(full), kind: 'file', name}
  } catch {
    // Unreadable (e.g. no read permission): how it would start is unknown.
    return {executable, kind: 'file', name}
  }
}

/** Lists a hook folder in directory order (the order os.listdir and File.list give). */
export async function readHookDir(dir: string): Promise<HookDirListing> {
  let info
  try {
    info = await stat(dir)
  } catch {
    return {entries: [], state: 'missing'}
  }

  if (!info.isDirectory()) return {entries: [], state: 'not-a-directory'}
  const names = await readdir(dir)
  const entries = await Promise.all(names.map((name) => describeEntry(dir, name)))
  return {entries, state: 'ok'}
}
