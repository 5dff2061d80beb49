import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactionConflictException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
  type TransactWriteItem,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { Frame, HistoryEvent } from '../../asl/frame.js';
import { jsonText, parseJsonText } from '../../asl/json-text.js';
import { stateMachineArnOf } from '../../runtime/arns.js';
import {
  ROOT_FRAME_ID,
  type CommitOutcome,
  type ExecutionRecord,
  type ExecutionStatus,
  type ExecutionStore,
  type ExecutionSummary,
  type OutboxEntry,
  type StateMachineRecord,
  type StepCommit,
  type StepMessage,
  type StoredFrame,
} from '../../runtime/ports.js';
import {
  BY_STATE_MACHINE,
  BY_STATUS,
  compactTextAttribute,
  DATA,
  EVENTS_PREFIX,
  executionArnOfPk,
  executionPk,
  eventsSk,
  FINISHED_PREFIX,
  finishedSk,
  FRAME_PREFIX,
  frameSk,
  fromJsonAttribute,
  fromTextAttribute,
  itemSize,
  jsonAttribute,
  listingSk,
  META,
  num,
  parseListingSk,
  readNumber,
  readString,
  STATE_MACHINES_PK,
  statusPk,
  str,
  textAttribute,
  type Item,
  queryAll,
} from './table.js';

/** What an execution's DATA item holds: what never changes, written once, so every container may cache it. */
type ExecutionData = Pick<ExecutionRecord, 'input' | 'definition' | 'roleArn' | 'type' | 'revisionId' | 'deadline' | 'parentTask'>;

/** How an execution ended: by a step (SUCCEEDED, FAILED) or from outside (ABORTED, TIMED_OUT, FAILED). */
type Ending = { status: ExecutionStatus; stopDate: number; output?: string; error?: string; cause?: string };

/**
 * What a commit writes to the execution's META item: its event counter, its events (kept there on
 * the plain path), its end; for a step of the root frame kept in META, the sequence it must be at
 * (`rootSequence`), and the root frame as the step leaves it when it stays in META (`root`).
 */
interface MetaWrite {
  readonly executionArn: string;
  readonly firstEventId: number;
  readonly nextEventId: number;
  readonly events: readonly HistoryEvent[];
  readonly end?: Ending | undefined;
  readonly rootSequence?: number | undefined;
  readonly root?: StepCommit | undefined;
}

/**
 * What this process last saw of an execution's META item: its event counter and the latest events
 * kept there (`pending`, from `pendingFirst`). True exactly while the counter has not moved: only a
 * commit that records events changes `pending`, and it moves the counter, which never comes back.
 */
interface Counter {
  readonly next: number;
  readonly pendingFirst?: number;
  readonly pending?: AttributeValue;
  /** This process has put the pending events' own item already. */
  flushed?: boolean;
  /** The size of the META item without the attributes a step of the root frame writes (the execution's part): it does not change while the execution runs. */
  readonly base?: number;
}

const RUNNING = str('RUNNING');
/** What an item of a step's transaction stands for, to read its cancellation reasons by. */
type Role = 'meta' | 'frame' | 'own child' | 'other child' | 'other';
/** Parallel writes when a Map starts or abandons many children at once. */
const WRITE_CONCURRENCY = 16;
/** The root frame's attributes in the META item (those of a frame item, without its keys; `inputFrom` in META only). */
const ROOT_ATTRIBUTES = ['seq', 'frame', 'input', 'inputFrom', 'outbox', 'consumed', 'chainStart'];
/**
 * A step's events stay in the META item (until the next step moves them to their own item) up to
 * this size as JSON text; larger ones get their own item in the commit's transaction, so the META
 * item stays well inside DynamoDB's 400 KB.
 */
const PENDING_LIMIT = 16 * 1024;
/**
 * The most a step's update may leave the META item at when it adds its events to the pending ones:
 * one write unit (1,024 B), less a margin for itemSize's estimate of numbers (DynamoDB's rule for
 * them is approximate: 1 byte per 2 significant digits, plus 1).
 */
