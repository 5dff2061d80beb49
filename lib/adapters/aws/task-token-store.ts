import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { TaskTokenRecord, TaskTokenStore } from '../../runtime/ports.js';
import { META, num, readNumber, readString, str, tokenItem, tokenPk, tokenRecord, TTL_ATTRIBUTE, type Item } from './table.js';

const OPEN = str('open');
const CLOSED = str('closed');
/** Open, and not past its TTL (which DynamoDB may take days to act on). */
const LIVE_AND_OPEN = 'attribute_exists(pk) AND #status = :open AND #expiresAt > :now';

/**
 * Task tokens on DynamoDB (table model: table.ts): one item each, every change one conditional
 * write, so that of two answers racing for a token exactly one closes it. Reads are strongly
 * consistent: an answer that arrives right after the token was handed out must find it.
 */
export class DynamoDbTaskTokenStore implements TaskTokenStore {
  constructor(
    private readonly db: DynamoDBClient,
    private readonly table: string,
    /** Epoch ms: what decides that a token is past its `expiresAt`. */
    private readonly now: () => number = Date.now,
  ) {}

  async putToken(record: TaskTokenRecord): Promise<void> {
    try {
      await this.db.send(new PutItemCommand({ TableName: this.table, Item: tokenItem(record), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (e) {
      // A step that runs twice records its token twice: the first record stands.
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  async getToken(token: string): Promise<TaskTokenRecord | undefined> {
    const { Item } = await this.db.send(new GetItemCommand({ TableName: this.table, Key: this.key(token), ConsistentRead: true }));
    if (!Item) return undefined;
    return readNumber(Item, TTL_ATTRIBUTE)! * 1000 > this.now() ? tokenRecord(Item) : undefined;
  }

  /**
   * One write in the usual case (the TTL moves later); a TTL already later than asked for stays, and
   * then only the deadline moves, in a second write.
   */
  async heartbeat(token: string, heartbeatDeadline: number, expiresAt: number): Promise<boolean> {
    const values = { ':open': OPEN, ':now': this.nowSeconds(), ':deadline': num(heartbeatDeadline) };
    const names = { '#status': 'status', '#expiresAt': TTL_ATTRIBUTE };
    const old = await this.update(token, {
      ConditionExpression: `${LIVE_AND_OPEN} AND #expiresAt <= :expiresAt`,
      UpdateExpression: 'SET heartbeatDeadline = :deadline, #expiresAt = :expiresAt',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...values, ':expiresAt': num(expiresAt) },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    if (old === true) return true;
    const live = old !== undefined && readString(old, 'status') === 'open' && readNumber(old, TTL_ATTRIBUTE)! * 1000 > this.now();
    if (!live) return false;
    return (
      (await this.update(token, {
        ConditionExpression: LIVE_AND_OPEN,
        UpdateExpression: 'SET heartbeatDeadline = :deadline',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      })) === true
    );
  }

  async closeToken(token: string): Promise<boolean> {
    const outcome = await this.update(token, {
      ConditionExpression: LIVE_AND_OPEN,
      UpdateExpression: 'SET #status = :closed',
      ExpressionAttributeNames: { '#status': 'status', '#expiresAt': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':open': OPEN, ':closed': CLOSED, ':now': this.nowSeconds() },
    });
    return outcome === true;
  }

  async reopenToken(token: string): Promise<void> {
    await this.update(token, {
      ConditionExpression: 'attribute_exists(pk)',
      UpdateExpression: 'SET #status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':open': OPEN },
    });
  }

  /** true when the update was made; otherwise the item as it was (undefined: absent, or not asked for). */
  private async update(token: string, input: Omit<UpdateItemCommandInput, 'TableName' | 'Key'>): Promise<true | Item | undefined> {
    try {
      await this.db.send(new UpdateItemCommand({ ...input, TableName: this.table, Key: this.key(token) }));
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return e.Item;
      throw e;
    }
  }

  private key(token: string) {
    return { pk: str(tokenPk(token)), sk: str(META) };
  }

  /** expiresAt is in seconds, the clock in ms: `expiresAt > now / 1000` is `expiresAt * 1000 > now`. */
  private nowSeconds() {
    return num(this.now() / 1000);
  }
}
