/**
 * Stepwise's DynamoDB table: the whole data model, in one place.
 *
 * One table, string keys `pk` / `sk`, two global secondary indexes, a TTL attribute `expiresAt`.
 *
 * | item            | pk                 | sk                     | holds |
 * |-----------------|--------------------|------------------------|-------|
 * | state machine   | `SM`               | `<state machine arn>`  | the record (definition, type, role, logging, tags) |
 * | execution       | `EX#<execution arn>` | `META`               | status, event counter, index keys, stopDate/output/error/cause once ended; the root frame's attributes (as a frame item's) while it runs and does not join; the latest steps' events (`pending`, from id `pendingFirst`: steps add theirs while the item stays under 1 KB) until a commit moves them to their EV# item; rewritten every step, so kept under 1 KB (see "The META item" below) |
 * | execution data  | `EX#<execution arn>` | `DATA`               | what never changes: input, definition, role, type, revision id, deadline, parent task; written once, cached by every container |
 * | frame           | `EX#<execution arn>` | `FR#<frame id>`      | one running thread of control: sequence, state (JSON), input text, outbox of its latest step, the children it consumed last, the chain it ran in; the root frame only while it joins (Parallel, Map) |
 * | finished frame  | `EX#<execution arn>` | `DN#<frame id>`      | a frame that ended, with its outbox (the end it sends its parent), until the parent consumes it |
 * | history events  | `EX#<execution arn>` | `EV#<first id, 10 digits>` | the events of one or more consecutive steps, ids first..`last` |
 * | task token      | `TT#<token>`       | `META`                 | where the answer goes (execution, frame, task id), status open/closed, heartbeat deadline, `expiresAt` (the TTL) |
 * | activity        | `ACTIVITIES`       | `<activity arn>`       | name, creation date, tags |
 * | activity task   | `ACT#<activity arn>` | `Q#<scheduledAt, 15 digits>#<token>` | a task waiting for a worker: its input (gzip past 32 KiB), `expiresAt` |
 * | queued token    | `ACT#<activity arn>` | `T#<token>`          | that the token was queued once (a step that runs again must not queue it again), `expiresAt` |
 *
 * Access patterns:
 * - Describe/List state machines: GetItem `SM`/arn; Query `pk = SM`.
 * - A step of the root frame (every step of a linear execution): GetItem META (consistent) [+ DATA
 *   once per container]; one UpdateItem of META, the commit (condition: RUNNING, the event counter
 *   and the root's sequence as read), which sets the root frame and adds this step's events to the
 *   pending ones; when they would take META past 1 KB, a PutItem of the pending events as their EV#
 *   item first (condition: the item holds fewer of them, or none), and the step's begin the pending
 *   ones anew. With chains (opt-in), consecutive states of the frame run in one message: no read
 *   between their commits.
 * - Any other step (a child frame, a joining root, a join consuming children's ends): GetItem META +
 *   GetItem FR#frame (consistent, side by side), the pending events' PutItem as above, then one
 *   TransactWriteItems: META (condition: RUNNING and the event counter as read), the frame
 *   (condition: its sequence as read; a frame that ends moves from FR# to DN#), the events item, and
 *   for a join, the consumed children's DN# items (condition: present). New child frames are put (if
 *   absent) before it; abandoned ones deleted before it.
 * - A join's finished children: Query `begins_with(sk, DN#<join prefix>)` — only the finished ones, so
 *   a Map of 10,000 running iterations costs its parent nothing to look through.
 * - Abandoning a join's children: Query `pk = EX#arn AND begins_with(sk, FR#<prefix>)` (keys only).
 * - GetExecutionHistory: GetItem META, then Query `pk = EX#arn AND begins_with(sk, EV#)` in key
 *   order = id order, the events below `pendingFirst` from the items and the pending ones from META.
 * - ListExecutions: Query index `byStateMachine` (gsi1pk = state machine arn) or `byStatus`
 *   (gsi2pk = state machine arn#status), newest first by `gsisk` = zero-padded start date#name (the
 *   sort key of both). Both indexes project only the listing's attributes, which change at start
 *   and end only, so a step's META update writes no index.
 * - Task tokens: GetItem (consistent); put if absent; heartbeat, close and reopen are one conditional
 *   UpdateItem each. DynamoDB's TTL deletes a token days after `expiresAt` at worst, so a read treats
 *   an item past it as gone.
 * - Activities: GetItem `ACTIVITIES`/arn; Query `pk = ACTIVITIES` lists them (one partition, as the
 *   state machines': activities are few and rarely written, so no index is worth its writes).
 * - Activity tasks: enqueue is one transaction of two puts, each if absent: the queued-token marker
 *   and the task. Claim: Query `pk = ACT#arn AND begins_with(sk, Q#)` (consistent, oldest first),
 *   then a conditional DeleteItem returning the item: the caller whose delete finds it has the task.
 *   The marker stays after the claim, so a dispatch delivered again (with a later scheduledAt) does
 *   not queue the task a second time.
 *
 * The META item. A step of the root frame rewrites it whole in DynamoDB's billing (1 write unit per KB
 * of the larger of the item before and after), so it holds nothing another attribute or a key holds
 * already: on the Pass chain bench (a 97 B payload) it is ~550 B without its pending events, ~800 B
 * with one step's, and steps add theirs until the next would take it past 1,000 B (seven or eight there):
 * - the execution's ARN is its `pk` without `EX#`; the state machine's ARN is `gsi1pk`; the name and
 *   the start date are in `gsisk` (the indexes project the table's and their own keys, so a listing
 *   reads them there too); `redriveCount` is left out while 0; what never changes is in DATA;
 * - a frame's `frame` JSON leaves out its id (the item's key: `FR#<id>`, `DN#<id>`, `root` for META),
 *   its sequence (`seq`) and its input (`input`, its own text); the messages of its `outbox` leave out
 *   the execution's ARN when they are for the frame's own execution, and the frame id when it is the
 *   frame's own;
 * - `pending` is gzip'd whenever that is smaller (a step's events repeat the state's input and output);
 * - the root frame's input, when one of the pending events carries the same text (a state's output
 *   is the next state's input), is `inputFrom` = `<event id>.<details field>` instead of `input`: the
 *   root frame's attributes and `pending` change together (a commit that records events sets the root
 *   frame, or removes it, or finds it in its own item `FR#root`), so META holds that event.
 * Items written in the earlier shape (ARNs, name, start date, type and revision in META; `gsi1sk` and
 * `gsi2sk`) are not read: there were no deployed tables then (ensureTable refuses a table so indexed).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { QueryCommand, type AttributeValue, type CreateTableCommandInput, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { ActivityRecord, ActivityTask, TaskTokenRecord } from '../../runtime/ports.js';

export type Item = Record<string, AttributeValue>;

export const STATE_MACHINES_PK = 'SM';
export const ACTIVITIES_PK = 'ACTIVITIES';
export const WAITING_PREFIX = 'Q#';
export const QUEUED_TOKEN_PREFIX = 'T#';
/** The TTL attribute: epoch seconds, on task tokens and activity tasks. */
export const TTL_ATTRIBUTE = 'expiresAt';
export const META = 'META';
export const DATA = 'DATA';
export const FRAME_PREFIX = 'FR#';
export const FINISHED_PREFIX = 'DN#';
export const EVENTS_PREFIX = 'EV#';
export const BY_STATE_MACHINE = 'byStateMachine';
export const BY_STATUS = 'byStatus';
/** The attributes ListExecutions reads, projected into both indexes (beside the keys: `pk` gives the ARN, `gsisk` the start date and the name). */
export const LISTED = ['status', 'stopDate', 'redriveCount'];

