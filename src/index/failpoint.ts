/**
 * Named points in a build where the crash-safety tests stop the process dead (SIGKILL), set by
 * JIANSUO_FAILPOINT=<name>, and where an in-process test may act (move the posts folder mid-build). Unset, as in every real run, this does nothing.
 */
export function failpoint(name: string): void {
  act?.(name)
  if (process.env.JIANSUO_FAILPOINT === name) process.kill(process.pid, 'SIGKILL')
}

let act: ((name: string) => void) | null = null

/** For tests: `hook` runs at every named point of the builds in this thread, until set back to null. */
export function onFailpoint(hook: ((name: string) => void) | null): void {
  act = hook
}
