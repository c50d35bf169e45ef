/**
 * The command line of this process as typed, shell-quoted: what a result records as its command and
 * what a port claim tells another run about its holder.
 */
export function commandLine (): string {
  return ['reuseport-bench', ...process.argv.slice(2)].map(a => /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`).join(' ')
}
