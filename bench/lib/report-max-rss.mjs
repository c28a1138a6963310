// Preloaded into a measured child (`node --import <this file> ...`) when /usr/bin/time is not
// available: writes the process's own peak RSS in KiB (getrusage ru_maxrss) to the file named by
// BENCH_MAX_RSS_FILE when the process exits.
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_MAX_RSS_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, `${process.resourceUsage().maxRSS}\n`);
  });
}
