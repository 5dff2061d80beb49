/**
 * Parallel branches, a Map whose iterations wait, a Retry of a failing branch and a Catch; and a
 * linear loop (only the root frame: chained steps, a timer and a Choice between them).
 */
export const FAULT_MACHINES = {
  linearLoop: {
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Result: { n: 0 }, Next: 'Add' },
      Add: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Nap' },
      Nap: { Type: 'Wait', Seconds: 1, Next: 'Again' },
      Again: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 10, Next: 'Add' }], Default: 'Done' },
      Done: { Type: 'Succeed' },
    },
  },
  fanOut: {
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Result: { items: [1, 2, 3] }, Next: 'Fan' },
      Fan: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'Each',
            States: {
              Each: {
                Type: 'Map',
                ItemsPath: '$.items',
                MaxConcurrency: 2,
                ItemProcessor: { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 1, Next: 'Double' }, Double: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($, $)' }, End: true } } },
                End: true,
              },
            },
          },
          { StartAt: 'Later', States: { Later: { Type: 'Wait', Seconds: 2, Next: 'Tag' }, Tag: { Type: 'Pass', Result: 'tagged', End: true } } },
        ],
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  },
  retryAndCatch: {
    StartAt: 'Try',
    States: {
      Try: {
        Type: 'Parallel',
        Branches: [
          { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 5, End: true } } },
          { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Boom', Cause: 'always' } } },
        ],
        Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Recovered' }],
        End: true,
      },
      Recovered: { Type: 'Pass', End: true },
    },
  },
} as const;
