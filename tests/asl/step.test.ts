import { describe, expect, it } from 'vitest';
import type { StateMachineDefinition } from '../../lib/asl/definition.js';
import type { Frame, FrameEvent } from '../../lib/asl/frame.js';
import type { Json } from '../../lib/asl/json.js';
import { childScopesOf, compileMachine } from '../../lib/asl/machine.js';
import { withPassRuns } from '../../lib/asl/pass-run.js';
import { advance, type StepEnv } from '../../lib/asl/step.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function env(overrides: Partial<StepEnv> = {}): StepEnv {
  return {
    now: T0,
    nextEventId: 2,
    entropy: { random: () => 0.5, uuid: () => '00000000-0000-4000-8000-000000000000', taskToken: () => 'token-1' },
    execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:sm:ex', Input: {}, Name: 'ex', RoleArn: 'arn:aws:iam::123456789012:role/r', StartTime: new Date(T0).toISOString(), RedriveCount: 0 },
    stateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm', Name: 'sm' },
    ...overrides,
  };
}

function rootFrame(definition: StateMachineDefinition, input: Json): Frame {
  return { id: 'root', scopeKey: '', sequence: 0, stateName: definition.StartAt, input, phase: 'enter', enteredEventId: 0, enteredAt: T0, lastEventId: 1, attempts: [], variables: {} };
}

async function run(definition: StateMachineDefinition, frame: Frame, event: FrameEvent = { kind: 'run' }, stepEnv = env()) {
  return advance(compileMachine(definition), frame, event, stepEnv);
}

