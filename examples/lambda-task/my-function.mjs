// MyFunction: a Lambda handler written as one deployed to AWS Lambda's Node.js runtime would be.
// The local server runs it in-process (stepwise.config.json: "MyFunction" → this module's `handler`).

/**
 * @typedef {object} OrderLine
 * @property {string} sku
 * @property {number} quantity
 * @property {number} unitPrice in the order's currency, e.g. 12.5
 */

/**
 * @typedef {object} Order
 * @property {string} orderId
 * @property {string} customer
 * @property {OrderLine[]} items
 * @property {string} [currency] USD unless given
 */

/** A refusal of the order itself (not a Lambda service error, so the Task's Retry leaves it alone). */
export class InvalidOrder extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'InvalidOrder';
  }
}

/**
 * Prices an order: counts its items and adds up the lines (in cents, so 3 × 1.20 is 3.60 exactly).
 * @param {Order} event
 * @param {{ functionName: string, awsRequestId: string }} context the Lambda context
 */
export async function handler(event, context) {
  if (typeof event?.orderId !== 'string' || !Array.isArray(event.items) || event.items.length === 0) {
    throw new InvalidOrder('an order needs an orderId and at least one item');
  }
  let itemCount = 0;
  let cents = 0;
  for (const line of event.items) {
    if (!Number.isInteger(line.quantity) || line.quantity <= 0 || typeof line.unitPrice !== 'number' || line.unitPrice < 0) {
      throw new InvalidOrder(`line ${JSON.stringify(line.sku)} needs a positive whole quantity and a unit price`);
    }
    itemCount += line.quantity;
    cents += line.quantity * Math.round(line.unitPrice * 100);
  }
  const currency = event.currency ?? 'USD';
  const total = cents / 100;
  // Lambda sends what a function logs to CloudWatch; locally it goes to the server's output.
  console.log(JSON.stringify({ level: 'INFO', message: 'order priced', requestId: context.awsRequestId, orderId: event.orderId, total }));
  return {
    orderId: event.orderId,
    message: `Hello ${event.customer}, your order ${event.orderId} of ${itemCount} items comes to ${total.toFixed(2)} ${currency}.`,
    itemCount,
    total,
    currency,
    lines: event.items.map((line) => ({ sku: line.sku, amount: (line.quantity * Math.round(line.unitPrice * 100)) / 100 })),
    pricedBy: context.functionName,
  };
}
