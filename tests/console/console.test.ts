// The web console end to end in Debian's chromium (playwright-core): the local server serves the
// built console; the page draws a machine, runs it, colours its path, lists its history, stops an
// execution and answers a waiting callback — checked against the API. Also: a deleted machine, a
// graph too large to draw, a 25,000-event history, a server that stops answering.
import { CreateActivityCommand, CreateStateMachineCommand, DeleteStateMachineCommand, DescribeExecutionCommand, GetActivityTaskCommand, GetExecutionHistoryCommand, SendTaskFailureCommand, StartExecutionCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsHome } from '../support/aws.js';
import { startLocalServer } from '../support/local-server.js';
import { ROLE_ARN, sfnClient, until } from '../support/sfn-client.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/** Choice, Parallel (with a Wait), Map, a Parallel whose failing branch its Catch takes, and a callback. */
const definition = (child: string) => ({
  Comment: 'An order: priced and checked in parallel, each line seen, a guard that always fails and is caught, then a person approves.',
  StartAt: 'Route',
  States: {
    Route: { Type: 'Choice', Choices: [{ Variable: '$.kind', StringEquals: 'order', Next: 'Fan' }], Default: 'Reject' },
    Reject: { Type: 'Fail', Error: 'NotAnOrder' },
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Price', States: { Price: { Type: 'Pass', Result: 10, End: true } } },
        { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 0, End: true } } },
      ],
      ResultPath: '$.fan',
      Next: 'Lines',
    },
    Lines: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Line', States: { Line: { Type: 'Pass', End: true } } }, ResultPath: '$.lines', Next: 'Guard' },
    Guard: {
      Type: 'Parallel',
      Branches: [{ StartAt: 'Nope', States: { Nope: { Type: 'Fail', Error: 'Blocked', Cause: 'always' } } }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.guard', Next: 'Ask' }],
      Next: 'Done',
    },
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken',
      Parameters: { StateMachineArn: child, Input: { 'token.$': '$$.Task.Token' } },
      ResultPath: '$.approval',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
});

let server: Awaited<ReturnType<typeof startLocalServer>>;
let sfn: SFNClient;
let browser: Browser;
let page: Page;
let machineArn: string;

const create = async (name: string, body: object): Promise<string> =>
  (await sfn.send(new CreateStateMachineCommand({ name, roleArn: ROLE_ARN, definition: JSON.stringify(body) }))).stateMachineArn!;
const history = async (executionArn: string): Promise<HistoryEvent[]> => {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const r = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
    events.push(...r.events!);
    nextToken = r.nextToken;
  } while (nextToken);
  return events;
};
/** The graph's states as the page drew them: name → [type, status]. */
const drawnStates = (): Promise<Record<string, [string, string]>> =>
  page.$$eval('svg.graph g.state', (gs) => Object.fromEntries(gs.map((g) => [g.getAttribute('data-state')!, [g.getAttribute('data-type')!, g.getAttribute('data-status')!]])));
/** Waits for what the page shows (a layout in a busy machine's worker may take seconds). */
const poll = <T>(probe: () => Promise<T>, timeout = 15_000) => expect.poll(probe, { timeout, interval: 50 });
const statusOf = (name: string) => page.locator(`svg.graph g.state[data-state="${name}"]`);

