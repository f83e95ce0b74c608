/**
 * Named points in a build where the crash-safety tests stop the process dead (SIGKILL), set by
 * JIANSUO_FAILPOINT=<name>. Unset, as in every real run, this does nothing.
 */
export function failpoint(name: string): void {
  if (process.env.JIANSUO_FAILPOINT === name) process.kill(process.pid, 'SIGKILL')
}
