// The `wasmeans` command (build/cli.js): see src/cli/main.ts.
import { main } from './cli/main';

main(process.argv.slice(2)).then((status) => { process.exitCode = status; });