beforeAll(async () => {
  execFileSync(process.execPath, [`${ROOT}scripts/build.mjs`, 'console'], { cwd: ROOT, stdio: 'pipe' });
  server = await startLocalServer({}, { consoleDir: `${ROOT}dist/console` });
  sfn = sfnClient(server.endpoint);
  const child = await create('console-child', { StartAt: 'Idle', States: { Idle: { Type: 'Pass', End: true } } });
  machineArn = await create('console-order', definition(child));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(15_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  sfn?.destroy();
  await server?.stop();
});

describe('the console', () => {
  it('lists the state machines and draws one: a node per state, every edge, branches and the item processor nested', async () => {
    await page.goto(server.endpoint);
    const row = page.getByRole('row', { name: /console-order/ });
    await poll(() => row.textContent()).toContain('STANDARD');
    await page.getByRole('link', { name: 'console-order' }).click();
    await page.locator('svg.graph g.state').first().waitFor();
    expect(Object.fromEntries(Object.entries(await drawnStates()).map(([name, [type]]) => [name, type]))).toEqual({
      Route: 'Choice', Reject: 'Fail', Fan: 'Parallel', Price: 'Pass', Pause: 'Wait', Lines: 'Map', Line: 'Pass', Guard: 'Parallel', Nope: 'Fail', Ask: 'Task', Done: 'Succeed',
    });
    const edges = await page.$$eval('svg.graph g.edge', (gs) => gs.map((g) => `${g.getAttribute('data-source')} -${g.getAttribute('data-kind')}-> ${g.getAttribute('data-target')}`).sort());
    expect(edges).toEqual([
      'Ask -next-> Done',
      'Done -end-> end',
      'Fan -next-> Lines',
      'Guard -catch-> Ask',
      'Guard -next-> Done',
      'Lines -next-> Guard',
      'Reject -end-> end',
      'Route -choice-> Fan',
      'Route -default-> Reject',
      'start -start-> Route',
    ]);
    // Branch states sit inside their Parallel's node, the item processor's inside the Map's.
    expect(await page.locator('g.state[data-state="Fan"] g.group-branch g.state').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-state')))).toEqual(['Price', 'Pause']);
    expect(await page.locator('g.state[data-state="Lines"] g.group-processor g.state[data-state="Line"]').count()).toBe(1);
    await poll(() => page.locator('pre.json').first().textContent()).toContain('"StartAt": "Route"');
  });

  let executionArn: string;

  it('starts an execution from the page (its input checked as JSON), colours the path as the history says, and lists that history', async () => {
    const input = page.getByLabel('Input (JSON)');
    await input.fill('{"kind": "order", "items": [1, 2');
    await poll(() => page.locator('#execution-input-error').textContent()).toContain('not JSON');
    expect(await page.getByRole('button', { name: 'Start execution' }).isDisabled()).toBe(true);
    await input.fill('{"kind": "order", "items": [1, 2, 3]}');
    await page.getByLabel('Name (optional)').fill('from-the-page');
    await page.getByRole('button', { name: 'Start execution' }).click();
    await page.getByRole('heading', { name: /Waiting for an answer/ }).waitFor();
    executionArn = decodeURIComponent(new URL(page.url()).hash.replace('#/executions/', ''));
    expect(executionArn).toMatch(/:execution:console-order:from-the-page$/);

    const events = await history(executionArn);
    const entered = new Set(events.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails!.name!));
    await poll(async () => (await drawnStates())['Ask']?.[1]).toBe('running');
    const drawn = await drawnStates();
    // Every state the history entered is coloured, every other one is not reached …
    for (const [name, [, status]] of Object.entries(drawn)) expect([name, status !== 'notReached']).toEqual([name, entered.has(name)]);
    // … and how each one ended is the history's: Nope failed, Guard's Catch took it, Ask waits.
    expect(Object.fromEntries(Object.entries(drawn).map(([name, [, status]]) => [name, status]))).toEqual({
      Route: 'succeeded', Reject: 'notReached', Fan: 'succeeded', Price: 'succeeded', Pause: 'succeeded', Lines: 'succeeded', Line: 'succeeded', Guard: 'caught', Nope: 'failed', Ask: 'running', Done: 'notReached',
    });
    expect(events.some((e) => e.type === 'ParallelStateFailed')).toBe(true);

    // The history table: the API's events, in order, each with its state.
    const rows = page.locator('table.history tbody tr[data-event-id]');
    await poll(() => rows.count()).toBe(events.length);
    const table = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    expect(table.map(([id, type]) => [Number(id!.replace(/^\D+/, '')), type])).toEqual(events.map((e) => [e.id, e.type]));
    const stateColumn = Object.fromEntries(table.map((cells) => [cells[1], cells[4]]));
    expect(stateColumn).toMatchObject({ ChoiceStateEntered: 'Route', MapStateStarted: 'Lines', ParallelStateFailed: 'Guard', TaskSubmitted: 'Ask', ExecutionStarted: '' });
    // An event's details open on demand.
    await page.getByRole('button', { name: 'Details of event 1', exact: true }).click();
    await poll(() => page.locator('tr.event-details pre').textContent()).toContain('"kind": "order"');

    // A state, reached with the keyboard: its visits, one per Map iteration, with their input and output.
    await statusOf('Line').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'State Line', exact: true }).waitFor();
    const visits = page.locator('.state-details article.visit');
    expect(await visits.count()).toBe(3);
    expect(await visits.nth(2).textContent()).toMatch(/Map iteration 2 in Map Lines.*Input3.*Output3/s);

    // The README's picture, from this run: written to the git-ignored .cache/ (so a test run leaves the
    // tree clean), and to docs/console.png when STEPWISE_UPDATE_SCREENSHOT=1 asks for a new one.
    const shots = process.env['STEPWISE_UPDATE_SCREENSHOT'] === '1' ? [`${ROOT}docs/console.png`, `${ROOT}.cache/console.png`] : [`${ROOT}.cache/console.png`];
    // A little taller than 1280x800, so that the picture shows the whole path (the caught Guard, the waiting Ask).
    await page.setViewportSize({ width: 1280, height: 1320 });
    await page.evaluate('window.scrollTo(0, 0)');
    for (const path of shots) {
      mkdirSync(dirname(path), { recursive: true });
      await page.screenshot({ path, fullPage: false });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('approves the waiting callback from the page: the token is found in the history, the execution goes on', async () => {
    const callback = page.locator('article.callback[data-state="Ask"]');
    expect(await callback.getByLabel('Task token').inputValue()).toMatch(/^AQ[\w-]{64}$/);
    await callback.getByLabel('Output (JSON)').fill('{"approved": true, "by": "the console"}');
    await callback.getByRole('button', { name: 'Send success' }).click();
    await poll(() => page.locator('h1 .badge').textContent()).toBe('SUCCEEDED');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!).approval).toEqual({ approved: true, by: 'the console' });
    await poll(async () => (await drawnStates())['Done']?.[1]).toBe('succeeded');
    expect((await drawnStates())['Ask']?.[1]).toBe('succeeded');
    expect(await page.locator('section.callbacks').isHidden()).toBe(true);
  });

  it('follows a running execution live: a failure answered elsewhere shows without a reload', async () => {
    const { executionArn: arn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: '{"kind": "order", "items": [1]}' }));
    await page.goto(`${server.endpoint}/#/executions/${encodeURIComponent(arn!)}`);
    await poll(async () => (await drawnStates())['Ask']?.[1]).toBe('running');
    const scheduled = (await history(arn!)).find((e) => e.type === 'TaskScheduled')!;
    const { token } = (JSON.parse(scheduled.taskScheduledEventDetails!.parameters!) as { Input: { token: string } }).Input;
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not today' }));
    await poll(() => page.locator('h1 .badge').textContent()).toBe('FAILED');
    await poll(async () => (await drawnStates())['Ask']?.[1]).toBe('failed');
    await statusOf('Ask').click();
    await poll(() => page.locator('.state-details').textContent()).toContain('Rejected: not today');
    // A Parallel's panel lists what its branches ran.
    await statusOf('Fan').click();
    expect(await page.locator('.state-details').textContent()).toMatch(/States run in its branches.*Price: succeeded.*Pause: succeeded/s);
  });

  it('stops a running execution from the page', async () => {
    const { executionArn: waiting } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: '{"kind": "order", "items": []}' }));
    await page.goto(`${server.endpoint}/#/executions/${encodeURIComponent(waiting!)}`);
    await page.getByRole('heading', { name: /Waiting for an answer/ }).waitFor();
    await page.getByRole('button', { name: 'Stop execution' }).click();
    await poll(() => page.locator('h1 .badge').textContent()).toBe('ABORTED');
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: waiting! }))).status).toBe('ABORTED');
    await poll(async () => (await drawnStates())['Ask']?.[1]).toBe('aborted');
    // The machine's executions, filtered by status.
    await page.getByRole('link', { name: 'console-order' }).click();
    await page.getByLabel('Status').selectOption('ABORTED');
    await poll(() => page.locator('section[aria-label=Executions] tbody tr').count()).toBe(1);
    expect(await page.locator('section[aria-label=Executions] tbody').textContent()).toContain('ABORTED');
  });

  it('answers an activity with the token its worker was given, pasted in, and fails it from the page', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'console-review' }));
    const reviewed = await create('console-activity', { StartAt: 'Review', States: { Review: { Type: 'Task', Resource: activityArn, End: true } } });
    const { executionArn: arn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: reviewed, input: '{"doc": 7}' }));
    await page.goto(`${server.endpoint}/#/executions/${encodeURIComponent(arn!)}`);
    const callback = page.locator('article.callback[data-state="Review"]');
    await poll(() => callback.textContent()).toContain('GetActivityTask');
    expect(await callback.getByLabel('Task token').inputValue()).toBe('');
    // The worker's token: only GetActivityTask hands it out.
    const task = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'a person' }));
    expect(task.input).toBe('{"doc": 7}');
    await callback.getByLabel('Task token').fill(task.taskToken!);
    await callback.getByText('Fail the task instead').click();
    await callback.getByLabel('Error').fill('Rejected');
    await callback.getByLabel('Cause').fill('needs work');
    await callback.getByRole('button', { name: 'Send failure' }).click();
    await poll(() => page.locator('h1 .badge').textContent()).toBe('FAILED');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect([described.status, described.error, described.cause]).toEqual(['FAILED', 'Rejected', 'needs work']);
    await poll(async () => (await drawnStates())['Review']?.[1]).toBe('failed');
  });

  it('pages through a machine\'s executions, 20 at a time', async () => {
    const many = await create('console-many', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    for (let i = 0; i < 23; i++) await sfn.send(new StartExecutionCommand({ stateMachineArn: many, name: `run-${i}` }));
    await page.goto(`${server.endpoint}/#/state-machines/${encodeURIComponent(many)}`);
    const rows = page.locator('section[aria-label=Executions] tbody tr');
    await poll(() => rows.count()).toBe(20);
    await page.getByRole('button', { name: 'Next page ›' }).click();
    await poll(() => rows.count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Next page ›' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '‹ Previous page' }).click();
    await poll(() => rows.count()).toBe(20);
    const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('a')?.textContent));
    expect(new Set(names).size).toBe(20);
  });

  it('keeps readable on a narrow window: nothing wider than the window but the graph, which scrolls', async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    await page.goto(`${server.endpoint}/#/executions/${encodeURIComponent(executionArn)}`);
    await page.locator('svg.graph').waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(420);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('says a machine was deleted, and that a graph is too large to draw while still showing its definition', async () => {
    const gone = await create('console-gone', { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: gone }));
    await page.goto(`${server.endpoint}/#/state-machines/${encodeURIComponent(gone)}`);
    await poll(() => page.getByRole('alert').textContent()).toContain('StateMachineDoesNotExist');
    await page.getByRole('link', { name: 'Back to the state machines' }).click();
    await page.getByRole('link', { name: 'console-order' }).waitFor();

    const states = Object.fromEntries(Array.from({ length: 700 }, (_, i) => [`S${i}`, i === 699 ? { Type: 'Succeed' } : { Type: 'Pass', Next: `S${i + 1}` }]));
    const huge = await create('console-huge', { StartAt: 'S0', States: states });
    await page.goto(`${server.endpoint}/#/state-machines/${encodeURIComponent(huge)}`);
    await poll(() => page.getByRole('alert').first().textContent()).toContain('has 700 states');
    expect(await page.locator('pre.json').first().textContent()).toContain('"S699"');
  });

  it('reads a 25,000-event history a page at a time and shows it a hundred rows at a time', async () => {
    // A Pass and a Map over 6,248 items: 4 events per item and 8 around them, 25,000 in all (AWS's most).
    const big = await create('console-big', {
      StartAt: 'Prepare',
      States: { Prepare: { Type: 'Pass', Next: 'Many' }, Many: { Type: 'Map', ItemProcessor: { StartAt: 'One', States: { One: { Type: 'Pass', End: true } } }, End: true } },
    });
    const { executionArn: arn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: big, input: JSON.stringify(Array.from({ length: 6248 }, (_, i) => i)) }));
    const done = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn: arn })), (d) => d.status !== 'RUNNING', 60_000);
    expect(done.status).toBe('SUCCEEDED');
    const count = (await history(arn!)).length;
    expect(count).toBe(25_000);
    await page.goto(`${server.endpoint}/#/executions/${encodeURIComponent(arn!)}`);
    await poll(() => page.locator('nav[aria-label="History pages"]').textContent(), 30_000).toContain('Events 1–100 of 25000 (page 1 of 250)');
    expect(await page.locator('table.history tbody tr').count()).toBe(100);
    await page.getByRole('button', { name: 'Last »' }).click();
    expect(await page.locator('table.history tbody tr').last().textContent()).toContain('ExecutionSucceeded');
    await poll(() => statusOf('One').getAttribute('data-status')).toBe('succeeded');
  }, 90_000);

  it('serves only the console\'s own files to GET, and the API to POST / as before', async () => {
    const index = await fetch(`${server.endpoint}/`);
    expect([index.status, index.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await index.text()).toContain('<script type="module" src="console.js">');
    expect((await fetch(`${server.endpoint}/console.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    for (const path of ['/%2e%2e/package.json', '/..%2fpackage.json', '/nothing.js', '/index.html/x']) expect([path, (await fetch(`${server.endpoint}${path}`)).status]).toEqual([path, 404]);
    const api = await fetch(`${server.endpoint}/`, { method: 'POST', headers: { 'X-Amz-Target': 'AWSStepFunctions.ListStateMachines', 'Content-Type': 'application/x-amz-json-1.0' }, body: '{}' });
    expect(((await api.json()) as { stateMachines: unknown[] }).stateMachines.length).toBeGreaterThan(0);
  });

  it('works the same over the AWS home (DynamoDB Local and fauxqs): start from the page, watch it end', async () => {
    const aws = await startAwsHome({ consoleDir: `${ROOT}dist/console` });
    const awsSfn = sfnClient(aws.endpoint);
    const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      const arn = (
        await awsSfn.send(
          new CreateStateMachineCommand({
            name: 'console-aws',
            roleArn: ROLE_ARN,
            definition: JSON.stringify({ StartAt: 'Pick', States: { Pick: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }], Default: 'Small' }, Big: { Type: 'Wait', Seconds: 1, End: true }, Small: { Type: 'Pass', End: true } } }),
          }),
        )
      ).stateMachineArn!;
      await tab.goto(`${aws.endpoint}/#/state-machines/${encodeURIComponent(arn)}`);
      await tab.getByLabel('Input (JSON)').fill('{"n": 2}');
      await tab.getByRole('button', { name: 'Start execution' }).click();
      await poll(() => tab.locator('h1 .badge').textContent()).toBe('SUCCEEDED');
      const statuses = await tab.$$eval('svg.graph g.state', (gs) => Object.fromEntries(gs.map((g) => [g.getAttribute('data-state'), g.getAttribute('data-status')])));
      expect(statuses).toEqual({ Pick: 'succeeded', Big: 'succeeded', Small: 'notReached' });
    } finally {
      await tab.close();
      awsSfn.destroy();
      await aws.stop();
    }
  });

  it('says the server stopped answering, and the page stays usable', async () => {
    await page.goto(`${server.endpoint}/#/state-machines/${encodeURIComponent(machineArn)}`);
    await page.locator('svg.graph g.state').first().waitFor();
    await server.stop();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await poll(() => page.getByRole('alert').first().textContent()).toContain('The server is not answering');
    // Still the whole page, and its links still lead somewhere that says the same.
    expect(await page.locator('svg.graph g.state').count()).toBe(11);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'State machines' }).click();
    await poll(() => page.getByRole('alert').first().textContent()).toContain('The server is not answering');
    expect(await page.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
  });
});
