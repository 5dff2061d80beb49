/**
 * Stepwise's DynamoDB table: the whole data model, in one place.
 *
 * One table, string keys `pk` / `sk`, two global secondary indexes, a TTL attribute `expiresAt`.
 *
 * | item            | pk                 | sk                     | holds |
 * |-----------------|--------------------|------------------------|-------|
 * | state machine   | `SM`               | `<state machine arn>`  | the record (definition, type, role, logging, tags) |
 * | execution       | `EX#<execution arn>` | `META`               | status, dates, event counter, output/error/cause; small, rewritten every step |
 * | execution data  | `EX#<execution arn>` | `DATA`               | input, definition, role: written once, cached by every container |
 * | frame           | `EX#<execution arn>` | `FR#<frame id>`      | one running thread of control: sequence, state (JSON), input text, outbox of its latest step, the children it consumed last |
 * | finished frame  | `EX#<execution arn>` | `DN#<frame id>`      | a frame that ended, with its outbox (the end it sends its parent), until the parent consumes it |
 * | history events  | `EX#<execution arn>` | `EV#<first id, 10 digits>` | the events one step recorded, ids first..last |
 *
 * Access patterns:
 * - Describe/List state machines: GetItem `SM`/arn; Query `pk = SM`.
 * - A step: GetItem META (consistent) [+ DATA once per container] + GetItem FR#frame (consistent),
 *   then one TransactWriteItems: META (condition: RUNNING and the event counter as read), the frame
 *   (condition: its sequence as read; a frame that ends moves from FR# to DN#), the events item, and
 *   for a join, the consumed children's DN# items (condition: present). New child frames are put (if
 *   absent) before it; abandoned ones deleted before it.
 * - A join's finished children: Query `begins_with(sk, DN#<join prefix>)` — only the finished ones, so
 *   a Map of 10,000 running iterations costs its parent nothing to look through.
 * - Abandoning a join's children: Query `pk = EX#arn AND begins_with(sk, FR#<prefix>)` (keys only).
 * - GetExecutionHistory: Query `pk = EX#arn AND begins_with(sk, EV#)` in key order = id order.
 * - ListExecutions: Query index `byStateMachine` (gsi1pk = state machine arn) or `byStatus`
 *   (gsi2pk = state machine arn#status), newest first by `gsi1sk`/`gsi2sk` = zero-padded start
 *   date#name. Both indexes project only the listing's attributes, which change at start and end
 *   only, so a step's META update writes no index.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { AttributeValue, CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

export const STATE_MACHINES_PK = 'SM';
export const META = 'META';
export const DATA = 'DATA';
export const FRAME_PREFIX = 'FR#';
export const FINISHED_PREFIX = 'DN#';
export const EVENTS_PREFIX = 'EV#';
export const BY_STATE_MACHINE = 'byStateMachine';
export const BY_STATUS = 'byStatus';
/** The attributes ListExecutions reads, projected into both indexes. */
export const LISTED = ['name', 'status', 'startDate', 'stopDate', 'redriveCount', 'stateMachineArn', 'executionArn'];

export const executionPk = (executionArn: string): string => `EX#${executionArn}`;
export const frameSk = (frameId: string): string => `${FRAME_PREFIX}${frameId}`;
export const finishedSk = (frameId: string): string => `${FINISHED_PREFIX}${frameId}`;
export const eventsSk = (firstId: number): string => `${EVENTS_PREFIX}${String(firstId).padStart(10, '0')}`;
/** Newest first when sorted descending; the name breaks ties between executions started in one millisecond. */
export const listingSk = (startDate: number, name: string): string => `${String(startDate).padStart(15, '0')}#${name}`;
export const statusPk = (stateMachineArn: string, status: string): string => `${stateMachineArn}#${status}`;

/** The table as CloudFormation (infra/) and the local AWS home create it. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const listed = { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: LISTED };
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      { IndexName: BY_STATE_MACHINE, KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }], Projection: listed },
      { IndexName: BY_STATUS, KeySchema: [{ AttributeName: 'gsi2pk', KeyType: 'HASH' }, { AttributeName: 'gsi2sk', KeyType: 'RANGE' }], Projection: listed },
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

export function fromTextAttribute(attribute: AttributeValue | undefined): string | undefined {
  if (attribute?.S !== undefined) return attribute.S;
  if (attribute?.B !== undefined) return gunzipSync(attribute.B).toString('utf8');
  return undefined;
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
