// yargs 18 ships types only for its browser entry, so the Node entry takes @types/yargs, whose newest
// release (17.0.35) describes yargs 17. What yargs 18 has and those types lack, and this CLI calls, is
// declared here (checked against yargs 18.2.0's build/lib/yargs-factory.js).
import 'yargs'

declare module 'yargs' {
  interface Argv<T> {
    /** 'hide-types': leave out of the help each option's type, default and choices (the CLI writes its own units and defaults). */
    usageConfiguration: (config: { 'hide-types'?: boolean }) => Argv<T>
    /** The options this yargs knows, by key (aliases included); for the nearest flag to a typo. */
    getOptions: () => { key: Record<string, unknown> }
  }
}
