// The console's pure parts without a browser: definition → graph, graph → ELK layout, history →
// per-state status, waiting callbacks and their tokens.
import elkjs from 'elkjs';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { describe, expect, it } from 'vitest';
import { buildStateGraph, choiceLabel, DefinitionShapeError, END_ID, START_ID } from '../../lib/console/graph.js';
import { layoutStateGraph, LayoutError, MAX_DRAWN_STATES, toElkGraph } from '../../lib/console/layout.js';
import { executionProgress, tokenIn, waitingTasks, type HistoryEvent } from '../../lib/console/progress.js';

const DEFINITION = {
  StartAt: 'Check',
  States: {
    Check: { Type: 'Choice', Choices: [{ Variable: '$.go', BooleanEquals: true, Next: 'Fan' }], Default: 'Skip' },
    Skip: { Type: 'Succeed' },
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Wait', Seconds: 0, Next: 'B2' }, B2: { Type: 'Pass', End: true } } },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Oops' }],
      Next: 'Each',
    },
    Each: { Type: 'Map', ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } }, End: true },
    Oops: { Type: 'Fail', Error: 'X' },
  },
};

const edgeSet = (definition: object) =>
  buildStateGraph(JSON.stringify(definition))
    .edges.map((e) => `${e.source} -${e.kind}${e.label ? `(${e.label})` : ''}-> ${e.target}`)
    .sort();