describe('advance', () => {
  it('runs states one after the other in one step while StepEnv.states allows, ending at the first that asks for more than its next', async () => {
    const definition: StateMachineDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'B' },
        B: { Type: 'Pass', Parameters: { 'n.$': '$.n' }, Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'W' }], Default: 'A' },
        W: { Type: 'Wait', Seconds: 5, Next: 'D' },
        D: { Type: 'Succeed' },
      },
    };

    const one = await run(definition, rootFrame(definition, { n: 1, x: true }));
    const many = await run(definition, rootFrame(definition, { n: 1, x: true }), { kind: 'run' }, env({ states: 64 }));
    const two = await run(definition, rootFrame(definition, { n: 1, x: true }), { kind: 'run' }, env({ states: 2 }));

    expect(one.states).toBe(1);
    expect(one.frame).toMatchObject({ stateName: 'B', sequence: 1 });
    expect(one.commands).toEqual([{ kind: 'continue' }]);
    // The Wait state asks for a timer: the step ends there, with the history of all four states.
    expect(many.states).toBe(4);
    expect(many.frame).toMatchObject({ stateName: 'W', phase: 'waiting', sequence: 1, lastEventId: 8 });
    expect(many.commands).toEqual([{ kind: 'sleep', at: T0 + 5000 }]);
    expect(many.events.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [2, 1, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'PassStateEntered'],
      [5, 4, 'PassStateExited'],
      [6, 5, 'ChoiceStateEntered'],
      [7, 6, 'ChoiceStateExited'],
      [8, 7, 'WaitStateEntered'],
    ]);
    expect(many.events[6]?.details).toMatchObject({ name: 'W', input: '{"n":1}' });
    expect(two.states).toBe(2);
    expect(two.frame).toMatchObject({ stateName: 'C', input: { n: 1 } });
    expect(two.commands).toEqual([{ kind: 'continue' }]);
  });

  it('ends a run of states where one fails, with the failure and the events before it', async () => {
    const definition: StateMachineDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'F' }, F: { Type: 'Fail', Error: 'Boom', Cause: 'no' } } };

    const result = await run(definition, rootFrame(definition, {}), { kind: 'run' }, env({ states: 64 }));

    expect(result.states).toBe(2);
    expect(result.events.map((e) => e.type)).toEqual(['PassStateEntered', 'PassStateExited', 'FailStateEntered']);
    expect(result.commands).toEqual([{ kind: 'fail', error: 'Boom', cause: 'no' }]);
    expect(result.frame.stateName).toBe('F');
  });

  it('resumes a Wait state Seconds after it was entered, without waiting', async () => {
    const definition: StateMachineDefinition = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, Next: 'Done' }, Done: { Type: 'Succeed' } } };

    const entered = await run(definition, rootFrame(definition, { a: 1 }));

    expect(entered.commands).toEqual([{ kind: 'sleep', at: T0 + 10_000 }]);
    expect(entered.events.map((e) => e.type)).toEqual(['WaitStateEntered']);
    const woken = await run(definition, entered.frame, { kind: 'wake' }, env({ now: T0 + 10_000, nextEventId: 3 }));
    expect(woken.events.map((e) => [e.id, e.previousEventId, e.type])).toEqual([[3, 2, 'WaitStateExited']]);
    expect(woken.frame).toMatchObject({ stateName: 'Done', input: { a: 1 }, phase: 'enter' });
    expect(woken.commands).toEqual([{ kind: 'continue' }]);
  });

  it('fails with States.Runtime when SecondsPath points at a negative number', async () => {
    const definition: StateMachineDefinition = { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } } };

    const result = await run(definition, rootFrame(definition, { s: -1 }));

    expect(result.commands).toEqual([
      { kind: 'fail', error: 'States.Runtime', cause: "An error occurred while executing the state 'W' (entered at the event id #2). The SecondsPath parameter references a negative value: $.s == -1", terminal: true },
    ]);
  });

  it('backs off a retried error by IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds', async () => {
    const definition: StateMachineDefinition = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom' } } }], Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3, MaxDelaySeconds: 10 }], End: true },
      },
    };
    let frame = (await run(definition, rootFrame(definition, {}))).frame;
    const delays: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const failed = await run(definition, frame, { kind: 'childFailed', index: 0, error: 'Boom', cause: 'x' });
      const sleep = failed.commands.find((c) => c.kind === 'sleep');
      delays.push(sleep && sleep.kind === 'sleep' ? sleep.at - T0 : -1);
      frame = (await run(definition, failed.frame, { kind: 'wake' })).frame;
    }

    expect(delays).toEqual([2000, 6000, 10_000]);
    const last = await run(definition, frame, { kind: 'childFailed', index: 0, error: 'Boom', cause: 'x' });
    expect(last.commands.at(-1)).toEqual({ kind: 'fail', error: 'Boom', cause: 'x' });
    expect(last.events.map((e) => e.type)).toEqual(['ParallelStateFailed']);
  });

  it('scales a FULL-jitter back-off by the random number handed in', async () => {
    const definition: StateMachineDefinition = {
      StartAt: 'P',
      States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom' } } }], Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 4, JitterStrategy: 'FULL' }], End: true } },
    };
    const started = await run(definition, rootFrame(definition, {}));

    const failed = await run(definition, started.frame, { kind: 'childFailed', index: 0, error: 'Boom' }, env({ entropy: { random: () => 0.25, uuid: () => 'u', taskToken: () => 't' } }));

    expect(failed.commands).toContainEqual({ kind: 'sleep', at: T0 + 1000 });
  });

  it('catches an error into ResultPath and moves to the Catcher Next', async () => {
    const definition: StateMachineDefinition = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom' } } }], Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handled' }], End: true },
        Handled: { Type: 'Succeed' },
      },
    };
    const started = await run(definition, rootFrame(definition, { keep: true }));

    const caught = await run(definition, started.frame, { kind: 'childFailed', index: 0, error: 'Boom', cause: 'why' });

    expect(caught.events.map((e) => e.type)).toEqual(['ParallelStateFailed', 'ParallelStateExited']);
    expect(caught.frame).toMatchObject({ stateName: 'Handled', input: { keep: true, error: { Error: 'Boom', Cause: 'why' } } });
  });

  it('lets States.Runtime pass every Retrier and Catcher', async () => {
    const definition: StateMachineDefinition = {
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', InputPath: '$.missing', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };

    const result = await run(definition, rootFrame(definition, {}));

    expect(result.commands).toEqual([expect.objectContaining({ kind: 'fail', error: 'States.Runtime', terminal: true })]);
  });

  it('starts no more Map iterations than MaxConcurrency and one more as each finishes', async () => {
    const definition: StateMachineDefinition = {
      StartAt: 'M',
      States: { M: { Type: 'Map', MaxConcurrency: 2, ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } },
    };
    const started = await run(definition, rootFrame(definition, [10, 20, 30]));
    const children = started.commands.flatMap((c) => (c.kind === 'startChildren' ? c.children : []));
    expect(children.map((c) => c.input)).toEqual([10, 20]);

    const next = await run(definition, started.frame, { kind: 'childSucceeded', index: 1, output: 'b' });
    expect(next.commands.flatMap((c) => (c.kind === 'startChildren' ? c.children.map((f) => f.input) : []))).toEqual([30]);
    const afterFirst = await run(definition, next.frame, { kind: 'childSucceeded', index: 0, output: 'a' });
    const done = await run(definition, afterFirst.frame, { kind: 'childSucceeded', index: 2, output: 'c' });
    expect(done.commands).toEqual([{ kind: 'succeed', output: ['a', 'b', 'c'] }]);
    expect(done.events.map((e) => e.type)).toEqual(['MapIterationSucceeded', 'MapStateSucceeded', 'MapStateExited']);
  });


  it('runs at most 40 iterations of an INLINE Map at once, MaxConcurrency unset or higher (AWS), and a DISTRIBUTED one unbounded', async () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const startedBy = async (map: Record<string, unknown>) => {
      const definition = { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true, ...map } } } as StateMachineDefinition;
      const started = await run(definition, rootFrame(definition, items));
      return started.commands.flatMap((c) => (c.kind === 'startChildren' ? c.children.map((f) => f.input) : []));
    };

    expect(await startedBy({})).toEqual(items.slice(0, 40));
    expect(await startedBy({ MaxConcurrency: 0 })).toEqual(items.slice(0, 40));
    expect(await startedBy({ MaxConcurrency: 1000 })).toEqual(items.slice(0, 40));
    expect(await startedBy({ MaxConcurrency: 7 })).toEqual(items.slice(0, 7));
    const distributed = { ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'I', States: { I: { Type: 'Pass', End: true } } } };
    expect(await startedBy(distributed)).toEqual(items);
  });
  it('lets a Map iteration read the variables of the scope around it but assign only its own', async () => {
    const definition: StateMachineDefinition = {
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { outer: 'o' }, Next: 'M' },
        M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', Parameters: { 'seen.$': '$outer' }, Assign: { inner: 1 }, End: true } } }, End: true },
      },
    };
    const set = await run(definition, rootFrame(definition, [1]));
    const map = await run(definition, set.frame, { kind: 'run' }, env({ nextEventId: 4 }));
    const child = map.commands.flatMap((c) => (c.kind === 'startChildren' ? c.children : []))[0]!;

    const iteration = await run(definition, child, { kind: 'run' }, env({ nextEventId: 7 }));

    expect(iteration.commands).toEqual([{ kind: 'succeed', output: { seen: 'o' } }]);
    expect(iteration.frame.variables).toEqual({ inner: 1 });
    expect(map.frame.variables).toEqual({ outer: 'o' });
  });

  it('cancels the other branches when one Parallel branch fails', async () => {
    const definition: StateMachineDefinition = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 100, End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Fail', Error: 'E' } } },
          ],
          End: true,
        },
      },
    };
    const started = await run(definition, rootFrame(definition, {}));

    const failed = await run(definition, started.frame, { kind: 'childFailed', index: 1, error: 'E' });

    const children = started.commands.flatMap((c) => (c.kind === 'startChildren' ? c.children.map((f) => f.id) : []));
    expect(children).toEqual(['root/P.1#0', 'root/P.1#1']);
    // The join's children, by the prefix their ids share: a later join of the same state has another.
    expect(failed.commands).toEqual([{ kind: 'cancelChildren', prefix: 'root/P.1#' }, { kind: 'fail', error: 'E' }]);
  });

  it.each(['JSONPath', 'JSONata'] as const)("joins a %s Parallel's branches into its result, its output and assignments from it", async (language) => {
    const definition: StateMachineDefinition =
      language === 'JSONPath'
        ? {
            StartAt: 'P',
            States: {
              P: {
                Type: 'Parallel',
                Parameters: { 'v.$': '$.v' },
                Branches: [
                  { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'a.$': '$.v' }, End: true } } },
                  { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'b', End: true } } },
                ],
                ResultSelector: { 'both.$': '$' },
                ResultPath: '$.out',
                Assign: { 'first.$': '$.both[0].a' },
                End: true,
              },
            },
          }
        : {
            QueryLanguage: 'JSONata',
            StartAt: 'P',
            States: {
              P: {
                Type: 'Parallel',
                Arguments: { v: '{% $states.input.v %}' },
                Branches: [
                  { StartAt: 'A', States: { A: { Type: 'Pass', Output: { a: '{% $states.input.v %}' }, End: true } } },
                  { StartAt: 'B', States: { B: { Type: 'Pass', Output: 'b', End: true } } },
                ],
                Assign: { first: '{% $states.result[0].a %}' },
                Output: { v: '{% $states.input.v %}', out: { both: '{% $states.result %}' } },
                End: true,
              },
            },
          };

    const started = await run(definition, rootFrame(definition, { v: 1 }));
    const [left, right] = started.commands.flatMap((c) => (c.kind === 'startChildren' ? c.children : []));
    const one = await run(definition, started.frame, { kind: 'childSucceeded', index: 1, output: 'b', lastEventId: 7 });
    const both = await run(definition, one.frame, { kind: 'childSucceeded', index: 0, output: { a: 1 }, lastEventId: 9 });

    expect([left?.input, right?.input]).toEqual([{ v: 1 }, { v: 1 }]);
    expect(started.events.map((e) => e.type)).toEqual(['ParallelStateEntered', 'ParallelStateStarted']);
    expect(one.events).toEqual([]);
    expect(both.commands).toEqual([{ kind: 'succeed', output: { v: 1, out: { both: [{ a: 1 }, 'b'] } } }]);
    expect(both.frame.variables).toEqual({ first: 1 });
    expect(both.events.map((e) => [e.type, e.previousEventId])).toEqual([
      ['ParallelStateSucceeded', 9],
      ['ParallelStateExited', 9],
    ]);
  });

  it('ignores an event the frame no longer waits for', async () => {
    const definition: StateMachineDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };

    const result = await run(definition, rootFrame(definition, {}), { kind: 'wake' });

    expect(result.events).toEqual([]);
    expect(result.commands).toEqual([]);
  });

  it("fails a Wait whose delay does not fit AWS's 32-bit count of seconds", async () => {
    const ok: StateMachineDefinition = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 2 ** 31 - 1, End: true } } };
    const tooLong: StateMachineDefinition = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 2 ** 31, End: true } } };

    expect((await run(ok, rootFrame(ok, {}))).commands).toEqual([{ kind: 'sleep', at: T0 + (2 ** 31 - 1) * 1000 }]);
    expect((await run(tooLong, rootFrame(tooLong, {}))).commands).toEqual([
      { kind: 'fail', error: 'States.Runtime', cause: "An error occurred while executing the state 'W' (entered at the event id #2). Wait state delay is too long.", terminal: true },
    ]);
  });

  it("outputs a matching JSONata Choice rule's Output, and the state's own only on Default", async () => {
    const definition = (value: number): StateMachineDefinition => ({
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Condition: `{% $states.input.v = ${value} %}`, Output: 'rule', Next: 'Done' }], Default: 'Done', Output: 'default' },
        Done: { Type: 'Succeed' },
      },
    });

    expect((await run(definition(1), rootFrame(definition(1), { v: 1 }))).frame.input).toBe('rule');
    expect((await run(definition(2), rootFrame(definition(2), { v: 1 }))).frame.input).toBe('default');
  });

  it('puts RetryCount into $$.State only for states that can retry', async () => {
    const definition: StateMachineDefinition = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'state.$': '$$.State' }, End: true } } };

    const result = await run(definition, rootFrame(definition, {}));

    expect(result.commands).toEqual([{ kind: 'succeed', output: { state: { Name: 'P', EnteredTime: new Date(T0).toISOString() } } }]);
  });

  describe('pass-through states (JSONPath Pass, Choice and Succeed, no Assign), run as one loop', () => {
    /** The same chain, its Pass states given an empty `Assign`: each one runs through its own handlers. */
    const chain = (names: string[], extra: Record<string, Json> = {}): StateMachineDefinition => ({
      StartAt: names[0]!,
      States: Object.fromEntries(names.map((name, i) => [name, { Type: 'Pass', ...extra, ...(i + 1 < names.length ? { Next: names[i + 1] } : { End: true }) }])) as StateMachineDefinition['States'],
    });
    const names = ['A', 'B', 'C', 'D', 'E'];
    const input = { order: 'o-1', lines: [1, 2] };

    it.each([1, 3, 5, 64])('records what the states record one by one, %i states a step', async (states) => {
      // A frame whose latest event is not the one before its next id (a Parallel branch's, say).
      const frame: Frame = { ...rootFrame(chain(names), input), lastEventId: 3 };

      const fast = await run(chain(names), frame, { kind: 'run' }, env({ states, nextEventId: 7 }));
      const slow = await run(chain(names, { Assign: {} }), frame, { kind: 'run' }, env({ states, nextEventId: 7 }));

      expect(fast.states).toBe(Math.min(states, 5));
      expect(fast.events).toStrictEqual(slow.events);
      expect(fast.frame).toStrictEqual(slow.frame);
      expect(fast.commands).toStrictEqual(slow.commands);
      expect(fast.events.slice(0, 3).map((e) => [e.id, e.previousEventId, e.type])).toEqual([
        [7, 3, 'PassStateEntered'],
        [8, 7, 'PassStateExited'],
        [9, 8, 'PassStateEntered'],
      ].slice(0, 2 * states));
    });

    it("records a Map iteration's MapIterationStarted first, as its first state does", async () => {
      const frame: Frame = { ...rootFrame(chain(names), input), announce: { type: 'MapIterationStarted', details: { index: 0, name: 'M' } } };

      const fast = await run(chain(names), frame, { kind: 'run' }, env({ states: 64, passRuns: true }));
      const slow = await run(chain(names, { Assign: {} }), frame, { kind: 'run' }, env({ states: 64 }));

      expect(fast.events.map((e) => e.type)).toEqual(['MapIterationStarted']);
      expect(withPassRuns(fast.events, fast.runs)).toStrictEqual(slow.events);
      expect(fast.frame).toStrictEqual(slow.frame);
    });

    it('goes on past a state that is not pass-through, and keeps runs as records when asked, the same events', async () => {
      const definition: StateMachineDefinition = {
        StartAt: 'A',
        States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Result: { r: 1 }, Assign: { v: 1 }, Next: 'C' }, C: { Type: 'Pass', Next: 'D' }, D: { Type: 'Pass', End: true } },
      };

      const objects = await run(definition, rootFrame(definition, input), { kind: 'run' }, env({ states: 64 }));
      const records = await run(definition, rootFrame(definition, input), { kind: 'run' }, env({ states: 64, passRuns: true }));

      expect(objects.runs).toBeUndefined();
      expect(objects.events.map((e) => [e.type, e.details?.['name']])).toEqual([
        ['PassStateEntered', 'A'],
        ['PassStateExited', 'A'],
        ['PassStateEntered', 'B'],
        ['PassStateExited', 'B'],
        ['PassStateEntered', 'C'],
        ['PassStateExited', 'C'],
        ['PassStateEntered', 'D'],
        ['PassStateExited', 'D'],
      ]);
      expect(objects.commands).toEqual([{ kind: 'succeed', output: { r: 1 } }]);
      // B's events stay objects; A's and C–D's are runs.
      expect(records.events.map((e) => e.details?.['name'])).toEqual(['B', 'B']);
      expect(records.runs?.map((r) => [r.firstId, r.states])).toEqual([
        [2, 1],
        [6, 2],
      ]);
      expect(withPassRuns(records.events, records.runs)).toStrictEqual(objects.events);
      expect(records.frame).toStrictEqual(objects.frame);
    });

    /** Pass states with data processing, each reading `$`, `$$` or an intrinsic; `Assign: {}` sends them through their handlers. */
    const processing = (extra: Record<string, Json> = {}): StateMachineDefinition => ({
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Next: 'Q', ...extra },
        Q: { Type: 'Pass', InputPath: '$.order', Parameters: { 'id.$': '$', 'state.$': '$$.State.Name', 'at.$': '$$.State.EnteredTime', 'label.$': "States.Format('order {}', $)" }, Next: 'R', ...extra },
        R: { Type: 'Pass', Result: { fixed: [1, 2] }, ResultPath: '$.result', Next: 'S', ...extra },
        S: { Type: 'Pass', OutputPath: '$.result', Next: 'T', ...extra },
        T: { Type: 'Pass', End: true, ...extra },
      } as StateMachineDefinition['States'],
    });

    it.each([1, 2, 5, 64])('runs states with paths, Parameters, Result and $$ as their handlers do, %i states a step', async (states) => {
      const frame: Frame = { ...rootFrame(processing(), { order: 'o-1' }), lastEventId: 3 };

      const fast = await run(processing(), frame, { kind: 'run' }, env({ states, nextEventId: 7, passRuns: true }));
      const slow = await run(processing({ Assign: {} }), frame, { kind: 'run' }, env({ states, nextEventId: 7 }));

      expect(fast.states).toBe(Math.min(states, 5));
      expect(withPassRuns(fast.events, fast.runs)).toStrictEqual(slow.events);
      expect(fast.frame).toStrictEqual(slow.frame);
      expect(fast.commands).toStrictEqual(slow.commands);
      if (states >= 5) expect(fast.commands).toEqual([{ kind: 'succeed', output: { fixed: [1, 2] } }]);
    });

    it('leaves a state whose data processing fails to its own handlers, after running the ones before it', async () => {
      // Q's InputPath finds nothing: States.Runtime, as the state's handlers raise it.
      const frame = rootFrame(processing(), { other: 1 });

      const fast = await run(processing(), frame, { kind: 'run' }, env({ states: 64, passRuns: true }));
      const slow = await run(processing({ Assign: {} }), frame, { kind: 'run' }, env({ states: 64 }));

      expect(fast.runs?.map((r) => [r.first.name, r.states])).toEqual([['P', 1]]);
      expect(withPassRuns(fast.events, fast.runs)).toStrictEqual(slow.events);
      expect(fast.frame).toStrictEqual(slow.frame);
      expect(fast.commands).toStrictEqual(slow.commands);
      expect(fast.commands).toEqual([expect.objectContaining({ kind: 'fail', error: 'States.Runtime' })]);
    });

    /** A loop through Choice states that ends in a Succeed; `Assign: {}` sends every state through its handlers. */
    const loop = (extra: Record<string, Json> = {}): StateMachineDefinition => ({
      StartAt: 'Check',
      States: {
        Check: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.count', NumericGreaterThanEquals: 3, Next: 'Route' },
            { And: [{ Variable: '$.count', IsPresent: true }, { Variable: '$$.State.Name', StringEquals: 'Check' }], Next: 'Increment' },
          ],
          Default: 'Unexpected',
          ...extra,
        },
        Increment: { Type: 'Pass', Parameters: { 'count.$': 'States.MathAdd($.count, 1)', 'kind.$': '$.kind' }, Next: 'Check', ...extra },
        Route: { Type: 'Choice', InputPath: '$.kind', Choices: [{ Variable: '$', StringEquals: 'order', Next: 'Done' }], OutputPath: '$', ...extra },
        Done: { Type: 'Succeed', InputPath: '$', OutputPath: '$', ...extra },
        Unexpected: { Type: 'Fail', Error: 'Loop.Unexpected' },
      } as StateMachineDefinition['States'],
    });

    it.each([1, 2, 3, 7, 64])('runs Choice states (their rules reading $ and $$, their paths) and a Succeed as their handlers do, %i states a step', async (states) => {
      const frame: Frame = { ...rootFrame(loop(), { count: 0, kind: 'order' }), lastEventId: 3 };

      const fast = await run(loop(), frame, { kind: 'run' }, env({ states, nextEventId: 7, passRuns: true }));
      const slow = await run(loop({ Assign: {} }), frame, { kind: 'run' }, env({ states, nextEventId: 7 }));

      expect(fast.states).toBe(Math.min(states, 9));
      expect(fast.events).toEqual([]);
      expect(withPassRuns(fast.events, fast.runs)).toStrictEqual(slow.events);
      expect(fast.frame).toStrictEqual(slow.frame);
      expect(fast.commands).toStrictEqual(slow.commands);
      if (states >= 9) expect(fast.commands).toEqual([{ kind: 'succeed', output: 'order' }]);
    });

    it('records event objects alike where runs are not kept as records', async () => {
      const frame = rootFrame(loop(), { count: 1, kind: 'order' });

      const fast = await run(loop(), frame, { kind: 'run' }, env({ states: 64 }));
      const slow = await run(loop({ Assign: {} }), frame, { kind: 'run' }, env({ states: 64 }));

      expect(fast.runs).toBeUndefined();
      expect(fast.events.map((e) => e.type).slice(0, 4)).toEqual(['ChoiceStateEntered', 'ChoiceStateExited', 'PassStateEntered', 'PassStateExited']);
      expect(fast.events).toStrictEqual(slow.events);
      expect(fast.frame).toStrictEqual(slow.frame);
    });

    it('leaves a Choice that matches no rule and has no Default to its handlers: States.NoChoiceMatched, after the states before it', async () => {
      const definition = (extra: Record<string, Json> = {}): StateMachineDefinition => ({
        StartAt: 'P',
        States: {
          P: { Type: 'Pass', Result: { kind: 'refund' }, Next: 'C', ...extra },
          C: { Type: 'Choice', Choices: [{ Variable: '$.kind', StringEquals: 'order', Next: 'D' }], ...extra },
          D: { Type: 'Succeed' },
        } as StateMachineDefinition['States'],
      });

      const fast = await run(definition(), rootFrame(definition(), {}), { kind: 'run' }, env({ states: 64, passRuns: true }));
      const slow = await run(definition({ Assign: {} }), rootFrame(definition(), {}), { kind: 'run' }, env({ states: 64 }));

      expect(fast.runs?.map((r) => [r.first.name, r.states])).toEqual([['P', 1]]);
      expect(withPassRuns(fast.events, fast.runs)).toStrictEqual(slow.events);
      expect(fast.commands).toStrictEqual(slow.commands);
      expect(fast.commands).toEqual([expect.objectContaining({ kind: 'fail', error: 'States.NoChoiceMatched' })]);
    });

    it('leaves a Choice rule that assigns to the Choice handler', async () => {
      const definition: StateMachineDefinition = {
        StartAt: 'C',
        States: { C: { Type: 'Choice', Choices: [{ Variable: '$.v', NumericEquals: 1, Assign: { seen: true }, Next: 'D' }], Default: 'D' }, D: { Type: 'Succeed' } },
      };

      const result = await run(definition, rootFrame(definition, { v: 1 }), { kind: 'run' }, env({ states: 64, passRuns: true }));

      expect(result.events.map((e) => e.type)).toEqual(['ChoiceStateEntered', 'ChoiceStateExited']);
      expect(result.events[1]!.details?.['assignedVariables']).toEqual({ seen: 'true' });
      expect(result.runs?.map((r) => r.first.name)).toEqual(['D']);
    });

    it('leaves an input over the payload quota to Pass itself: States.DataLimitExceeded', async () => {
      const definition = chain(['A', 'B']);

      const result = await run(definition, rootFrame(definition, 'x'.repeat(300 * 1024)), { kind: 'run' }, env({ states: 64, passRuns: true }));

      expect(result.events.map((e) => e.type)).toEqual(['PassStateEntered']);
      expect(result.commands).toEqual([expect.objectContaining({ kind: 'fail', error: 'States.DataLimitExceeded', terminal: true })]);
    });
  });
});

