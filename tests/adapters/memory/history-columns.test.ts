import { describe, expect, it } from 'vitest';
import { HistoryColumns } from '../../../lib/adapters/memory/history-columns.js';
import type { HistoryEvent } from '../../../lib/asl/frame.js';
import { compileMachine } from '../../../lib/asl/machine.js';
import { pushPassRunEvents, type PassRun } from '../../../lib/asl/pass-run.js';
import { NOT_TRUNCATED } from '../../../lib/asl/frame.js';

const t = Date.parse('2026-01-01T00:00:00Z');
const events: HistoryEvent[] = [
  { id: 1, previousEventId: 0, timestamp: t, type: 'ExecutionStarted', details: { input: '{"a":1}', inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::123456789012:role/r' } },
  { id: 2, previousEventId: 1, timestamp: t + 1, type: 'PassStateEntered', details: { name: 'P', input: '{"a":1}', inputDetails: NOT_TRUNCATED } },
  { id: 3, previousEventId: 2, timestamp: t + 1, type: 'PassStateExited', details: { name: 'P', output: '{"a":1}', outputDetails: NOT_TRUNCATED } },
  {
    id: 4,
    previousEventId: 3,
    timestamp: t + 2,
    type: 'PassStateExited',
    details: { name: 'Q', output: '2', outputDetails: NOT_TRUNCATED, assignedVariables: { x: '1' }, assignedVariablesDetails: NOT_TRUNCATED },
  },
  { id: 5, previousEventId: 4, timestamp: t + 2, type: 'MapIterationStarted', details: { name: 'M', index: 0 } },
  { id: 6, previousEventId: 5, timestamp: t + 2, type: 'LambdaFunctionScheduled', details: { resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', input: '{}', inputDetails: NOT_TRUNCATED } },
  { id: 7, previousEventId: 6, timestamp: t + 3, type: 'MapStateStarted', details: undefined },
  { id: 8, previousEventId: 7, timestamp: t + 3, type: 'ExecutionSucceeded', details: { output: '{"a":1}', outputDetails: { truncated: false } } },
];

describe('HistoryColumns (the memory store history)', () => {
  it('reads back every event as recorded: same fields, same values, same key order', () => {
    const history = new HistoryColumns();
    for (const event of events) history.push(event);
    const read = history.events();
    expect(read).toStrictEqual(events);
    // Key order is what GetExecutionHistory serialises: the JSON must be the same text.
    expect(JSON.stringify(read)).toBe(JSON.stringify(events));
    expect(history.length).toBe(events.length);
  });

  it('sees events added after a read', () => {
    const history = new HistoryColumns();
    history.push(events[0]!);
    expect(history.events()).toHaveLength(1);
    history.push(events[1]!);
    expect(history.events()).toStrictEqual(events.slice(0, 2));
  });

  it('keeps thousands of events exact as its columns grow, and refuses an id out of sequence', () => {
    const history = new HistoryColumns();
    const many: HistoryEvent[] = [events[0]!];
    for (let id = 2; id <= 5000; id++) {
      const type = id % 2 === 0 ? 'PassStateEntered' : 'PassStateExited';
      const details = id % 2 === 0 ? { name: `S${id}`, input: `{"i":${id}}`, inputDetails: NOT_TRUNCATED } : { name: `S${id - 1}`, output: `{"i":${id}}`, outputDetails: NOT_TRUNCATED };
      many.push({ id, previousEventId: id - 1, timestamp: t + id * 1000, type, details });
    }
    for (const event of many) history.push(event);

    expect(history.events()).toStrictEqual(many);
    expect(() => history.push({ ...events[1]!, id: 5002 })).toThrow(/dense/);
    expect(history.length).toBe(5000);
  });

  it('keeps histories made one after another apart, as each grows past its first rows in turn', () => {
    // Histories start side by side in one shared buffer: a row written past one's first rows must
    // never land in the next one's.
    const histories = Array.from({ length: 300 }, () => new HistoryColumns());
    const recorded = histories.map((): HistoryEvent[] => []);
    for (let id = 1; id <= 40; id++) {
      histories.forEach((history, h) => {
        const event: HistoryEvent = { id, previousEventId: id - 1, timestamp: t + h * 1000 + id, type: id === 1 ? 'ExecutionStarted' : 'PassStateEntered', details: { name: `H${h}`, input: `{"id":${id}}`, inputDetails: NOT_TRUNCATED } };
        history.push(event);
        recorded[h]!.push(event);
      });
    }
    histories.forEach((history, h) => expect(history.events()).toStrictEqual(recorded[h]));
  });

  it("keeps a pass-through run as one row, read back as the run's events between the others", () => {
    const machine = compileMachine({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } } });
    const run: PassRun = { firstId: 2, previousEventId: 1, timestamp: t + 5, first: machine.scopes.get('')!.passThrough.get('A')!, states: 3, text: '{"a":1}' };
    const succeeded: HistoryEvent = { id: 8, previousEventId: 7, timestamp: t + 5, type: 'ExecutionSucceeded', details: { output: '{"a":1}', outputDetails: { truncated: false } } };
    const history = new HistoryColumns();
    history.push(events[0]!);
    history.pushRun(run);
    history.push(succeeded);

    const expected: HistoryEvent[] = [events[0]!];
    pushPassRunEvents(run, expected);
    expected.push(succeeded);
    expect(history.events()).toStrictEqual(expected);
    expect(history.events().slice(1, 4)).toStrictEqual([
      { id: 2, previousEventId: 1, timestamp: t + 5, type: 'PassStateEntered', details: { name: 'A', input: '{"a":1}', inputDetails: { truncated: false } } },
      { id: 3, previousEventId: 2, timestamp: t + 5, type: 'PassStateExited', details: { name: 'A', output: '{"a":1}', outputDetails: { truncated: false } } },
      { id: 4, previousEventId: 3, timestamp: t + 5, type: 'PassStateEntered', details: { name: 'B', input: '{"a":1}', inputDetails: { truncated: false } } },
    ]);
    expect(() => history.pushRun({ ...run, firstId: 10 })).toThrow(/dense/);
  });

  it("keeps a run of one state as its two events' rows, and a run through a Choice as its record, both read back as their events", () => {
    const machine = compileMachine({
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'P' }], Default: 'D' }, P: { Type: 'Pass', Result: 2, Next: 'D' }, D: { Type: 'Succeed' } },
    });
    const states = machine.scopes.get('')!.passThrough;
    const lone: PassRun = { firstId: 2, previousEventId: 1, timestamp: t + 5, first: states.get('P')!, states: 1, text: '{"a":1}', texts: ['{"a":1}', '2'] };
    const through: PassRun = { firstId: 4, previousEventId: 3, timestamp: t + 6, first: states.get('C')!, states: 3, text: '{"a":1}', texts: ['{"a":1}', '{"a":1}', '2', '2'], path: ['C', 'P', 'D'].map((name) => states.get(name)!) };
    const history = new HistoryColumns();
    history.push(events[0]!);
    history.pushRun(lone);
    history.pushRun(through);

    const expected: HistoryEvent[] = [events[0]!];
    pushPassRunEvents(lone, expected);
    pushPassRunEvents(through, expected);
    expect(history.events()).toStrictEqual(expected);
    expect(history.events().map((e) => [e.id, e.previousEventId, e.type, e.details?.['name']])).toEqual([
      [1, 0, 'ExecutionStarted', undefined],
      [2, 1, 'PassStateEntered', 'P'],
      [3, 2, 'PassStateExited', 'P'],
      [4, 3, 'ChoiceStateEntered', 'C'],
      [5, 4, 'ChoiceStateExited', 'C'],
      [6, 5, 'PassStateEntered', 'P'],
      [7, 6, 'PassStateExited', 'P'],
      [8, 7, 'SucceedStateEntered', 'D'],
      [9, 8, 'SucceedStateExited', 'D'],
    ]);
    expect(history.events()[2]!.details).toStrictEqual({ name: 'P', output: '2', outputDetails: NOT_TRUNCATED });
    expect(history.length).toBe(9);
  });

  it("reads back a long run's every event, its last one's id counted from the rows before it", () => {
    const definition = { StartAt: 'S0', States: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`S${i}`, i < 299 ? { Type: 'Pass' as const, Next: `S${i + 1}` } : { Type: 'Pass' as const, End: true }])) };
    const first = compileMachine(definition).scopes.get('')!.passThrough.get('S0')!;
    const history = new HistoryColumns();
    history.push(events[0]!);
    history.pushRun({ firstId: 2, previousEventId: 1, timestamp: t, first, states: 300, text: '[]' });

    expect(history.length).toBe(601);
    expect(history.events().at(-1)).toStrictEqual({ id: 601, previousEventId: 600, timestamp: t, type: 'PassStateExited', details: { name: 'S299', output: '[]', outputDetails: NOT_TRUNCATED } });
  });
});