describe('buildStateGraph', () => {
  it('draws a node per state, nested groups for branches and item processors, and every kind of edge', () => {
    const graph = buildStateGraph(JSON.stringify(DEFINITION));
    expect(graph.nodes.map((n) => `${n.id}:${n.type}${n.isStart ? ':start' : ''}${n.isEnd ? ':end' : ''}`)).toEqual([
      'start:Start',
      's:Check:Choice:start',
      's:Skip:Succeed:end',
      's:Fan:Parallel',
      's:Fan#0/A:Pass:start:end',
      's:Fan#1/B:Wait:start',
      's:Fan#1/B2:Pass:end',
      's:Each:Map:end',
      's:Each#items/Item:Pass:start:end',
      's:Oops:Fail:end',
      'end:End',
    ]);
    expect(graph.groups).toEqual([
      { id: 's:Fan#0', label: 'Branch 1', kind: 'branch', owner: 's:Fan' },
      { id: 's:Fan#1', label: 'Branch 2', kind: 'branch', owner: 's:Fan' },
      { id: 's:Each#items', label: 'Item processor', kind: 'processor', owner: 's:Each' },
    ]);
    expect(edgeSet(DEFINITION)).toEqual([
      's:Check -choice($.go BooleanEquals true)-> s:Fan',
      's:Check -default(Default)-> s:Skip',
      's:Each -end-> end',
      's:Fan -catch(Catch States.ALL)-> s:Oops',
      's:Fan -next-> s:Each',
      's:Fan#1/B -next-> s:Fan#1/B2',
      's:Oops -end-> end',
      's:Skip -end-> end',
      'start -start-> s:Check',
    ]);
    expect(graph.edges.find((e) => e.source === 's:Fan#1/B')?.scope).toBe('s:Fan#1');
    expect(graph.problems).toEqual([]);
    expect(graph.nodes.filter((n) => n.id === START_ID || n.id === END_ID)).toHaveLength(2);
  });

  it('labels JSONata and compound Choice rules, and says which targets are missing instead of drawing them', () => {
    expect(choiceLabel({ Condition: '{% $states.input.n > 1 %}', Next: 'X' }, 0)).toBe('{% $states.input.n > 1 %}');
    expect(choiceLabel({ And: [{}, {}], Next: 'X' }, 0)).toBe('And(2 rules)');
    expect(choiceLabel({ Next: 'X' }, 2)).toBe('Rule 3');
    const graph = buildStateGraph(JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' }, M: { Type: 'Map', ItemProcessor: 'oops', End: true } } }));
    expect(graph.problems).toEqual(['A: Next "Nowhere" is not a state', 'M: ItemProcessor is not a JSON object']);
    expect(graph.edges.map((e) => e.kind)).toEqual(['start', 'end']);
  });

  it('refuses what is not a definition with a sentence', () => {
    expect(() => buildStateGraph('{not json')).toThrow(DefinitionShapeError);
    expect(() => buildStateGraph('[]')).toThrow('the definition is not a JSON object');
    expect(() => buildStateGraph('{"StartAt":"A"}')).toThrow('the definition has no States object');
  });
});

describe('layoutStateGraph', () => {
  it('places every state with elkjs, branches inside their Parallel, edges in the scope of their ends', async () => {
    const graph = buildStateGraph(JSON.stringify(DEFINITION));
    const laid = await layoutStateGraph(new elkjs.default(), graph);
    const find = (node: ElkNode, id: string): ElkNode | undefined => (node.id === id ? node : node.children?.map((c) => find(c, id)).find(Boolean));
    const fan = find(laid, 's:Fan')!;
    expect(fan.children?.map((c) => c.id)).toEqual(['s:Fan#0', 's:Fan#1']);
    const branch = find(laid, 's:Fan#1')!;
    const [b, b2] = [find(branch, 's:Fan#1/B')!, find(branch, 's:Fan#1/B2')!];
    expect(b2.y!).toBeGreaterThan(b.y!); // top to bottom
    expect(branch.edges?.[0]?.sections?.[0]?.startPoint).toBeDefined();
    // The Parallel is as large as the branches it holds.
    expect(fan.width!).toBeGreaterThanOrEqual(branch.x! + branch.width!);
    const check = find(laid, 's:Check')!;
    expect(fan.y!).toBeGreaterThan(check.y!);
  });

  it('declines a graph too large to draw, and reports a layout engine failure as a sentence', async () => {
    const states = Object.fromEntries(Array.from({ length: MAX_DRAWN_STATES + 1 }, (_, i) => [`S${i}`, { Type: 'Pass', End: true }]));
    const big = buildStateGraph(JSON.stringify({ StartAt: 'S0', States: states }));
    await expect(layoutStateGraph(new elkjs.default(), big)).rejects.toThrow(`has ${MAX_DRAWN_STATES + 1} states`);
    const broken = { layout: () => Promise.reject(new Error('cycle in hierarchy')) };
    await expect(layoutStateGraph(broken, buildStateGraph(JSON.stringify(DEFINITION)))).rejects.toThrow(LayoutError);
    expect(toElkGraph(big).children).toHaveLength(MAX_DRAWN_STATES + 3);
  });
});

/** AWS's key for an event's details: every `…StateEntered` has `stateEnteredEventDetails`. */
const detailsKey = (type: string): string => {
  const family = /StateEntered$/.test(type) ? 'StateEntered' : /StateExited$/.test(type) ? 'StateExited' : type;
  return `${family.charAt(0).toLowerCase()}${family.slice(1)}EventDetails`;
};

/** A history as the local server records it for DEFINITION with {"go": true} and a Map over [1, 2]. */
function history(): HistoryEvent[] {
  const e = (id: number, previousEventId: number, type: string, details?: Record<string, unknown>): HistoryEvent => ({
    id,
    previousEventId,
    timestamp: 1000 + id / 1000,
    type,
    ...(details ? { [detailsKey(type)]: details } : {}),
  });
  return [
    e(1, 0, 'ExecutionStarted', { input: '{}' }),
    e(2, 0, 'ChoiceStateEntered', { name: 'Check', input: '{}' }),
    e(3, 2, 'ChoiceStateExited', { name: 'Check', output: '{}' }),
    e(4, 3, 'ParallelStateEntered', { name: 'Fan', input: '{}' }),
    e(5, 4, 'ParallelStateStarted'),
    e(6, 5, 'PassStateEntered', { name: 'A', input: '{}' }),
    e(7, 6, 'PassStateExited', { name: 'A', output: '"a"' }),
    e(8, 5, 'WaitStateEntered', { name: 'B', input: '{}' }),
    e(9, 8, 'WaitStateExited', { name: 'B', output: '{}' }),
    e(10, 9, 'PassStateEntered', { name: 'B2', input: '{}' }),
    e(11, 10, 'PassStateExited', { name: 'B2', output: '"b"' }),
    e(12, 11, 'ParallelStateSucceeded'),
    e(13, 11, 'ParallelStateExited', { name: 'Fan', output: '["a","b"]' }),
    e(14, 13, 'MapStateEntered', { name: 'Each', input: '[1,2]' }),
    e(15, 14, 'MapStateStarted', { length: 2 }),
    e(16, 15, 'MapIterationStarted', { name: 'Each', index: 0 }),
    e(17, 16, 'PassStateEntered', { name: 'Item', input: '1' }),
    e(18, 17, 'PassStateExited', { name: 'Item', output: '1' }),
    e(19, 18, 'MapIterationSucceeded', { name: 'Each', index: 0 }),
    e(20, 15, 'MapIterationStarted', { name: 'Each', index: 1 }),
    e(21, 20, 'PassStateEntered', { name: 'Item', input: '2' }),
  ];
}

describe('executionProgress', () => {
  it('gives each state the status its visits say, each event its state, each Map visit its iteration', () => {
    const progress = executionProgress(history(), 'RUNNING');
    expect(Object.fromEntries(progress.statusByName)).toEqual({ Check: 'succeeded', Fan: 'succeeded', A: 'succeeded', B: 'succeeded', B2: 'succeeded', Each: 'running', Item: 'running' });
    expect([12, 13, 15, 19, 20, 21].map((id) => progress.stateOfEvent.get(id))).toEqual(['Fan', 'Fan', 'Each', 'Each', 'Each', 'Item']);
    expect(progress.stateOfEvent.has(1)).toBe(false);
    const items = progress.visits.filter((v) => v.name === 'Item');
    expect(items.map((v) => [v.iteration, v.input, v.output, v.parent?.name])).toEqual([
      [0, '1', '1', 'Each'],
      [1, '2', undefined, 'Each'],
    ]);
    expect(progress.visits.find((v) => v.name === 'B2')?.parent?.name).toBe('Fan');
  });

  it('tells failed from caught, and a retried failure from either; a state left open by a stop is aborted', () => {
    const e = (id: number, previousEventId: number, type: string, details: Record<string, unknown> = {}): HistoryEvent => ({
      id,
      previousEventId,
      timestamp: id,
      type,
      [detailsKey(type)]: details,
    });
    const events = [
      e(1, 0, 'ExecutionStarted'),
      e(2, 0, 'TaskStateEntered', { name: 'T' }),
      e(3, 2, 'TaskScheduled', { resource: 'invoke' }),
      e(4, 3, 'TaskFailed', { error: 'Flaky' }),
      e(5, 4, 'TaskScheduled', { resource: 'invoke' }), // Retry
      e(6, 5, 'TaskSucceeded'),
      e(7, 6, 'TaskStateExited', { name: 'T', output: '{}' }),
      e(8, 7, 'TaskStateEntered', { name: 'U' }),
      e(9, 8, 'TaskScheduled', { resource: 'invoke' }),
      e(10, 9, 'TaskFailed', { error: 'Boom', cause: 'why' }),
      e(11, 10, 'TaskStateExited', { name: 'U', output: '{"Error":"Boom"}' }), // Catch
      e(12, 11, 'WaitStateEntered', { name: 'W' }),
    ];
    const running = executionProgress(events, 'RUNNING');
    expect(Object.fromEntries(running.statusByName)).toEqual({ T: 'succeeded', U: 'caught', W: 'running' });
    expect(running.visits[1]?.error).toEqual({ error: 'Boom', cause: 'why' });
    expect(executionProgress(events, 'ABORTED').statusByName.get('W')).toBe('aborted');
    const failed = executionProgress([...events.slice(0, 10), e(11, 10, 'ExecutionFailed', { error: 'Boom' })], 'FAILED');
    expect(failed.statusByName.get('U')).toBe('failed');
  });
});

describe('waitingTasks', () => {
  const definition = JSON.stringify({
    StartAt: 'Ask',
    States: {
      Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'id.$': '$.id', 'token.$': '$$.Task.Token' } }, Next: 'Work' },
      Work: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:work', End: true },
    },
  });

  it('finds the token where the definition put $$.Task.Token, and knows an activity shows none', () => {
    const events: HistoryEvent[] = [
      { id: 1, previousEventId: 0, timestamp: 1, type: 'ExecutionStarted' },
      { id: 2, previousEventId: 0, timestamp: 1, type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Ask', input: '{}' } },
      {
        id: 3,
        previousEventId: 2,
        timestamp: 1,
        type: 'TaskScheduled',
        taskScheduledEventDetails: { resource: 'sendMessage.waitForTaskToken', parameters: JSON.stringify({ QueueUrl: 'q', MessageBody: { id: 7, token: 'AQtok' } }) },
      },
      { id: 4, previousEventId: 3, timestamp: 1, type: 'TaskSubmitted' },
    ];
    const [ask] = waitingTasks(executionProgress(events, 'RUNNING'), definition);
    expect(ask).toMatchObject({ kind: 'callback', taskToken: 'AQtok', resource: 'sendMessage.waitForTaskToken' });
    const answered = [...events, { id: 5, previousEventId: 4, timestamp: 2, type: 'TaskSucceeded' }, { id: 6, previousEventId: 5, timestamp: 2, type: 'TaskStateExited', stateExitedEventDetails: { name: 'Ask', output: '{}' } }];
    const activity = [
      ...answered,
      { id: 7, previousEventId: 6, timestamp: 2, type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Work', input: '{}' } },
      { id: 8, previousEventId: 7, timestamp: 2, type: 'ActivityScheduled', activityScheduledEventDetails: { resource: 'arn:aws:states:us-east-1:123456789012:activity:work', input: '{}' } },
    ];
    expect(waitingTasks(executionProgress(activity, 'RUNNING'), definition)).toMatchObject([{ kind: 'activity', taskToken: undefined, visit: { name: 'Work' } }]);
    expect(waitingTasks(executionProgress(activity, 'ABORTED'), definition)).toEqual([]);
  });

  it('reads a JSONata Arguments token too', () => {
    expect(tokenIn({ Arguments: { Input: { t: '{% $states.context.Task.Token %}' } } }, { Input: { t: 'AQx' } })).toBe('AQx');
    expect(tokenIn({ Parameters: { 'Payload.$': '$' } }, { Payload: { token: 'AQx' } })).toBeUndefined();
  });
});