describe('compileMachine', () => {
  it('marks as instant the scopes whose states never wait: JSONPath Pass, Choice, Succeed, Fail, and Parallel or Map over instant scopes', () => {
    const pass = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };
    const wait = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, End: true } } };
    const machine = compileMachine({
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Quick' }], Default: 'Slow' },
        Quick: { Type: 'Parallel', Branches: [pass, { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: pass, End: true } } }], Next: 'Slow' },
        Slow: { Type: 'Parallel', Branches: [pass, wait], Next: 'Lambda' },
        Lambda: { Type: 'Map', ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } } }, Next: 'Late' },
        Late: { Type: 'Parallel', Branches: [{ StartAt: 'J', States: { J: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% 1 %}', End: true } } }], Next: 'F' },
        F: { Type: 'Fail', Error: 'E' },
      },
    } as unknown as StateMachineDefinition);
    const instant = (key: string) => machine.scopes.get(key)?.instant;
    expect(instant('/Quick#0')).toBe(true);
    expect(instant('/Quick#1')).toBe(true);
    expect(instant('/Quick#1/M')).toBe(true);
    expect(instant('/Slow#0')).toBe(true);
    expect(instant('/Slow#1')).toBe(false);
    expect(instant('/Lambda')).toBe(false);
    expect(instant('/Late#0')).toBe(false);
    // The top level holds the Parallel with a Wait branch, the Map of Tasks and a JSONata branch.
    expect(instant('')).toBe(false);
  });

  it("lists the scopes under each Parallel (its branches, in order) and Map (its item processor), found by the state's name", () => {
    const machine = compileMachine({
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } } }], Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition);
    const under = (scopeKey: string, state: string) => childScopesOf(machine, scopeKey, state).map((scope) => [scope.key, scope.startAt]);
    expect(under('', 'P')).toEqual([['/P#0', 'A'], ['/P#1', 'M']]);
    expect(under('/P#1', 'M')).toEqual([['/P#1/M', 'I']]);
    expect(under('', 'Done')).toEqual([]);
    // Each is the scope the machine steps frames in.
    expect(childScopesOf(machine, '', 'P')[1]).toBe(machine.scopes.get('/P#1'));
  });
});