const META_BUDGET_BYTES = 1000;
/** What a step of the root frame writes to the META item: not part of the execution's own size. */
const STEP_ATTRIBUTES = [...ROOT_ATTRIBUTES, 'pending', 'pendingFirst', 'nextEventId'];
/** How many executions' counters and root frame places a process remembers (the least recently seen go first). */
const COUNTERS_KEPT = 1000;

/**
 * The ExecutionStore on DynamoDB (table model: table.ts).
 *
 * A step of the root frame (every step of a linear execution) is one conditional UpdateItem of the
 * execution's META item, which holds the event counter, the root frame and the events of the latest
 * steps (`pending`, from `pendingFirst`): the step adds its events to them while META stays within
 * one write unit (1 KB; table.ts, "The META item"). A step whose events do not fit first puts the
 * pending ones in their own item `EV#<pendingFirst>` (one plain PutItem), and its own begin the
 * pending ones anew. No transaction: the update's condition (RUNNING, the counter and the root's
 * sequence as read) is the commit point, and the put before it writes only events that commits
 * already made final, read from the META item, so any crash between the two writes is harmless:
 * - after the put, before the update: the put wrote committed events under their own ids; the step
 *   comes again and commits, or finds it committed. A put only ever adds events to its item (its
 *   condition), so a late one, from a process that read META before other steps added to it, takes
 *   nothing away; GetExecutionHistory reads the events from `pendingFirst` on in META only;
 * - after the update: the step is committed with its events in META; the commit that replaces them,
 *   whichever process makes it, puts them in their item first (it reads them with the counter it
 *   commits against), and until then GetExecutionHistory reads them from META.
 * While the root frame joins children (Parallel, Map) it has its own item `FR#root`, as children's
 * frames do: its join state may be large, and every child's step writes the META item. A step of a
 * child frame, or of a joining root, or that consumes children's ends, is one transaction: META
 * (counter; the step's events go in their own item in it, and none stay pending), the frame item,
 * the consumed children.
 */