const EXECUTION_PREFIX = 'EX#';
export const executionPk = (executionArn: string): string => `${EXECUTION_PREFIX}${executionArn}`;
export const executionArnOfPk = (pk: string): string => pk.slice(EXECUTION_PREFIX.length);
export const frameSk = (frameId: string): string => `${FRAME_PREFIX}${frameId}`;
export const finishedSk = (frameId: string): string => `${FINISHED_PREFIX}${frameId}`;
export const eventsSk = (firstId: number): string => `${EVENTS_PREFIX}${String(firstId).padStart(10, '0')}`;
/** Newest first when sorted descending; the name breaks ties between executions started in one millisecond. */
export const listingSk = (startDate: number, name: string): string => `${String(startDate).padStart(15, '0')}#${name}`;
export function parseListingSk(sk: string): { startDate: number; name: string } {
  return { startDate: Number(sk.slice(0, 15)), name: sk.slice(16) };
}
export const statusPk = (stateMachineArn: string, status: string): string => `${stateMachineArn}#${status}`;
export const tokenPk = (token: string): string => `TT#${token}`;
export const activityTasksPk = (activityArn: string): string => `ACT#${activityArn}`;
/** Oldest first in key order; the token makes tasks scheduled in one millisecond distinct. */
export const waitingSk = (scheduledAt: number, token: string): string => `${WAITING_PREFIX}${String(scheduledAt).padStart(15, '0')}#${token}`;
export const queuedTokenSk = (token: string): string => `${QUEUED_TOKEN_PREFIX}${token}`;

