import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
  type TransactWriteItem,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { Frame, HistoryEvent } from '../../asl/frame.js';
import { jsonText, parseJsonText } from '../../asl/json-text.js';
import { stateMachineArnOf } from '../../runtime/arns.js';
import type {
  CommitOutcome,
  ExecutionRecord,
  ExecutionStatus,
  ExecutionStore,
  ExecutionSummary,
  OutboxEntry,
  StateMachineRecord,
  StepCommit,
  StoredFrame,
  ParentTask,
} from '../../runtime/ports.js';
import {
  BY_STATE_MACHINE,
  BY_STATUS,
  DATA,
  EVENTS_PREFIX,
  executionPk,
  eventsSk,
  FINISHED_PREFIX,
  finishedSk,
  FRAME_PREFIX,
  frameSk,
  fromJsonAttribute,
  fromTextAttribute,
  jsonAttribute,
  listingSk,
  META,
  num,
  readNumber,
  readString,
  STATE_MACHINES_PK,
  statusPk,
  str,
  textAttribute,
  type Item,
  queryAll,
} from './table.js';

/** What an execution's DATA item holds: written once, so every container may cache it. */
interface ExecutionData {
  input: string;
  definition: string;
  roleArn: string;
}

/** How an execution ended: by a step (SUCCEEDED, FAILED) or from outside (ABORTED, TIMED_OUT, FAILED). */
type Ending = { status: ExecutionStatus; stopDate: number; output?: string; error?: string; cause?: string };

const RUNNING = str('RUNNING');
/** What an item of a step's transaction stands for, to read its cancellation reasons by. */
type Role = 'meta' | 'frame' | 'own child' | 'other child' | 'other';
/** Parallel writes when a Map starts or abandons many children at once. */
const WRITE_CONCURRENCY = 16;

/**
 * The ExecutionStore on DynamoDB (table model: table.ts). A step is one transaction of three or
 * four small items; its guards (the frame's sequence, the execution's event counter, a consumed
 * child's presence) make a duplicate delivery `stale` and a concurrent branch's commit a `conflict`.
 */
export class DynamoDbExecutionStore implements ExecutionStore {
  private readonly data = new Map<string, ExecutionData>();

  constructor(
    private readonly db: DynamoDBClient,
    private readonly table: string,
  ) {}

  async putStateMachine(record: StateMachineRecord): Promise<void> {
    await this.db.send(new PutItemCommand({ TableName: this.table, Item: { pk: str(STATE_MACHINES_PK), sk: str(record.stateMachineArn), record: jsonAttribute(record) } }));
  }

  async getStateMachine(arn: string): Promise<StateMachineRecord | undefined> {
    const { Item } = await this.db.send(new GetItemCommand({ TableName: this.table, Key: { pk: str(STATE_MACHINES_PK), sk: str(arn) }, ConsistentRead: true }));
    return Item && fromJsonAttribute<StateMachineRecord>(Item['record']);
  }

