/** process entry: run the CLI and exit with its code */
import { main } from './cli.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`error: ${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  },
);