/** A waiting task is worth keeping as long as a state can wait for it: a year, the longest execution. */
const WAITING_TASK_LIFETIME_SECONDS = 366 * 24 * 3600;
/** Longer than SQS keeps a message (14 days): no delivery of the step that queued the token comes later. */
const QUEUED_TOKEN_LIFETIME_SECONDS = 15 * 24 * 3600;

/** The table as CloudFormation (infra/) and the local AWS home create it. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const listed = { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: LISTED };
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi2pk', 'gsisk'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      { IndexName: BY_STATE_MACHINE, KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsisk', KeyType: 'RANGE' }], Projection: listed },
      { IndexName: BY_STATUS, KeySchema: [{ AttributeName: 'gsi2pk', KeyType: 'HASH' }, { AttributeName: 'gsisk', KeyType: 'RANGE' }], Projection: listed },
    ],
  };
}

/**
 * JSON kept in one attribute: text as `S`, or gzip as `B` past 32 KiB, so that a large definition,
 * input or Map join stays inside DynamoDB's 400 KB item limit (JSON compresses five- to tenfold).
 */
const COMPRESS_FROM = 32 * 1024;

export function jsonAttribute(value: unknown): AttributeValue {
  return textAttribute(JSON.stringify(value));
}

export function fromJsonAttribute<T>(attribute: AttributeValue | undefined): T | undefined {
  const text = fromTextAttribute(attribute);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

export function textAttribute(text: string): AttributeValue {
  return text.length < COMPRESS_FROM ? { S: text } : { B: gzipSync(text) };
}

/** Text rewritten on every step (a step's events in META): gzip whenever that is smaller, since every byte is billed each time. */
export function compactTextAttribute(text: string): AttributeValue {
  const zipped = gzipSync(text);
  return zipped.length < Buffer.byteLength(text) ? { B: zipped } : { S: text };
}

export function fromTextAttribute(attribute: AttributeValue | undefined): string | undefined {
  if (attribute?.S !== undefined) return attribute.S;
  if (attribute?.B !== undefined) return gunzipSync(attribute.B).toString('utf8');
  return undefined;
}

/**
 * An item's size as DynamoDB counts it for billing (1 write unit per KB of the larger of the item
 * before and after a write): its attribute names' bytes plus its values' (a number about 1 byte per
 * 2 significant digits, plus 1). The kinds this table uses: S, N, B.
 */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += Buffer.byteLength(name);
    if (value.S !== undefined) size += Buffer.byteLength(value.S);
    else if (value.B !== undefined) size += value.B.length;
    else if (value.N !== undefined) size += Math.ceil(value.N.replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
  }
  return size;
}

export const str = (value: string): AttributeValue => ({ S: value });
export const num = (value: number): AttributeValue => ({ N: String(value) });