  async deleteStateMachine(arn: string): Promise<void> {
    await this.db.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: str(STATE_MACHINES_PK), sk: str(arn) } }));
  }

  async listStateMachines(): Promise<StateMachineRecord[]> {
    const items = await this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': str(STATE_MACHINES_PK) }, ConsistentRead: true });
    return items.map((item) => fromJsonAttribute<StateMachineRecord>(item['record'])!);
  }

  async createExecution(record: ExecutionRecord, root: Frame, events: readonly HistoryEvent[]): Promise<boolean> {
    const pk = str(executionPk(record.executionArn));
    const data: ExecutionData = { input: record.input, definition: record.definition, roleArn: record.roleArn };
    const items: TransactWriteItem[] = [
      { Put: { TableName: this.table, Item: metaItem(record), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: this.table, Item: { pk, sk: str(DATA), data: jsonAttribute(data) } } },
      { Put: { TableName: this.table, Item: frameItem(pk, root, [], []) } },
    ];
    if (events.length > 0) items.push({ Put: { TableName: this.table, Item: eventsItem(pk, events) } });
    try {
      await this.db.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return true;
    } catch (e) {
      if (e instanceof TransactionCanceledException && e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw e;
    }
  }

  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const pk = str(executionPk(arn));
    const [meta, data] = await Promise.all([
      this.db.send(new GetItemCommand({ TableName: this.table, Key: { pk, sk: str(META) }, ConsistentRead: true })),
      this.executionData(arn),
    ]);
    if (!meta.Item || !data) return undefined;
    return executionRecord(meta.Item, data);
  }

  async listExecutions(stateMachineArn: string, status?: ExecutionStatus): Promise<ExecutionSummary[]> {
    const query: Omit<QueryCommandInput, 'TableName'> =
      status === undefined
        ? { IndexName: BY_STATE_MACHINE, KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': str(stateMachineArn) }, ScanIndexForward: false }
        : { IndexName: BY_STATUS, KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': str(statusPk(stateMachineArn, status)) }, ScanIndexForward: false };
    return (await this.queryAll(query)).map(executionSummary);
  }

  async getFrame(executionArn: string, frameId: string): Promise<StoredFrame | undefined> {
    const pk = str(executionPk(executionArn));
    // Running (the common case: one read), else finished.
    for (const sk of [frameSk(frameId), finishedSk(frameId)]) {
      const { Item } = await this.db.send(new GetItemCommand({ TableName: this.table, Key: { pk, sk: str(sk) }, ConsistentRead: true }));
      if (Item) return storedFrame(Item);
    }
    return undefined;
  }

  async frameIdsUnder(executionArn: string, prefix: string): Promise<string[]> {
    const pk = str(executionPk(executionArn));
    const ids = await Promise.all(
      [FRAME_PREFIX, FINISHED_PREFIX].map(async (kind) => {
        const items = await this.queryAll({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': pk, ':prefix': str(`${kind}${prefix}`) }, ProjectionExpression: 'sk', ConsistentRead: true });
        return items.map((item) => readString(item, 'sk')!.slice(kind.length));
      }),
    );
    return ids.flat();
  }

  async finishedChildren(executionArn: string, prefix: string): Promise<StoredFrame[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': str(executionPk(executionArn)), ':prefix': str(finishedSk(prefix)) },
      ConsistentRead: true,
    });
    const direct = items.filter((item) => !readString(item, 'sk')!.includes('/', FINISHED_PREFIX.length + prefix.length));
    return direct.map(storedFrame);
  }

  async commitStep(commit: StepCommit): Promise<CommitOutcome> {
    const pk = str(executionPk(commit.executionArn));
    const consumed = commit.consumedFrameIds ?? [];
    // Children first (a frame is written once, whoever of two racing deliveries gets there first),
    // abandoned children gone first: neither is reachable until the commit below sends messages.
    // The consumed children go inside the transaction, whose conditions need them still there.
    if (commit.newFrames) await inBatches(commit.newFrames, (frame) => this.putNewFrame(pk, frame));
    if (commit.removedFrameIds) await this.deleteFrames(pk, commit.removedFrameIds.filter((id) => !consumed.includes(id)));

    const guard = { ConditionExpression: 'seq = :seq', ExpressionAttributeValues: { ':seq': num(commit.expectedSequence) } };
    const roles: Role[] = ['meta', 'frame'];
    const items: TransactWriteItem[] = [this.metaUpdate(pk, commit)];
    const frame = frameItem(pk, commit.frame, commit.outbox, consumed);
    if (commit.finished) {
      // An ended frame moves to DN#, where its parent's join finds it.
      items.push({ Delete: { TableName: this.table, Key: { pk, sk: str(frameSk(commit.frame.id)) }, ...guard } });
      items.push({ Put: { TableName: this.table, Item: { ...frame, sk: str(finishedSk(commit.frame.id)) } } });
      roles.push('other');
    } else {
      items.push({ Put: { TableName: this.table, Item: frame, ...guard } });
    }
    consumed.forEach((id, i) => {
      items.push({ Delete: { TableName: this.table, Key: { pk, sk: str(finishedSk(id)) }, ConditionExpression: 'attribute_exists(pk)' } });
      roles.push(i === 0 ? 'own child' : 'other child');
    });
    if (commit.events.length > 0) items.push({ Put: { TableName: this.table, Item: eventsItem(pk, commit.events) } });
    const outcome = await this.transact(items, roles);
    if (outcome === 'committed' && commit.end) await this.dropFrames(pk);
    return outcome;
  }

  async finishExecution(execution: ExecutionRecord, events: readonly HistoryEvent[]): Promise<CommitOutcome> {
    const pk = str(executionPk(execution.executionArn));
    // The execution's own end (ABORTED, TIMED_OUT, …) takes the place of a step's.
    const end: Ending = { status: execution.status, stopDate: execution.stopDate ?? 0, ...optional(execution) };
    const items: TransactWriteItem[] = [this.metaUpdate(pk, { executionArn: execution.executionArn, firstEventId: execution.nextEventId - events.length, nextEventId: execution.nextEventId, end })];
    if (events.length > 0) items.push({ Put: { TableName: this.table, Item: eventsItem(pk, events) } });
    const outcome = await this.transact(items, ['meta']);
    if (outcome === 'committed') await this.dropFrames(pk);
    return outcome;
  }

  async history(executionArn: string): Promise<readonly HistoryEvent[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
      ExpressionAttributeValues: { ':pk': str(executionPk(executionArn)), ':ev': str(EVENTS_PREFIX) },
      ConsistentRead: true,
    });
    return items.flatMap((item) => fromJsonAttribute<HistoryEvent[]>(item['events']) ?? []);
  }

  /**
   * The META part of a commit: the event counter moves only from where the step read it, and only
   * while the execution runs. A step that records no events (a DISTRIBUTED map's iteration) only
   * checks that it runs. Ending sets the status, and with it the status index's key.
   */
  private metaUpdate(pk: AttributeValue, commit: Pick<StepCommit, 'executionArn' | 'firstEventId' | 'nextEventId'> & { end?: Ending | undefined }): TransactWriteItem {
    const key = { pk, sk: str(META) };
    const names: Record<string, string> = { '#status': 'status' };
    if (commit.nextEventId === commit.firstEventId && !commit.end) {
      return { ConditionCheck: { TableName: this.table, Key: key, ConditionExpression: '#status = :running', ExpressionAttributeNames: names, ExpressionAttributeValues: { ':running': RUNNING }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } };
    }
    const sets = ['nextEventId = :next'];
    const values: Item = { ':running': RUNNING, ':first': num(commit.firstEventId), ':next': num(commit.nextEventId) };
    const end = commit.end;
    if (end) {
      sets.push('#status = :status', 'stopDate = :stopDate', 'gsi2pk = :gsi2pk');
      values[':status'] = str(end.status);
      values[':stopDate'] = num(end.stopDate);
      values[':gsi2pk'] = str(statusPk(stateMachineArnOf(commit.executionArn), end.status));
      for (const field of ['output', 'error', 'cause'] as const) {
        const value = end[field];
        if (value === undefined) continue;
        sets.push(`#${field} = :${field}`);
        names[`#${field}`] = field;
        values[`:${field}`] = field === 'output' ? textAttribute(value) : str(value);
      }
    }
    return {
      Update: {
        TableName: this.table,
        Key: key,
        ConditionExpression: '#status = :running AND nextEventId = :first',
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /**
   * Runs a step's transaction and says what its failure means, by the role of the item whose
   * condition failed: the execution ended, the frame moved on (a duplicate delivery, unless the step
   * consumes a child, whose end then lost the race to another child's), the message's own child was
   * consumed already (a duplicate), or someone else changed the counter or took another child (step again).
   */
  private async transact(items: TransactWriteItem[], roles: readonly Role[]): Promise<CommitOutcome> {
    try {
      await this.db.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return 'committed';
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = e.CancellationReasons ?? [];
      const failed = (role: Role) => reasons.some((r, i) => roles[i] === role && r.Code === 'ConditionalCheckFailed');
      const consumes = roles.includes('own child');
      if (failed('meta') && reasons[0]?.Item?.['status']?.S !== 'RUNNING') return 'stale';
      if (failed('own child') || (failed('frame') && !consumes)) return 'stale';
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return 'conflict';
      throw e;
    }
  }

  private async putNewFrame(pk: AttributeValue, frame: Frame): Promise<void> {
    try {
      await this.db.send(new PutItemCommand({ TableName: this.table, Item: frameItem(pk, frame, [], []), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  private async deleteFrames(pk: AttributeValue, ids: readonly string[]): Promise<void> {
    const requests: WriteRequest[] = ids.flatMap((id) => [frameSk(id), finishedSk(id)].map((sk) => ({ DeleteRequest: { Key: { pk, sk: str(sk) } } })));
    await this.batchWrite(requests);
  }

  /** A finished execution keeps its META, DATA and events; its frames go. */
  private async dropFrames(pk: AttributeValue): Promise<void> {
    for (const kind of [FRAME_PREFIX, FINISHED_PREFIX]) {
      const items = await this.queryAll({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :kind)', ExpressionAttributeValues: { ':pk': pk, ':kind': str(kind) }, ProjectionExpression: 'sk' });
      await this.batchWrite(items.map((item) => ({ DeleteRequest: { Key: { pk, sk: item['sk']! } } })));
    }
  }

  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    const chunks: WriteRequest[][] = [];
    for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
    await inBatches(chunks, async (chunk) => {
      let pending: WriteRequest[] = chunk;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        const { UnprocessedItems } = await this.db.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } }));
        pending = UnprocessedItems?.[this.table] ?? [];
      }
    });
  }

  private queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    return queryAll(this.db, this.table, input);
  }

  private async executionData(arn: string): Promise<ExecutionData | undefined> {
    const cached = this.data.get(arn);
    if (cached) return cached;
    const { Item } = await this.db.send(new GetItemCommand({ TableName: this.table, Key: { pk: str(executionPk(arn)), sk: str(DATA) }, ConsistentRead: true }));
    const data = Item && fromJsonAttribute<ExecutionData>(Item['data']);
    if (data) {
      if (this.data.size >= 1000) this.data.delete(this.data.keys().next().value!);
      this.data.set(arn, data);
    }
    return data;
  }
}

function metaItem(record: ExecutionRecord): Item {
  const item: Item = {
    pk: str(executionPk(record.executionArn)),
    sk: str(META),
    executionArn: str(record.executionArn),
    stateMachineArn: str(record.stateMachineArn),
    name: str(record.name),
    type: str(record.type),
    status: str(record.status),
    startDate: num(record.startDate),
    revisionId: str(record.revisionId),
    redriveCount: num(record.redriveCount),
    nextEventId: num(record.nextEventId),
    gsi1pk: str(record.stateMachineArn),
    gsi1sk: str(listingSk(record.startDate, record.name)),
    gsi2pk: str(statusPk(record.stateMachineArn, record.status)),
    gsi2sk: str(listingSk(record.startDate, record.name)),
  };
  if (record.deadline !== undefined) item['deadline'] = num(record.deadline);
  if (record.parentTask !== undefined) item['parentTask'] = jsonAttribute(record.parentTask);
  return item;
}

function executionRecord(item: Item, data: ExecutionData): ExecutionRecord {
  const record: ExecutionRecord = {
    executionArn: readString(item, 'executionArn')!,
    stateMachineArn: readString(item, 'stateMachineArn')!,
    name: readString(item, 'name')!,
    type: readString(item, 'type') as ExecutionRecord['type'],
    status: readString(item, 'status') as ExecutionStatus,
    input: data.input,
    startDate: readNumber(item, 'startDate')!,
    definition: data.definition,
    roleArn: data.roleArn,
    revisionId: readString(item, 'revisionId')!,
    redriveCount: readNumber(item, 'redriveCount') ?? 0,
    nextEventId: readNumber(item, 'nextEventId')!,
  };
  const stopDate = readNumber(item, 'stopDate');
  if (stopDate !== undefined) record.stopDate = stopDate;
  const deadline = readNumber(item, 'deadline');
  if (deadline !== undefined) record.deadline = deadline;
  const parentTask = fromJsonAttribute<ParentTask>(item['parentTask']);
  if (parentTask !== undefined) record.parentTask = parentTask;
  const output = fromTextAttribute(item['output']);
  if (output !== undefined) record.output = output;
  const error = readString(item, 'error');
  if (error !== undefined) record.error = error;
  const cause = readString(item, 'cause');
  if (cause !== undefined) record.cause = cause;
  return record;
}

function executionSummary(item: Item): ExecutionSummary {
  const summary: ExecutionSummary = {
    executionArn: readString(item, 'executionArn')!,
    stateMachineArn: readString(item, 'stateMachineArn')!,
    name: readString(item, 'name')!,
    status: readString(item, 'status') as ExecutionStatus,
    startDate: readNumber(item, 'startDate')!,
    redriveCount: readNumber(item, 'redriveCount') ?? 0,
  };
  const stopDate = readNumber(item, 'stopDate');
  return stopDate === undefined ? summary : { ...summary, stopDate };
}

/**
 * A frame's input goes as its own text: a value no state changed keeps the text it arrived in (its
 * spacing shows in later events, as on AWS), which a JSON round trip of the whole frame would lose.
 */
function frameItem(pk: AttributeValue, frame: Frame, outbox: readonly OutboxEntry[], consumed: readonly string[]): Item {
  const item: Item = {
    pk,
    sk: str(frameSk(frame.id)),
    seq: num(frame.sequence),
    frame: jsonAttribute({ ...frame, input: null }),
    input: textAttribute(jsonText(frame.input)),
    outbox: jsonAttribute(outbox),
  };
  if (consumed.length > 0) item['consumed'] = jsonAttribute(consumed);
  return item;
}

function storedFrame(item: Item): StoredFrame {
  const consumed = fromJsonAttribute<string[]>(item['consumed']);
  const stored: StoredFrame = {
    frame: { ...fromJsonAttribute<Frame>(item['frame'])!, input: parseJsonText(fromTextAttribute(item['input'])!) },
    outbox: fromJsonAttribute<OutboxEntry[]>(item['outbox']) ?? [],
    finished: readString(item, 'sk')!.startsWith(FINISHED_PREFIX),
  };
  return consumed === undefined ? stored : { ...stored, consumed };
}

function eventsItem(pk: AttributeValue, events: readonly HistoryEvent[]): Item {
  return { pk, sk: str(eventsSk(events[0]!.id)), events: jsonAttribute(events) };
}

function optional(execution: ExecutionRecord): { output?: string; error?: string; cause?: string } {
  const out: { output?: string; error?: string; cause?: string } = {};
  if (execution.output !== undefined) out.output = execution.output;
  if (execution.error !== undefined) out.error = execution.error;
  if (execution.cause !== undefined) out.cause = execution.cause;
  return out;
}

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += WRITE_CONCURRENCY) await Promise.all(items.slice(i, i + WRITE_CONCURRENCY).map(work));
}
