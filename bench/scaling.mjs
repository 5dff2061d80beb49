// The scaling points, generated from the shared workloads so they run the same states.

/**
 * The Map workload's ItemProcessor over `n` items. Past about 12k items the Map's result passes
 * AWS's 256 KiB payload quota (States.DataLimitExceeded), so the result is summarised by a
 * ResultSelector (count, first and last line) at every size, which also keeps the check cheap.
 * The 100k-item input (~2 MB) is itself over the quota: it goes in through the engine directly,
 * as StartExecution would refuse it; on AWS this size needs a Distributed Map with an ItemReader.
 */
export function mapScalingWorkload(base, n) {
  const definition = structuredClone(base.definition);
  const mapStateName = definition.StartAt;
  definition.Comment = `map-${n}-format (scaling)`;
  definition.States[mapStateName].ResultSelector = {
    'count.$': 'States.ArrayLength($)',
    'first.$': '$[0].r',
    'last.$': `$[${n - 1}].r`,
  };
  const items = Array.from({ length: n }, (_, id) => ({ id, qty: (id % 9) + 1 }));
  const line = ({ id, qty }) => `#${qty} x sku-${id}`;
  return {
    name: `map-${n / 1000}k-format`,
    definition,
    input: { items },
    type: base.type,
    executions: 1,
    concurrency: 1,
    expectedTransitions: 1 + 3 * n,
    expectedOutput: { count: n, first: line(items[0]), last: line(items[n - 1]) },
  };
}

/** The concurrent workload with `n` executions, all started at once. */
export function concurrentScalingWorkload(base, n) {
  return {
    ...base,
    name: `concurrent-${n}-parallel`,
    executions: n,
    concurrency: n,
    expectedTransitions: base.transitionsPerExecution * n,
  };
}