export function readString(item: Item, name: string): string | undefined {
  return item[name]?.S;
}

export function readNumber(item: Item, name: string): number | undefined {
  const n = item[name]?.N;
  return n === undefined ? undefined : Number(n);
}

export function tokenItem(record: TaskTokenRecord): Item {
  const item: Item = {
    pk: str(tokenPk(record.token)),
    sk: str(META),
    executionArn: str(record.executionArn),
    frameId: str(record.frameId),
    taskId: num(record.taskId),
    status: str(record.status),
    [TTL_ATTRIBUTE]: num(record.expiresAt),
  };
  if (record.heartbeatSeconds !== undefined) item['heartbeatSeconds'] = num(record.heartbeatSeconds);
  if (record.heartbeatDeadline !== undefined) item['heartbeatDeadline'] = num(record.heartbeatDeadline);
  if (record.activityArn !== undefined) item['activityArn'] = str(record.activityArn);
  return item;
}

export function tokenRecord(item: Item): TaskTokenRecord {
  const heartbeatSeconds = readNumber(item, 'heartbeatSeconds');
  const heartbeatDeadline = readNumber(item, 'heartbeatDeadline');
  const activityArn = readString(item, 'activityArn');
  return {
    token: readString(item, 'pk')!.slice(tokenPk('').length),
    executionArn: readString(item, 'executionArn')!,
    frameId: readString(item, 'frameId')!,
    taskId: readNumber(item, 'taskId')!,
    status: readString(item, 'status') === 'closed' ? 'closed' : 'open',
    expiresAt: readNumber(item, TTL_ATTRIBUTE)!,
    ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }),
    ...(heartbeatDeadline === undefined ? {} : { heartbeatDeadline }),
    ...(activityArn === undefined ? {} : { activityArn }),
  };
}

export function activityItem(record: ActivityRecord): Item {
  return {
    pk: str(ACTIVITIES_PK),
    sk: str(record.activityArn),
    name: str(record.name),
    creationDate: num(record.creationDate),
    tags: tagsAttribute(record.tags),
  };
}

export function tagsAttribute(tags: Record<string, string>): AttributeValue {
  return { M: Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, str(value)])) };
}

export function activityRecord(item: Item): ActivityRecord {
  const tags = Object.entries(item['tags']?.M ?? {}).map(([key, value]) => [key, value.S ?? '']);
  return {
    activityArn: readString(item, 'sk')!,
    name: readString(item, 'name')!,
    creationDate: readNumber(item, 'creationDate')!,
    tags: Object.fromEntries(tags),
  };
}

/** An activity's input may reach 256 KiB: it goes gzip'd past 32 KiB, as other large texts do. */
export function activityTaskItem(task: ActivityTask): Item {
  return {
    pk: str(activityTasksPk(task.activityArn)),
    sk: str(waitingSk(task.scheduledAt, task.token)),
    token: str(task.token),
    scheduledAt: num(task.scheduledAt),
    input: textAttribute(task.input),
    [TTL_ATTRIBUTE]: num(Math.ceil(task.scheduledAt / 1000) + WAITING_TASK_LIFETIME_SECONDS),
  };
}

export function queuedTokenItem(task: ActivityTask): Item {
  return {
    pk: str(activityTasksPk(task.activityArn)),
    sk: str(queuedTokenSk(task.token)),
    [TTL_ATTRIBUTE]: num(Math.ceil(task.scheduledAt / 1000) + QUEUED_TOKEN_LIFETIME_SECONDS),
  };
}

export function activityTask(item: Item): ActivityTask {
  return {
    activityArn: readString(item, 'pk')!.slice(activityTasksPk('').length),
    token: readString(item, 'token')!,
    input: fromTextAttribute(item['input'])!,
    scheduledAt: readNumber(item, 'scheduledAt')!,
  };
}

/** Every item a Query matches, page after page. */
export async function queryAll(db: DynamoDBClient, table: string, input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, AttributeValue>[]> {
  const out: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) }));
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}