export class DynamoDbExecutionStore implements ExecutionStore {
  private readonly data = new Map<string, ExecutionData>();
  private readonly counters = new Map<string, Counter>();
  /** Where the root frame of an execution was at a sequence (META or FR#root): a fact that never changes. */
  private readonly roots = new Map<string, { readonly sequence: number; readonly inMeta: boolean }>();

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
    const data = executionData(record);
    const kept = keptEvents(events);
    const meta: Item = { ...metaItem(record), ...frameAttributes(record.executionArn, root, [], [], undefined, kept ? events : []), ...(kept ?? {}) };
    const items: TransactWriteItem[] = [
      { Put: { TableName: this.table, Item: meta, ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: this.table, Item: { pk, sk: str(DATA), data: jsonAttribute(data) } } },
    ];
    if (events.length > 0 && !kept) items.push({ Put: { TableName: this.table, Item: eventsItem(pk, events) } });
    try {
      await this.db.send(new TransactWriteItemsCommand({ TransactItems: items }));
      this.remember(record.executionArn, meta);
      return true;
    } catch (e) {
      if (e instanceof TransactionCanceledException && e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw e;
    }
  }

  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const [meta, data] = await Promise.all([this.readMeta(arn), this.executionData(arn)]);
    return meta && data ? executionRecord(meta, data) : undefined;
  }

  async getExecutionAndFrame(executionArn: string, frameId: string): Promise<{ execution: ExecutionRecord; stored: StoredFrame | undefined } | undefined> {
    const root = frameId === ROOT_FRAME_ID;
    const [meta, data, stored] = await Promise.all([this.readMeta(executionArn), this.executionData(executionArn), root ? undefined : this.getFrame(executionArn, frameId)]);
    if (!meta || !data) return undefined;
    const execution = executionRecord(meta, data);
    if (!root) return { execution, stored };
    // A joining root has its own item (one read more, while it joins).
    const inMeta = rootFrame(meta);
    return { execution, stored: inMeta ?? (execution.status === 'RUNNING' ? await this.frameItemOf(executionArn, frameId) : undefined) };
  }

  async listExecutions(stateMachineArn: string, status?: ExecutionStatus): Promise<ExecutionSummary[]> {
    const query: Omit<QueryCommandInput, 'TableName'> =
      status === undefined
        ? { IndexName: BY_STATE_MACHINE, KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': str(stateMachineArn) }, ScanIndexForward: false }
        : { IndexName: BY_STATUS, KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': str(statusPk(stateMachineArn, status)) }, ScanIndexForward: false };
    return (await this.queryAll(query)).map((item) => executionSummary(item, stateMachineArn));
  }

  async getFrame(executionArn: string, frameId: string): Promise<StoredFrame | undefined> {
    if (frameId === ROOT_FRAME_ID) {
      const meta = await this.readMeta(executionArn);
      const inMeta = meta && rootFrame(meta);
      if (inMeta || !meta) return inMeta;
    }
    return this.frameItemOf(executionArn, frameId);
  }

  /** A frame's own item: running (the common case: one read), else finished. */
  private async frameItemOf(executionArn: string, frameId: string): Promise<StoredFrame | undefined> {
    const pk = str(executionPk(executionArn));
    for (const sk of [frameSk(frameId), finishedSk(frameId)]) {
      const { Item } = await this.db.send(new GetItemCommand({ TableName: this.table, Key: { pk, sk: str(sk) }, ConsistentRead: true }));
      if (Item) {
        const stored = storedFrame(Item);
        if (frameId === ROOT_FRAME_ID) this.place(executionArn, stored.frame.sequence, false);
        return stored;
      }
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
    // The root frame lives in the META item while it runs and does not join (FR#root, found above, when it does).
    if (ROOT_FRAME_ID.startsWith(prefix)) {
      const meta = await this.readMeta(executionArn);
      if (meta && rootFrame(meta)) ids.unshift([ROOT_FRAME_ID]);
    }
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

    // The root frame lives in META while it does not join; its own item FR#root while it does.
    const root = commit.frame.id === ROOT_FRAME_ID;
    const wasInMeta = root && (await this.rootInMeta(commit.executionArn, commit.expectedSequence));
    const staysInMeta = root && !commit.end && commit.frame.join === undefined;
    const roles: Role[] = ['meta'];
    const others: TransactWriteItem[] = [];
    const frame = frameItem(commit.executionArn, commit.frame, commit.outbox, consumed, commit.chainStart);
    if (!wasInMeta) {
      // The frame's own item, guarded by its sequence: it moves to DN# when it ends (where its
      // parent's join finds it), goes when the root frame moves to META or the execution ends.
      const guard = { ConditionExpression: 'seq = :seq', ExpressionAttributeValues: { ':seq': num(commit.expectedSequence) } };
      if (commit.finished || staysInMeta) {
        others.push({ Delete: { TableName: this.table, Key: { pk, sk: str(frameSk(commit.frame.id)) }, ...guard } });
        roles.push('frame');
        if (!root) {
          others.push({ Put: { TableName: this.table, Item: { ...frame, sk: str(finishedSk(commit.frame.id)) } } });
          roles.push('other');
        }
      } else {
        others.push({ Put: { TableName: this.table, Item: frame, ...guard } });
        roles.push('frame');
      }
    } else if (root && !staysInMeta && !commit.end) {
      // The root frame begins a join: to its own item (META's condition guards it).
      others.push({ Put: { TableName: this.table, Item: frame } });
      roles.push('other');
    }
    consumed.forEach((id, i) => {
      others.push({ Delete: { TableName: this.table, Key: { pk, sk: str(finishedSk(id)) }, ConditionExpression: 'attribute_exists(pk)' } });
      roles.push(i === 0 ? 'own child' : 'other child');
    });
    const outcome = await this.commitMeta({ ...commit, rootSequence: wasInMeta ? commit.expectedSequence : undefined, root: staysInMeta ? commit : undefined }, others, roles);
    if (outcome !== 'committed') return outcome;
    if (root && !commit.end) this.place(commit.executionArn, commit.frame.sequence, staysInMeta);
    if (commit.end) await this.dropFrames(pk);
    return outcome;
  }

  /** Whether the root frame at `sequence` is in the META item: known from this process's reads and commits, else read. */
  private async rootInMeta(executionArn: string, sequence: number): Promise<boolean> {
    const known = this.roots.get(executionArn);
    if (known?.sequence === sequence) return known.inMeta;
    const meta = await this.readMeta(executionArn);
    return meta?.['seq'] !== undefined;
  }

  private place(executionArn: string, sequence: number, inMeta: boolean): void {
    this.roots.delete(executionArn);
    if (this.roots.size >= COUNTERS_KEPT) this.roots.delete(this.roots.keys().next().value!);
    this.roots.set(executionArn, { sequence, inMeta });
  }

  async finishExecution(execution: ExecutionRecord, events: readonly HistoryEvent[]): Promise<CommitOutcome> {
    // The execution's own end (ABORTED, TIMED_OUT, …) takes the place of a step's.
    const end: Ending = { status: execution.status, stopDate: execution.stopDate ?? 0, ...optional(execution) };
    const outcome = await this.commitMeta({ executionArn: execution.executionArn, firstEventId: execution.nextEventId - events.length, nextEventId: execution.nextEventId, events, end }, [], ['meta']);
    if (outcome === 'committed') await this.dropFrames(str(executionPk(execution.executionArn)));
    return outcome;
  }

  /**
   * The history as of one read of META: every event before its pending ones is in an `EV#` item by
   * then (a commit puts the pending events it replaces first), the pending ones are in META, and
   * events committed after that read are left out, so the ids are dense up to the counter read.
   */
  async history(executionArn: string): Promise<readonly HistoryEvent[]> {
    const meta = await this.readMeta(executionArn);
    if (!meta) return [];
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)',
      ExpressionAttributeValues: { ':pk': str(executionPk(executionArn)), ':ev': str(EVENTS_PREFIX) },
      ConsistentRead: true,
    });
    const pending = fromJsonAttribute<HistoryEvent[]>(meta['pending']) ?? [];
    const before = readNumber(meta, 'pendingFirst') ?? readNumber(meta, 'nextEventId')!;
    const stored = items.flatMap((item) => fromJsonAttribute<HistoryEvent[]>(item['events']) ?? []).filter((event) => event.id < before);
    return [...stored, ...pending];
  }

  /**
   * Commits a step (or an end from outside) at the META item: alone, one conditional UpdateItem;
   * with other items (a child frame, consumed children, events too large to keep in META), one
   * transaction. Either way the previous step's events, which this commit replaces in META, are put
   * in their own item first.
   */
  private async commitMeta(write: MetaWrite, others: TransactWriteItem[], roles: Role[]): Promise<CommitOutcome> {
    const pk = str(executionPk(write.executionArn));
    let kept: Item | undefined;
    if (write.events.length > 0) {
      const counter = await this.counterAt(write.executionArn, write.firstEventId);
      // A step of the root frame adds its events to the pending ones while META stays within one write unit.
      kept = others.length === 0 && write.root ? addedEvents(counter, write) : undefined;
      if (!kept) {
        if (counter) await this.movePendingEvents(write.executionArn, counter);
        // Kept in META on the plain path only: in a transaction, META's size counts twice.
        kept = others.length === 0 ? keptEvents(write.events) : undefined;
        if (!kept) others.push({ Put: { TableName: this.table, Item: eventsItem(pk, write.events) } });
      }
    }
    const meta = this.metaUpdate(pk, write, kept);
    try {
      if (others.length === 0 && meta.Update) {
        await this.db.send(new UpdateItemCommand(meta.Update));
      } else {
        const outcome = await this.transact([meta, ...others], roles, write.rootSequence);
        if (outcome !== 'committed') return this.forget(write.executionArn, outcome);
      }
    } catch (e) {
      if (e instanceof TransactionConflictException) return this.forget(write.executionArn, 'conflict');
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      const old = e.Item ?? (await this.readMeta(write.executionArn));
      return this.forget(write.executionArn, metaRefusal(old, write.rootSequence));
    }
    if (write.end) this.counters.delete(write.executionArn);
    else if (write.events.length > 0) this.remember(write.executionArn, { nextEventId: num(write.nextEventId), ...(kept ?? {}) });
    return 'committed';
  }

  /**
   * What META holds at the counter a commit is conditional on (`firstEventId`): known from this
   * process's latest read or commit of META, else read again. Undefined if the counter has moved on:
   * the commit's condition refuses it then, and says why.
   */
  private async counterAt(executionArn: string, firstEventId: number): Promise<Counter | undefined> {
    const known = this.counters.get(executionArn);
    if (known?.next === firstEventId) return known;
    await this.readMeta(executionArn);
    const read = this.counters.get(executionArn);
    return read?.next === firstEventId ? read : undefined;
  }

  /**
   * Puts the events META keeps (those of the steps since `pendingFirst`) in their own item
   * `EV#<pendingFirst>`, before a commit replaces them: the events as of the counter the commit is
   * conditional on, so final whatever the commit's fate. Steps add their events to the pending ones,
   * so a put that comes late (its commit refused) may hold fewer of them than one made since: the put
   * only ever adds to what the item holds (condition: its last event id is below ours).
   */
  private async movePendingEvents(executionArn: string, counter: Counter): Promise<void> {
    if (counter.pending === undefined || counter.flushed) return;
    const item: Item = { pk: str(executionPk(executionArn)), sk: str(eventsSk(counter.pendingFirst!)), events: counter.pending, last: num(counter.next - 1) };
    try {
      await this.db.send(new PutItemCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk) OR #last < :last', ExpressionAttributeNames: { '#last': 'last' }, ExpressionAttributeValues: { ':last': item['last']! } }));
    } catch (e) {
      // The item holds these events already, and maybe later ones of the same steps.
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
    counter.flushed = true;
  }

  /**
   * The META part of a commit: the event counter moves only from where the step read it, and only
   * while the execution runs; the root frame only from the sequence the step read. A child's step
   * that records no events (a DISTRIBUTED map's iteration) only checks that it runs. The step's
   * events replace the pending ones (or, too large, leave none pending). Ending sets the status, and
   * with it the status index's key, and drops the root frame.
   */
  private metaUpdate(pk: AttributeValue, write: MetaWrite, kept: Item | undefined): TransactWriteItem {
    const key = { pk, sk: str(META) };
    const names: Record<string, string> = { '#status': 'status' };
    if (write.nextEventId === write.firstEventId && !write.end && write.rootSequence === undefined && !write.root) {
      return { ConditionCheck: { TableName: this.table, Key: key, ConditionExpression: '#status = :running', ExpressionAttributeNames: names, ExpressionAttributeValues: { ':running': RUNNING }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } };
    }
    const sets: string[] = [];
    const removes: string[] = [];
    const values: Item = { ':running': RUNNING, ':first': num(write.firstEventId) };
    const set = (name: string, value: AttributeValue) => {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      sets.push(`#${name} = :${name}`);
    };
    const remove = (name: string) => {
      names[`#${name}`] = name;
      removes.push(`#${name}`);
    };
    let condition = '#status = :running AND nextEventId = :first';
    if (write.nextEventId !== write.firstEventId) set('nextEventId', num(write.nextEventId));
    if (write.events.length > 0) {
      if (kept) Object.entries(kept).forEach(([name, value]) => set(name, value));
      else ['pending', 'pendingFirst'].forEach(remove);
    }
    const end = write.end;
    if (end) {
      set('status', str(end.status));
      set('stopDate', num(end.stopDate));
      set('gsi2pk', str(statusPk(stateMachineArnOf(write.executionArn), end.status)));
      for (const field of ['output', 'error', 'cause'] as const) {
        const value = end[field];
        if (value !== undefined) set(field, field === 'output' ? textAttribute(value) : str(value));
      }
      ROOT_ATTRIBUTES.forEach(remove);
    } else if (write.root) {
      const attributes = rootAttributes(write, kept !== undefined);
      for (const name of ROOT_ATTRIBUTES) {
        const value = attributes[name];
        if (value === undefined) remove(name);
        else set(name, value);
      }
    } else if (write.rootSequence !== undefined) {
      // The root frame leaves META for its own item (it joins).
      ROOT_ATTRIBUTES.forEach(remove);
    }
    if (write.rootSequence !== undefined) {
      values[':expected'] = num(write.rootSequence);
      condition += ' AND seq = :expected';
    }
    const expression = [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
    return {
      Update: {
        TableName: this.table,
        Key: key,
        ConditionExpression: condition,
        UpdateExpression: expression,
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
   * consumed already (a duplicate), or someone else changed the counter or took another child (step
   * again). `rootSequence`: the META item carries the root frame, expected at that sequence.
   */
  private async transact(items: TransactWriteItem[], roles: readonly Role[], rootSequence: number | undefined): Promise<CommitOutcome> {
    try {
      await this.db.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return 'committed';
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = e.CancellationReasons ?? [];
      const failed = (role: Role) => reasons.some((r, i) => roles[i] === role && r.Code === 'ConditionalCheckFailed');
      const consumes = roles.includes('own child');
      if (failed('meta') && reasons[0]?.Item?.['status']?.S !== 'RUNNING') return 'stale';
      if (failed('own child')) return 'stale';
      if (!consumes && (failed('frame') || (failed('meta') && metaRefusal(reasons[0]?.Item, rootSequence) === 'stale'))) return 'stale';
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return 'conflict';
      throw e;
    }
  }

  private async putNewFrame(pk: AttributeValue, frame: Frame): Promise<void> {
    try {
      await this.db.send(new PutItemCommand({ TableName: this.table, Item: frameItem(executionArnOfPk(pk.S!), frame, [], [], undefined), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  private async deleteFrames(pk: AttributeValue, ids: readonly string[]): Promise<void> {
    const requests: WriteRequest[] = ids.flatMap((id) => [frameSk(id), finishedSk(id)].map((sk) => ({ DeleteRequest: { Key: { pk, sk: str(sk) } } })));
    await this.batchWrite(requests);
  }

  /** A finished execution keeps its META (the root frame dropped by its end), DATA and events; its other frames go. */
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

  /** The META item, read consistently; what it says of the counter, the pending events and the root frame is remembered for the next commit. */
  private async readMeta(executionArn: string): Promise<Item | undefined> {
    const { Item } = await this.db.send(new GetItemCommand({ TableName: this.table, Key: { pk: str(executionPk(executionArn)), sk: str(META) }, ConsistentRead: true }));
    if (Item && readString(Item, 'status') === 'RUNNING') {
      this.remember(executionArn, Item);
      const sequence = readNumber(Item, 'seq');
      if (sequence !== undefined) this.place(executionArn, sequence, true);
    }
    return Item;
  }

  private remember(executionArn: string, meta: Item): void {
    const next = readNumber(meta, 'nextEventId')!;
    const known = this.counters.get(executionArn);
    // A read that raced a later commit of this process's own says less than that commit.
    if (known && known.next > next) return;
    this.counters.delete(executionArn);
    if (this.counters.size >= COUNTERS_KEPT) this.counters.delete(this.counters.keys().next().value!);
    const pendingFirst = readNumber(meta, 'pendingFirst');
    const pending = meta['pending'];
    // A whole item (read, or created) tells the execution's part of its size; a commit leaves it as it was.
    const base = meta['pk'] ? itemSize(meta) - itemSize(Object.fromEntries(STEP_ATTRIBUTES.filter((name) => meta[name]).map((name) => [name, meta[name]!]))) : known?.base;
    const counter: Counter = pendingFirst === undefined || pending === undefined ? { next } : { next, pendingFirst, pending, ...(known?.next === next && known.flushed ? { flushed: true } : {}) };
    this.counters.set(executionArn, base === undefined ? counter : { ...counter, base });
  }

  /** A refused commit leaves what this process knew of the counter in doubt. */
  private forget(executionArn: string, outcome: CommitOutcome): CommitOutcome {
    this.counters.delete(executionArn);
    return outcome;
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

/**
 * Why the META item refused a commit (its old image): the execution ended or the root frame moved on
 * (a duplicate delivery), else another step took the counter first.
 */
function metaRefusal(old: Item | undefined, rootSequence: number | undefined): CommitOutcome {
  if (!old || readString(old, 'status') !== 'RUNNING') return 'stale';
  if (rootSequence !== undefined && readNumber(old, 'seq') !== rootSequence) return 'stale';
  return 'conflict';
}

/**
 * The pending events with a root step's added (`pending` from the same `pendingFirst`), if META with
 * them and the root frame as the step leaves it stays within one write unit; else undefined: the
 * pending events go to their own item, and the step's begin the pending ones anew.
 */
function addedEvents(counter: Counter | undefined, write: MetaWrite): Item | undefined {
  if (counter?.pending === undefined || counter.base === undefined) return undefined;
  const text = `${fromTextAttribute(counter.pending)!.slice(0, -1)},${JSON.stringify(write.events).slice(1)}`;
  if (text.length > PENDING_LIMIT) return undefined;
  const kept = { pending: compactTextAttribute(text), pendingFirst: num(counter.pendingFirst!) };
  const size = counter.base + itemSize({ ...rootAttributes(write, true), ...kept, nextEventId: num(write.nextEventId) });
  return size <= META_BUDGET_BYTES ? kept : undefined;
}

/** The root frame's attributes as a step that keeps it in META writes them; its input may name one of the step's events if they are kept beside it (`inputFrom`). */
function rootAttributes(write: MetaWrite, eventsKept: boolean): Item {
  const root = write.root!;
  return frameAttributes(write.executionArn, root.frame, root.outbox, root.consumedFrameIds ?? [], root.chainStart, eventsKept ? write.events : []);
}

/** A step's events as META keeps them (`pending` from `pendingFirst`), or undefined if they are too large to. */
function keptEvents(events: readonly HistoryEvent[]): Item | undefined {
  if (events.length === 0) return undefined;
  const text = JSON.stringify(events);
  return text.length > PENDING_LIMIT ? undefined : { pending: compactTextAttribute(text), pendingFirst: num(events[0]!.id) };
}

/** The root frame as META holds it while the execution runs. */
function rootFrame(meta: Item): StoredFrame | undefined {
  return meta['seq'] === undefined ? undefined : storedFrame(meta);
}

/** The META item as an execution starts (table.ts: what it leaves out, and where that is). */
function metaItem(record: ExecutionRecord): Item {
  const item: Item = {
    pk: str(executionPk(record.executionArn)),
    sk: str(META),
    status: str(record.status),
    nextEventId: num(record.nextEventId),
    gsi1pk: str(record.stateMachineArn),
    gsi2pk: str(statusPk(record.stateMachineArn, record.status)),
    gsisk: str(listingSk(record.startDate, record.name)),
  };
  if (record.redriveCount !== 0) item['redriveCount'] = num(record.redriveCount);
  return item;
}

function executionData(record: ExecutionRecord): ExecutionData {
  const data: ExecutionData = { input: record.input, definition: record.definition, roleArn: record.roleArn, type: record.type, revisionId: record.revisionId };
  if (record.deadline !== undefined) data.deadline = record.deadline;
  if (record.parentTask !== undefined) data.parentTask = record.parentTask;
  return data;
}

function executionRecord(item: Item, data: ExecutionData): ExecutionRecord {
  const record: ExecutionRecord = {
    ...executionSummary(item, readString(item, 'gsi1pk')!),
    ...data,
    nextEventId: readNumber(item, 'nextEventId')!,
  };
  const output = fromTextAttribute(item['output']);
  if (output !== undefined) record.output = output;
  const error = readString(item, 'error');
  if (error !== undefined) record.error = error;
  const cause = readString(item, 'cause');
  if (cause !== undefined) record.cause = cause;
  return record;
}

/** What a listing shows of an execution, from its META item or an index's copy of it. */
function executionSummary(item: Item, stateMachineArn: string): ExecutionSummary {
  const summary: ExecutionSummary = {
    executionArn: executionArnOfPk(readString(item, 'pk')!),
    stateMachineArn,
    ...parseListingSk(readString(item, 'gsisk')!),
    status: readString(item, 'status') as ExecutionStatus,
    redriveCount: readNumber(item, 'redriveCount') ?? 0,
  };
  const stopDate = readNumber(item, 'stopDate');
  return stopDate === undefined ? summary : { ...summary, stopDate };
}

/**
 * A frame's input goes as its own text: a value no state changed keeps the text it arrived in (its
 * spacing shows in later events, as on AWS), which a JSON round trip of the whole frame would lose.
 */
function frameItem(executionArn: string, frame: Frame, outbox: readonly OutboxEntry[], consumed: readonly string[], chainStart: number | undefined): Item {
  return { pk: str(executionPk(executionArn)), sk: str(frameSk(frame.id)), ...frameAttributes(executionArn, frame, outbox, consumed, chainStart) };
}

/**
 * A frame's attributes, in its own item or (the root frame) in the META item, without what the item
 * holds already (table.ts, "The META item"). `events`: the events kept beside the frame in the same
 * item (META's `pending`), whose text the frame's input may name instead of repeating it.
 */
function frameAttributes(executionArn: string, frame: Frame, outbox: readonly OutboxEntry[], consumed: readonly string[], chainStart: number | undefined, events: readonly HistoryEvent[] = []): Item {
  const { id, sequence, input, ...rest } = frame;
  const text = jsonText(input);
  const from = eventCarrying(events, text);
  const item: Item = {
    seq: num(sequence),
    frame: jsonAttribute(rest),
    ...(from === undefined ? { input: textAttribute(text) } : { inputFrom: str(from) }),
    outbox: jsonAttribute(outbox.map((entry) => storedEntry(entry, executionArn, id))),
  };
  if (consumed.length > 0) item['consumed'] = jsonAttribute(consumed);
  if (chainStart !== undefined) item['chainStart'] = num(chainStart);
  return item;
}

/** `<event id>.<details field>` of the latest of `events` whose input or output is `text`, if that is shorter than the text. */
function eventCarrying(events: readonly HistoryEvent[], text: string): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    for (const field of ['output', 'input']) {
      const reference = `${event.id}.${field}`;
      if (event.details?.[field] === text && reference.length < text.length) return reference;
    }
  }
  return undefined;
}

/** The text an `inputFrom` names, from the events META keeps beside the root frame (table.ts: why they are there). */
function textOfEvent(item: Item, reference: string): string {
  const [id, field] = reference.split('.');
  const event = (fromJsonAttribute<HistoryEvent[]>(item['pending']) ?? []).find((e) => e.id === Number(id));
  const text = event?.details?.[field!];
  if (typeof text !== 'string') throw new Error(`${readString(item, 'pk')}: the root frame's input is the ${field} of event ${id}, which META does not hold`);
  return text;
}

/** An outbox entry as a frame's item keeps it: the message without its execution and frame when they are the frame's own. */
type StoredEntry = Omit<OutboxEntry, 'message'> & { readonly message: Omit<StepMessage, 'executionArn' | 'frameId'> & Partial<Pick<StepMessage, 'executionArn' | 'frameId'>> };

function storedEntry(entry: OutboxEntry, executionArn: string, frameId: string): StoredEntry {
  const { executionArn: arn, frameId: id, ...rest } = entry.message;
  return { ...entry, message: { ...(arn === executionArn ? {} : { executionArn: arn }), ...(id === frameId ? {} : { frameId: id }), ...rest } };
}

function outboxEntry(stored: StoredEntry, executionArn: string, frameId: string): OutboxEntry {
  const { executionArn: arn = executionArn, frameId: id = frameId, ...rest } = stored.message;
  return { ...stored, message: { executionArn: arn, frameId: id, ...rest } };
}

function storedFrame(item: Item): StoredFrame {
  const sk = readString(item, 'sk')!;
  const executionArn = executionArnOfPk(readString(item, 'pk')!);
  const id = sk === META ? ROOT_FRAME_ID : sk.slice(sk.startsWith(FINISHED_PREFIX) ? FINISHED_PREFIX.length : FRAME_PREFIX.length);
  const inputFrom = readString(item, 'inputFrom');
  const input = inputFrom === undefined ? fromTextAttribute(item['input'])! : textOfEvent(item, inputFrom);
  const consumed = fromJsonAttribute<string[]>(item['consumed']);
  const stored: StoredFrame = {
    frame: { id, ...fromJsonAttribute<Omit<Frame, 'id' | 'sequence' | 'input'>>(item['frame'])!, sequence: readNumber(item, 'seq')!, input: parseJsonText(input) },
    outbox: (fromJsonAttribute<StoredEntry[]>(item['outbox']) ?? []).map((entry) => outboxEntry(entry, executionArn, id)),
    finished: sk.startsWith(FINISHED_PREFIX),
  };
  const chainStart = readNumber(item, 'chainStart');
  return { ...stored, ...(consumed === undefined ? {} : { consumed }), ...(chainStart === undefined ? {} : { chainStart }) };
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
