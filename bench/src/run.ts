// `npm run bench` entry: runs every suite (or those named on the command line) and prints one table.
import { printTable, type BenchRow } from './harness';

type Suite = { name: string; run: () => Promise<BenchRow[]> };

const suites: Suite[] = [
  { name: 'protocol', run: async () => (await import('./protocol')).run() },
  { name: 'spine', run: async () => (await import('./spine.js')).run() },
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
