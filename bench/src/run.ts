// `npm run bench` entry: runs every suite (or those named on the command line) and prints one table.
import { printTable, type BenchRow } from './harness';
import { run as protocol } from './protocol';
import { run as spine } from './spine';
import { run as secrets } from './secrets';

type Suite = { name: string; run: () => Promise<BenchRow[]> };

const suites: Suite[] = [
  { name: 'protocol', run: protocol },
  { name: 'spine', run: spine },
  { name: 'secrets', run: secrets },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const rows: BenchRow[] = [];
  for (const suite of suites) {
    if (wanted.length && !wanted.includes(suite.name)) continue;
    console.error(`running ${suite.name}...`);
    rows.push(...(await suite.run()));
  }
  printTable(rows);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
