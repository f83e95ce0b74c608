/**
 * Named points in a build where the crash-safety tests stop the process dead (SIGKILL), set by
 * JIANSUO_FAILPOINT=<name>, or make it fail as the system would (JIANSUO_FAILPOINT=<name>:ENOSPC throws
 * an error with that code, a full disk); and where an in-process test may act (move the posts folder
 * mid-build). Unset, as in every real run, this does nothing.
 */
export function failpoint(name: string): void {
  act?.(name)
  const set = process.env.JIANSUO_FAILPOINT
  if (set === undefined) return
  if (set === name) process.kill(process.pid, 'SIGKILL')
  const [point, code] = set.split(':')
  if (point === name && code) throw Object.assign(new Error(`${code}: failed at ${name} (JIANSUO_FAILPOINT)`), { code })
}

let act: ((name: string) => void) | null = null

/** For tests: `hook` runs at every named point of the builds in this thread, until set back to null. */
export function onFailpoint(hook: ((name: string) => void) | null): void {
  act = hook
}
