import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type QueryCommandInput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { ActivityRecord, ActivityStore, ActivityTask } from '../../runtime/ports.js';
import { ACTIVITIES_PK, activityItem, activityRecord, activityTask, activityTaskItem, activityTasksPk, queryAll, queuedTokenItem, str, tagsAttribute, WAITING_PREFIX, type Item } from './table.js';

/** How many of the oldest waiting tasks one look reads: enough for a crowd of pollers to spread over. */
const CLAIM_PAGE = 25;
/** DynamoDB cannot wake a poller: a long poll looks again after this long. */
const DEFAULT_POLL_INTERVAL_MS = 500;

/**
 * Activities and their waiting tasks on DynamoDB (table model: table.ts). A task is claimed by
 * deleting it: DynamoDB applies one item's writes one at a time, so of the pollers racing for a task
 * exactly one delete finds it, and gets it back (ALL_OLD); the others move on to the next.
 */
export class DynamoDbActivityStore implements ActivityStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly table: string,
    private readonly options: { readonly pollIntervalMs?: number } = {},
  ) {}

  async putActivity(record: ActivityRecord): Promise<boolean> {
    try {
      await this.db.send(new PutItemCommand({ TableName: this.table, Item: activityItem(record), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async getActivity(arn: string): Promise<ActivityRecord | undefined> {
    const { Item } = await this.db.send(new GetItemCommand({ TableName: this.table, Key: activityKey(arn), ConsistentRead: true }));
    return Item && activityRecord(Item);
  }

  /** Replaces an activity's tags (TagResource, UntagResource); false when there is no such activity. */
  async putActivityTags(arn: string, tags: Record<string, string>): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: activityKey(arn),
          ConditionExpression: 'attribute_exists(pk)',
          UpdateExpression: 'SET tags = :tags',
          ExpressionAttributeValues: { ':tags': tagsAttribute(tags) },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  /** The activity, then its waiting tasks and queued tokens (a poller that wins a task meanwhile keeps it). */
  async deleteActivity(arn: string): Promise<void> {
    await this.db.send(new DeleteItemCommand({ TableName: this.table, Key: activityKey(arn) }));
    const pk = str(activityTasksPk(arn));
    const items = await this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ProjectionExpression: 'sk', ConsistentRead: true });
    await this.batchWrite(items.map((item) => ({ DeleteRequest: { Key: { pk, sk: item['sk']! } } })));
  }

  async listActivities(): Promise<ActivityRecord[]> {
    const items = await this.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': str(ACTIVITIES_PK) }, ConsistentRead: true });
    return items.map(activityRecord);
  }

  /**
   * A step that runs again queues its task again, at a later scheduledAt: the token's marker, put in
   * the same transaction, keeps the second from being queued, also once a worker has taken the first.
   */
  async enqueueTask(task: ActivityTask): Promise<void> {
    const ifAbsent = { TableName: this.table, ConditionExpression: 'attribute_not_exists(pk)' };
    const command = new TransactWriteItemsCommand({ TransactItems: [{ Put: { ...ifAbsent, Item: queuedTokenItem(task) } }, { Put: { ...ifAbsent, Item: activityTaskItem(task) } }] });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(command);
        return;
      } catch (e) {
        if (!(e instanceof TransactionCanceledException)) throw e;
        const codes = (e.CancellationReasons ?? []).map((r) => r.Code);
        if (codes.includes('ConditionalCheckFailed')) return;
        // Two deliveries of one step enqueueing at once: the other wins, this one then finds its marker.
        if (!codes.includes('TransactionConflict') || attempt === 3) throw e;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  }

  /**
   * The oldest task whose delete this caller wins: whoever wins a delete has the task, so no task goes
   * to two callers, and one that loses every race on a page looks again until the queue is empty.
   */
  async claimTask(activityArn: string): Promise<ActivityTask | undefined> {
    const pk = str(activityTasksPk(activityArn));
    for (;;) {
      const { Items = [] } = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :waiting)',
          ExpressionAttributeValues: { ':pk': pk, ':waiting': str(WAITING_PREFIX) },
          ProjectionExpression: 'sk',
          ConsistentRead: true,
          Limit: CLAIM_PAGE,
        }),
      );
      if (Items.length === 0) return undefined;
      const candidates = Items.map((item) => item['sk']!);
      let contended = false;
      while (candidates.length > 0) {
        // The oldest first; once another poller took one, a random one of the rest, so that a crowd
        // of pollers spreads over the page rather than all racing for the same next task.
        const [sk] = candidates.splice(contended ? Math.floor(Math.random() * candidates.length) : 0, 1);
        try {
          const { Attributes } = await this.db.send(
            new DeleteItemCommand({ TableName: this.table, Key: { pk, sk: sk! }, ConditionExpression: 'attribute_exists(pk)', ReturnValues: 'ALL_OLD' }),
          );
          if (Attributes) return activityTask(Attributes);
        } catch (e) {
          if (!(e instanceof ConditionalCheckFailedException)) throw e;
          contended = true;
        }
      }
    }
  }

  /** DynamoDB cannot say when a task arrives: a long poll just waits a little before it looks again. */
  taskMayBeWaiting(_activityArn: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, Math.min(ms, this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS)));
      signal?.addEventListener('abort', done);
    });
  }

  private queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    return queryAll(this.db, this.table, input);
  }

  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let pending = requests.slice(i, i + 25);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        const { UnprocessedItems } = await this.db.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } }));
        pending = UnprocessedItems?.[this.table] ?? [];
      }
    }
  }
}

function activityKey(arn: string): Item {
  return { pk: str(ACTIVITIES_PK), sk: str(arn) };
}
