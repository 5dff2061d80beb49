// Where a process allocates: `node --import ./bench/alloc-profile.mjs SCRIPT …` samples every allocation
// (one in ~4 KiB, with its stack) for the whole process, objects the garbage collector has freed included,
// and writes ALLOC.<pid>.heapprofile into STEPWISE_ALLOC_PROF_DIR (default: the working directory) at exit.
// `node bench/profile-summary.mjs FILE [TOP]` then lists bytes allocated per function and per source file.
// Node's own --heap-prof keeps only what is still alive at the end, which is not the garbage that costs
// the cold runs their collections. Allocation is also steadier than time on a shared machine: the same
// code allocates the same bytes whatever else runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const session = new Session();
session.connect();
session.post('HeapProfiler.startSampling', {
  samplingInterval: 4096,
  includeObjectsCollectedByMinorGC: true,
  includeObjectsCollectedByMajorGC: true,
});
process.on('exit', () => {
  // A session of this thread answers synchronously, so the profile is written before the process ends.
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) throw error;
    const dir = process.env.STEPWISE_ALLOC_PROF_DIR ?? process.cwd();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `ALLOC.${process.pid}.heapprofile`), JSON.stringify(result.profile));
  });
});
