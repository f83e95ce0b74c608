import { execFileSync } from 'node:child_process'

/** Which jiansuo a benchmark measured: the commit, and whether src/ differed from it. */
export function sourceVersion(root: string): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim()
    const dirty = git('status', '--porcelain', '--', 'src') !== ''
    return `jiansuo at commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/' : ''}`
  } catch {
    return 'jiansuo outside a git checkout'
  }
}
