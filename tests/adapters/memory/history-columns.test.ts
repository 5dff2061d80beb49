import { describe, expect, it } from 'vitest';
import { HistoryColumns } from '../../../lib/adapters/memory/history-columns.js';
import type { HistoryEvent } from '../../../lib/asl/frame.js';
import { NOT_TRUNCATED } from '../../../lib/asl/step.js';

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
});
